/**
 * The remind skill, chat-like against the emulator, on a controllable clock: reminders go off at
 * their minute (no real minutes waited) with what was asked for, once; repeating ones come back;
 * list and cancel; bad requests get examples; a reminder due while the bot was down goes out once
 * it is back.
 */
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Message } from '../../src/emulator/index.js';
import { ManualClock } from '../../src/testing/manual-clock.js';
import { startTestBot, type TestBot } from '../../src/testing/test-bot.js';
import { capturedLog, type LogLine } from '../e2e/support/captured-log.js';
import { waitUntil } from '../scale/support/wait.js';

const idOf = (reply: Message): string => /`(R-[0-9A-Z]{5})`/.exec(reply.markdown ?? '')![1]!;

/** Moves the clock to `time` and waits until the bot's delivery job has finished that minute. */
async function tickTo(clock: ManualClock, lines: LogLine[], time: string): Promise<void> {
  const tick = new Date(Math.floor(Date.parse(time) / 60_000) * 60_000).toISOString();
  clock.set(time);
  await waitUntil(`the remind job finished its ${tick} tick`, () =>
    lines.some((l) => l.message === 'job done' && l['job'] === 'deliver' && l['tick'] === tick),
  );
}

const reminders = (t: TestBot, roomId: string): string[] =>
  t.emulator
    .transcript(roomId)
    .filter((m) => m.personId === t.emulator.bot.id && m.markdown?.startsWith('⏰'))
    .map((m) => m.markdown!);

describe('skill: remind (on a controllable clock)', () => {
  let t: TestBot;
  let clock: ManualClock;
  let lines: LogLine[];
  beforeEach(async () => {
    clock = new ManualClock('2030-03-04T09:30:00Z'); // a Monday
    const captured = capturedLog('info');
    lines = captured.lines;
    t = await startTestBot({ tuning: { clock }, log: captured.log });
  });
  afterEach(() => t.stop());

  it('remind me in 10 minutes: a direct message at 09:40 with what was asked for, once', async () => {
    const set = await t.direct.say('remind me in 10 minutes to stretch your legs');
    expect(set.markdown).to.match(/^OK, I will remind you Mon 4 Mar, 09:40 \(UTC\): stretch your legs/);
    const id = idOf(set);
    await tickTo(clock, lines, '2030-03-04T09:39:00Z');
    expect(reminders(t, t.direct.roomId)).to.deep.equal([]);
    const arrives = t.emulator.waitForMessage({ roomId: t.direct.roomId, personId: t.emulator.bot.id });
    await tickTo(clock, lines, '2030-03-04T09:40:00Z');
    expect((await arrives).markdown).to.equal('⏰ Reminder: stretch your legs');
    await tickTo(clock, lines, '2030-03-04T09:45:00Z');
    expect(reminders(t, t.direct.roomId)).to.deep.equal(['⏰ Reminder: stretch your legs']);
    expect((await t.direct.say('remind list')).markdown).to.not.include(id);
  });

  it('remind me at 17:00, said in the group space, reaches me directly; the space sees nothing', async () => {
    const set = await t.group.say('remind me at 17:00 to call Bob');
    expect(set.markdown).to.include('Mon 4 Mar, 17:00 (UTC): call Bob');
    await tickTo(clock, lines, '2030-03-04T17:00:00Z');
    expect(reminders(t, t.direct.roomId)).to.deep.equal(['⏰ Reminder: call Bob']);
    expect(reminders(t, t.group.roomId)).to.deep.equal([]);
  });

  it('remind here every monday at 9:00: the space hears it every Monday, and it stays listed', async () => {
    const set = await t.group.say('remind here every monday at 9:00 to plan the week');
    expect(set.markdown).to.include('every Monday at 09:00 (first Mon 11 Mar, 09:00 (UTC))');
    await tickTo(clock, lines, '2030-03-11T09:00:00Z');
    expect(reminders(t, t.group.roomId)).to.deep.equal(['⏰ Reminder from Alice Example: plan the week']);
    expect((await t.group.say('remind list')).markdown).to.include(
      'Mon 18 Mar, 09:00 (UTC) (every Monday at 09:00), to this space: plan the week',
    );
    await tickTo(clock, lines, '2030-03-18T09:00:00Z');
    expect(reminders(t, t.group.roomId)).to.have.length(2);
  });

  it('remind cancel: only by who set it; a cancelled reminder never goes off', async () => {
    const id = idOf(await t.group.say('remind here in 5 minutes to stand up'));
    expect((await t.group.say(`remind cancel ${id}`, { as: 'bob' })).markdown).to.equal(
      `Only Alice Example, who set \`${id}\`, or an admin can cancel it.`,
    );
    expect((await t.group.say(`remind cancel ${id.toLowerCase()}`)).markdown).to.equal(`Cancelled \`${id}\`: stand up`);
    expect((await t.group.say(`remind cancel ${id}`)).markdown).to.include(`There is no reminder \`${id}\``);
    await tickTo(clock, lines, '2030-03-04T09:40:00Z');
    expect(reminders(t, t.group.roomId)).to.deep.equal([]);
  });

  it('answers what it cannot read with examples, and sets nothing', async () => {
    expect((await t.direct.say('remind me tomorrow to water the plants')).markdown).to.include(
      'I could not tell when. Say it like `remind me in 10 minutes to stretch`',
    );
    expect((await t.direct.say('remind me in 3 parsecs to land')).markdown).to.include(
      '"in 3 parsecs" is not a duration I know',
    );
    expect((await t.direct.say('remind me at 25:00 to sleep')).markdown).to.include(
      '"25:00" is not a time of day: use 0:00 to 23:59',
    );
    expect((await t.direct.say('remind me in 10 minutes')).markdown).to.include('I need "… to <what>"');
    expect((await t.direct.say('remind list')).markdown).to.include('No reminders for you or this space');
  });
});

describe('skill: remind, with the bot down when a reminder is due (file store in STATE_DIR)', () => {
  it('sends it once the bot is back, once', async () => {
    const clock = new ManualClock('2030-03-04T09:30:00Z');
    const captured = capturedLog('info');
    const t = await startTestBot({
      tuning: { clock },
      log: captured.log,
      stateDir: mkdtempSync(path.join(tmpdir(), 'remind-state-')),
    });
    try {
      await t.direct.say('remind me in 10 minutes to take the bread out');
      await t.bot.stop(2000);
      clock.set('2030-03-04T10:05:00Z'); // down at 09:40
      const arrives = t.emulator.waitForMessage({ roomId: t.direct.roomId, personId: t.emulator.bot.id });
      await t.restart();
      expect((await arrives).markdown).to.equal('⏰ Reminder: take the bread out');
      await waitUntil('the catch-up run is done', () =>
        captured.lines.some((l) => l.message === 'job done' && l['tick'] === '2030-03-04T10:05:00.000Z'),
      );
      await tickTo(clock, captured.lines, '2030-03-04T10:06:00Z');
      expect(reminders(t, t.direct.roomId)).to.deep.equal(['⏰ Reminder: take the bread out']);
    } finally {
      await t.stop();
    }
  });
});
