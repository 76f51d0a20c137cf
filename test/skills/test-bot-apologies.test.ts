/**
 * A skill that fails in a test: the person gets the bot's apology, and the test fails with what
 * the bot logged for that event — here a card template reading `${members}` that the handler did
 * not pass — instead of a bare "Sorry… reference X". `apologies: 'return'` gives the apology back.
 */
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestBot, type TestBot } from 'webex-skill-bot/testing';

/** A project with a stand-up skill whose card needs `members`, which one command forgets. */
function standupProject(): { skillsDir: string; cardsDir: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'apologies-'));
  const skillsDir = path.join(dir, 'skills');
  const cardsDir = path.join(dir, 'cards');
  mkdirSync(skillsDir);
  mkdirSync(cardsDir);
  const card = {
    type: 'AdaptiveCard',
    version: '1.3',
    body: [
      { type: 'TextBlock', text: 'Stand-up of ${team}', wrap: true },
      { type: 'TextBlock', text: '${members}', wrap: true },
      { type: 'Input.Text', id: 'note', label: 'Note' },
    ],
    actions: [{ type: 'Action.Submit', title: 'Send' }],
  };
  writeFileSync(path.join(cardsDir, 'standup-report.json'), JSON.stringify(card));
  writeFileSync(path.join(cardsDir, 'standup-report.data.json'), JSON.stringify({ team: 'Core', members: 'Ada' }));
  writeFileSync(
    path.join(skillsDir, 'standup.ts'),
    `import { command, defineSkill } from 'webex-skill-bot';
export default defineSkill({
  name: 'standup',
  description: 'Stand-ups',
  commands: [
    command({ pattern: 'standup', help: 'The report', handle: ({ reply }) => reply.card('standup-report', { team: 'Core', members: 'Ada' }) }),
    command({ pattern: 'standup broken', help: 'Forgets the members', handle: ({ reply }) => reply.card('standup-report', { team: 'Core' }) }),
  ],
  onSubmit: { 'standup-report': () => { throw new Error('the stand-up service is down'); } },
});
`,
  );
  return { skillsDir, cardsDir };
}

/** The error `promise` rejects with. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

describe('startTestBot when a skill fails', () => {
  let t: TestBot;
  const project = standupProject();
  before(async () => {
    t = await startTestBot(project);
  });
  after(() => t.stop());

  it('say() fails with the error the bot logged for that event, not only the apology', async () => {
    const err = await rejection(t.direct.say('standup broken'));
    expect(err.message)
      .to.match(/^the bot answered "standup broken" with its apology \(reference [0-9a-f]+\) instead of a reply/)
      .and.include('skill handler failed (skill standup): CardError: card "standup-report": no data for ${members}');
  });

  it('submit() too: the handler that threw, named, with its error', async () => {
    const card = await t.direct.say('standup');
    const err = await rejection(t.direct.submit(card, { Note: 'hi' }));
    expect(err.message)
      .to.match(/^the bot answered the card submitted with its apology/)
      .and.include('Error: the stand-up service is down');
  });

  it("with apologies: 'return', the apology is the reply (to test it)", async () => {
    const lenient = await startTestBot({ ...project, apologies: 'return' });
    try {
      expect((await lenient.direct.say('standup broken')).markdown).to.match(/^Sorry, something went wrong/);
    } finally {
      await lenient.stop();
    }
  });
});
