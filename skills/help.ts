/**
 * help — what the bot can do, generated from every skill's own metadata (names, descriptions,
 * command usage, help lines and examples), so it never drifts.
 *
 * `help` answers with a card (cards/help.json): a section per skill with its commands, and a
 * button for each command that needs no argument (pressing it runs the command, as if typed).
 * The card's fallback text, for clients that cannot show cards, is the same list as text;
 * `help text` sends that text as a message.
 *
 * When the bot is added to a group space, the same card greets the space (once: the bot found
 * again in a space after a restart says nothing).
 */
import { type CardData, command, defineSkill, escapeMarkdown, type CommandInfo, type SkillInfo } from 'webex-skill-bot';

/** Buttons per skill: Webex shows at most five actions in a set. */
const MAX_BUTTONS = 5;

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

function examplesOf(c: CommandInfo): string {
  return c.examples.length > 0 ? ` (e.g. ${c.examples.join(', ')})` : '';
}

function describeSkill(skill: SkillInfo): string {
  const lines = [`**${skill.name}** — ${escapeMarkdown(skill.description)}`];
  for (const c of skill.commands) {
    const examples = c.examples.length > 0 ? ` (e.g. ${c.examples.map(code).join(', ')})` : '';
    lines.push(`- ${code(c.usage)} — ${escapeMarkdown(c.help)}${examples}`);
  }
  return lines.join('\n');
}

function asText(skills: readonly SkillInfo[], note: string): string {
  return `Here is what I can do:\n\n${skills.map(describeSkill).join('\n\n')}${note ? `\n\n${note}` : ''}`;
}

/** The help card's data: one section per skill, a button per command that needs no argument. */
function cardData(title: string, skills: readonly SkillInfo[], note: string): CardData<'help'> {
  return {
    title,
    note,
    skills: skills.map((s) => ({
      name: s.name,
      description: s.description,
      commands: s.commands.map((c) => ({ usage: c.usage, help: `${c.help}${examplesOf(c)}` })),
      buttons: s.commands
        .flatMap((c) => (c.withoutArguments === undefined ? [] : [c.withoutArguments]))
        .slice(0, MAX_BUTTONS)
        .map((text) => ({ title: text, command: text })),
    })),
  };
}

/** What a group space needs to know: mention the bot. */
const GROUP_NOTE = 'In this space, @mention me at the start of each message.';

export default defineSkill({
  name: 'help',
  description: 'Lists what I can do',
  on: {
    async botAdded({ space, skills, person, reply }) {
      if (space.type !== 'group') return;
      const listed = skills.filter((s) => s.commands.length > 0);
      const title = `Hello ${person.displayName}, and everyone here! Thanks for adding me. Here is what I can do`;
      await reply.card('help', cardData(title, listed, GROUP_NOTE), {
        fallbackMarkdown: `Hello, and thanks for adding me! ${asText(listed, GROUP_NOTE)}`,
      });
    },
  },
  commands: [
    command({
      pattern: 'help [<skill>]',
      help: 'List every command as a card with buttons, or the commands of one skill',
      examples: ['help', 'help echo'],
      async handle({ args, skills, space, reply }) {
        const listed = skills.filter((s) => s.commands.length > 0);
        const note = space.type === 'group' ? GROUP_NOTE : '';
        if (args.skill !== undefined) {
          const wanted = args.skill.toLowerCase();
          const one = listed.find((s) => s.name === wanted);
          if (!one) {
            await reply.text(
              `I have no skill called "${escapeMarkdown(args.skill)}". My skills: ${listed.map((s) => code(s.name)).join(', ')}.`,
            );
            return;
          }
          await reply.card('help', cardData(`The ${one.name} skill`, [one], note), {
            fallbackMarkdown: describeSkill(one),
          });
          return;
        }
        await reply.card('help', cardData('Here is what I can do', listed, note), {
          fallbackMarkdown: asText(listed, note),
        });
      },
    }),
    command({
      pattern: 'help text',
      help: 'The same list as plain text, for clients that cannot show cards',
      async handle({ skills, space, reply }) {
        const note = space.type === 'group' ? GROUP_NOTE : '';
        await reply.text(
          asText(
            skills.filter((s) => s.commands.length > 0),
            note,
          ),
        );
      },
    }),
  ],
});
