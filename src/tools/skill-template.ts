/**
 * The files `npm run new-skill <name>` writes: a skill with a command and a card form, the card
 * and its sample data, and a chat-like test of both. They pass as written, and show the parts a
 * skill author uses: a pattern, a card reply, a typed form handler, state, validation errors.
 */

/** Path (relative to the project) → content, for skill `name`. */
// Over 60 lines: the template literals of the files it writes, read as they will be written.
export function skillFiles(name: string): Record<string, string> {
  const skill = `/**
 * ${name} — TODO: one line on what this skill does (also change "description" below: help shows it).
 *
 * \`${name}\` sends the ${name} card (cards/${name}.json); its submission comes back to
 * onSubmit['${name}'] once the bot has checked it against the card's own rules (here: a message
 * is required, 200 characters at most).
 */
import { command, defineSkill, escapeMarkdown, form } from 'webex-skill-bot';

export default defineSkill({
  name: '${name}',
  description: 'TODO: what ${name} does',
  commands: [
    command({
      pattern: '${name}',
      help: 'Send the ${name} card',
      async handle({ person, reply }) {
        await reply.card('${name}', { name: person.displayName }, { fallbackText: '${name}: open this message in Webex to see the card' });
      },
    }),
  ],
  onSubmit: {
    '${name}': form({
      inputs: { message: 'text' },
      async handle({ inputs, person, state, reply }) {
        const count = ((await state.person.get<number>('messages')) ?? 0) + 1;
        await state.person.set('messages', count);
        await reply.text(\`Thanks \${escapeMarkdown(person.displayName)}: "\${escapeMarkdown(inputs.message)}" (message \${count} from you)\`);
      },
    }),
  },
});
`;
  const card = `${JSON.stringify(
    {
      type: 'AdaptiveCard',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      version: '1.3',
      body: [
        { type: 'TextBlock', text: 'Hello ${name}', size: 'Medium', weight: 'Bolder', wrap: true },
        {
          type: 'Input.Text',
          id: 'message',
          label: 'Your message',
          isRequired: true,
          maxLength: 200,
          errorMessage: 'Write a message (200 characters at most)',
        },
      ],
      actions: [{ type: 'Action.Submit', title: 'Send' }],
    },
    null,
    2,
  )}\n`;
  const data = `${JSON.stringify({ name: 'Alice Example' }, null, 2)}\n`;
  const test = `import { expect } from 'chai';
import { errorsShown, startTestBot, textShown, type TestBot } from 'webex-skill-bot/testing';

describe('skill: ${name}', () => {
  let t: TestBot;
  before(async () => { t = await startTestBot(); });
  after(() => t.stop());

  it('sends its card, filled in for the person asking', async () => {
    const card = await t.direct.say('${name}');
    expect(textShown(card)).to.include('Hello Alice Example');
  });

  it('sends the card back with the error when the message is left empty', async () => {
    const card = await t.direct.say('${name}');
    const again = await t.direct.submit(card, { 'Your message': '' });
    expect(errorsShown(again).fields).to.deep.equal({ message: 'Write a message (200 characters at most)' });
  });

  it('thanks whoever submits it, and counts their messages', async () => {
    const card = await t.direct.say('${name}');
    expect((await t.direct.submit(card, { 'Your message': 'hi' })).markdown).to.equal('Thanks Alice Example: "hi" (message 1 from you)');
    expect(await t.state('${name}').person.get('messages')).to.equal(1);
  });
});
`;
  return {
    [`skills/${name}.ts`]: skill,
    [`cards/${name}.json`]: card,
    [`cards/${name}.data.json`]: data,
    [`test/skills/${name}.test.ts`]: test,
  };
}
