/**
 * help — lists what the bot can do, generated from every skill's own metadata
 * (names, descriptions, command usage, help lines and examples), so it never drifts.
 */
import { command, defineSkill, escapeMarkdown, type SkillInfo } from '../src/skill-kit/index.js';

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

function describeSkill(skill: SkillInfo): string {
  const lines = [`**${skill.name}** — ${escapeMarkdown(skill.description)}`];
  for (const c of skill.commands) {
    const examples = c.examples.length > 0 ? ` (e.g. ${c.examples.map(code).join(', ')})` : '';
    lines.push(`- ${code(c.usage)} — ${escapeMarkdown(c.help)}${examples}`);
  }
  return lines.join('\n');
}

export default defineSkill({
  name: 'help',
  description: 'Lists what I can do',
  commands: [
    command({
      pattern: 'help [<skill>]',
      help: 'List every command, or the commands of one skill',
      examples: ['help', 'help echo'],
      async handle({ args, skills, space, reply }) {
        const listed = skills.filter((s) => s.commands.length > 0);
        if (args.skill !== undefined) {
          const wanted = args.skill.toLowerCase();
          const one = listed.find((s) => s.name === wanted);
          if (!one) {
            await reply.text(`I have no skill called "${escapeMarkdown(args.skill)}". My skills: ${listed.map((s) => code(s.name)).join(', ')}.`);
            return;
          }
          await reply.text(describeSkill(one));
          return;
        }
        const mentionNote = space.type === 'group' ? '\n\nIn this space, @mention me at the start of each message.' : '';
        await reply.text(`Here is what I can do:\n\n${listed.map(describeSkill).join('\n\n')}${mentionNote}`);
      },
    }),
  ],
});
