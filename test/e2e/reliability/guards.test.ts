/**
 * "Guards": the bot ignores other bots by default, and a loop between two bots (when it is told
 * to answer bots) is cut off by the per-space reply rate, with one warning.
 */
import { expect } from 'chai';
import { startTestBot, type TestBot } from '../../../src/testing/test-bot.js';
import { capturedLog } from '../support/captured-log.js';
import { botMessages, settled } from '../support/settle.js';

describe('Guards', function () {
  this.timeout(30_000);

  describe('by default', () => {
    let t: TestBot;
    before(async () => {
      t = await startTestBot();
    });
    after(() => t.stop());

    it("another bot's message is ignored, in a group and in a direct space", async () => {
      const other = t.emulator.createPerson({ displayName: 'Helper Bot', email: 'helper@webex.bot', type: 'bot' });
      const group = t.emulator.createRoom({
        type: 'group',
        title: 'Bots',
        memberIds: [t.emulator.seed!.alice.id, other.id, t.emulator.bot.id],
      });
      const direct = t.emulator.createRoom({ type: 'direct', memberIds: [other.id, t.emulator.bot.id] });
      await settled(t);
      // Alice added the bot to the group: its welcome is for her. The other bot's direct space gets none.
      const welcome = botMessages(t, group.id).length;
      expect(welcome).to.equal(1);
      const calls = t.emulator.calls()['GET /v1/messages/{id}'] ?? 0;
      await t.emulator.say({ personId: other.id, roomId: group.id, text: 'echo from a bot', mention: true });
      await t.emulator.say({ personId: other.id, roomId: direct.id, text: 'echo from a bot' });
      await settled(t);
      expect(botMessages(t, group.id).slice(welcome)).to.deep.equal([]);
      expect(botMessages(t, direct.id)).to.deep.equal([]);
      // Dropped from the webhook's own data: the messages were not even fetched.
      expect(t.emulator.calls()['GET /v1/messages/{id}'] ?? 0).to.equal(calls);
    });
  });

  describe('with RESPOND_TO_BOTS=true', () => {
    let t: TestBot;
    const captured = capturedLog();
    before(async () => {
      t = await startTestBot({ log: captured.log, config: { respondToBots: true, replyRatePerMinute: 5 } });
    });
    after(() => t.stop());

    it('a loop between two bots is cut off by the reply rate, with one warning', async () => {
      const other = t.emulator.createPerson({ displayName: 'Echo Bot', email: 'echo-bot@webex.bot', type: 'bot' });
      const room = t.emulator.createRoom({ type: 'group', title: 'Loop', memberIds: [other.id, t.emulator.bot.id] });
      await settled(t);
      // The other bot added ours (bots are answered here): the welcome is the first of the 5 a minute.
      const welcome = botMessages(t, room.id).length;
      expect(welcome).to.equal(1);
      // The other bot answers every message of ours with a command for us: a loop.
      let theirs = 0;
      const stop = t.emulator.onMessage((m) => {
        if (m.roomId === room.id && m.personId === t.emulator.bot.id && theirs < 50) {
          theirs++;
          void t.emulator.say({ personId: other.id, roomId: room.id, text: `echo round ${theirs}`, mention: true });
        }
      });
      await t.emulator.say({ personId: other.id, roomId: room.id, text: 'echo start', mention: true });
      await settled(t);
      stop();
      expect(botMessages(t, room.id)).to.have.length(5);
      expect(theirs).to.equal(5 - welcome);
      const warnings = captured.lines.filter(
        (l) => l.level === 'warn' && l.message.includes('over the reply rate limit'),
      );
      expect(warnings).to.have.length(1);
    });
  });
});
