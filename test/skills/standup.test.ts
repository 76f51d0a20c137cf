/**
 * The standup skill, chat-like against the emulator on a controllable clock: the form comes at
 * 09:30 to the spaces that opted in (once), answers are recorded, the 10:30 report names who
 * answered and who is missing: the space's members, as Webex lists them, less who left the list. `standup answer` asks three questions in a row (`ask`): the
 * pending question survives a restart, `cancel` gets out, and an answer after the timeout is an
 * ordinary message.
 */
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ManualClock } from '../../src/testing/manual-clock.js';
import { inputsShown, startTestBot, textShown, type TestBot } from '../../src/testing/test-bot.js';
import { capturedLog, type LogLine } from '../e2e/support/captured-log.js';
import { waitUntil } from '../scale/support/wait.js';

/** Moves the clock to `time` and waits until the standup job `job` has finished that tick. */
async function tickTo(clock: ManualClock, lines: LogLine[], time: string, job: string): Promise<void> {
  clock.set(time);
  const tick = new Date(time).toISOString();
  await waitUntil(`standup/${job} finished its ${tick} tick`, () =>
    lines.some((l) => l.message === 'job done' && l['skill'] === 'standup' && l['job'] === job && l['tick'] === tick),
  );
}

describe('skill: standup (on a controllable clock)', () => {
  let t: TestBot;
  let clock: ManualClock;
  let lines: LogLine[];
  before(async () => {
    clock = new ManualClock('2030-03-04T08:00:00Z'); // a Monday
    const captured = capturedLog('info');
    lines = captured.lines;
    t = await startTestBot({ tuning: { clock }, log: captured.log });
  });
  after(() => t.stop());

  it('posts the form at 09:30 to the space that opted in, once; records answers; reports who is missing at 10:30', async () => {
    expect((await t.group.say('standup here')).markdown).to.include('Stand-up is on in this space');
    const form = t.emulator.waitForMessage({ roomId: t.group.roomId, personId: t.emulator.bot.id });
    await tickTo(clock, lines, '2030-03-04T09:30:00Z', 'prompt');
    const card = await form;
    expect(textShown(card)).to.include('Stand-up, Monday 4 March');
    expect(inputsShown(card).map((i) => i.id)).to.deep.equal(['yesterday', 'today', 'blockers']);
    const cards = () => t.emulator.transcript(t.group.roomId).filter((m) => m.attachments?.length);
    expect(cards()).to.have.length(1);
    // Nothing in the direct space: it did not opt in.
    expect(t.emulator.transcript(t.direct.roomId).some((m) => m.attachments?.length)).to.equal(false);

    const thanks = await t.group.submit(card, { yesterday: 'Wrote the parser', today: 'Tests', blockers: '' });
    expect(thanks.markdown).to.equal('Thanks Alice Example, noted for 2030-03-04.');
    const report = t.emulator.waitForMessage({ roomId: t.group.roomId, personId: t.emulator.bot.id });
    await tickTo(clock, lines, '2030-03-04T10:30:00Z', 'report');
    expect((await report).markdown)
      .to.include('**Stand-up, 2030-03-04**: 1 of 2 answered')
      .and.include('**Alice Example**\n- Yesterday: Wrote the parser\n- Today: Tests\n- Blockers: none')
      .and.include('Missing: Bob Example');
    expect(cards()).to.have.length(1);
  });

  it("expects the space's members: one who joins the space is missing, one who left the list is not", async () => {
    const greeting = t.emulator.waitForMessage({ personId: t.emulator.bot.id });
    const team = await t.addBotToNewSpace({ title: 'Platform', others: ['bob'] });
    await greeting; // help's welcome
    await team.say('standup here');
    const carol = t.emulator.createPerson({ displayName: 'Carol Example', email: 'carol@example.com' });
    await team.addMember(carol);
    await t.settled();
    let answer = (await team.say('standup report')).markdown;
    expect(answer).to.include('0 of 3 answered').and.include('Missing: Alice Example, Bob Example, Carol Example');
    expect(answer).to.not.include('bot'); // the bot itself is never expected

    expect((await team.say('standup leave', { as: 'bob' })).markdown).to.include('You are off the list');
    answer = (await team.say('standup report')).markdown;
    expect(answer).to.include('0 of 2 answered').and.include('Missing: Alice Example, Carol Example');

    expect((await team.say('standup join', { as: 'bob' })).markdown).to.equal('You are on the list, Bob Example.');
    await team.removeMember(carol);
    await t.settled();
    answer = (await team.say('standup report')).markdown;
    expect(answer).to.include('0 of 2 answered').and.include('Missing: Alice Example, Bob Example');
  });

  it('standup answer: three questions in a row, each answer carried to the next; then the report has them', async () => {
    expect((await t.direct.say('standup answer')).markdown).to.include('What did you do yesterday?');
    expect((await t.direct.say('help')).markdown).to.equal('What will you do today?'); // an answer, not a command
    expect((await t.direct.say('Ship it')).markdown).to.include('Anything in your way?');
    expect((await t.direct.say('none')).markdown).to.equal('Thanks Alice Example, noted for 2030-03-04.');
    expect((await t.direct.say('standup report')).markdown).to.include(
      '**Alice Example**\n- Yesterday: help\n- Today: Ship it\n- Blockers: none',
    );
  });

  it('cancel gets out of the questions; the next message is a command again', async () => {
    await t.direct.say('standup answer');
    expect((await t.direct.say('cancel')).markdown).to.equal('OK, I stopped waiting for your answer.');
    expect((await t.direct.say('standup report')).markdown).to.include('**Stand-up, 2030-03-04**');
  });

  it('an answer after the question timed out is handled as an ordinary message', async () => {
    await t.direct.say('standup answer');
    clock.set('2030-03-04T10:45:00Z'); // more than the 10 minutes a question waits
    expect((await t.direct.say('Did the dishes')).markdown).to.include('Sorry, I don\'t know "Did the dishes"');
  });

  it('a question waits for its person only: someone else in the space is answered as usual', async () => {
    await t.group.say('standup answer');
    expect((await t.group.say('standup report', { as: 'bob' })).markdown).to.include('**Stand-up, 2030-03-04**');
    expect((await t.group.say('Reviewed PRs')).markdown).to.equal('What will you do today?');
    await t.group.say('cancel');
  });
});

describe('skill: standup, a question across a restart (file store in STATE_DIR)', () => {
  it('the answer after the restart goes to the question asked before it', async () => {
    const clock = new ManualClock('2030-03-04T08:00:00Z');
    const t = await startTestBot({ tuning: { clock }, stateDir: mkdtempSync(path.join(tmpdir(), 'standup-state-')) });
    try {
      await t.direct.say('standup answer');
      expect((await t.direct.say('Fixed the build')).markdown).to.equal('What will you do today?');
      await t.restart();
      expect((await t.direct.say('Deploy')).markdown).to.include('Anything in your way?');
      await t.restart();
      expect((await t.direct.say('The VPN')).markdown).to.equal('Thanks Alice Example, noted for 2030-03-04.');
      expect((await t.direct.say('standup report')).markdown).to.include(
        '- Yesterday: Fixed the build\n- Today: Deploy\n- Blockers: The VPN',
      );
    } finally {
      await t.stop();
    }
  });
});
