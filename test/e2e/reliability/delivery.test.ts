/**
 * "Delivery": Webex delivers an event more than once (one after the other, or two at the same
 * moment), and many at once; each event is answered exactly once, and a new space's concurrent
 * first messages are all answered.
 */
import { expect } from 'chai';
import type { Message } from '../../../src/emulator/index.js';
import { startTestBot, type TestBot } from '../../../src/testing/test-bot.js';
import { botMessages, settled } from '../support/settle.js';

/** The emulator's delivery of `message` to the bot. */
function deliveryOf(t: TestBot, message: Message) {
  const d = t.emulator
    .deliveries()
    .find((x) => x.dataId === message.id && x.targetUrl === t.bot.webhookUrl && x.redeliveryOf === undefined);
  if (!d) throw new Error(`no delivery of ${message.id}`);
  return d;
}

/** Replies that answer `message` (echo quotes the text it answers). */
const answersTo = (t: TestBot, roomId: string, text: string) =>
  botMessages(t, roomId).filter(
    (m) => m.markdown?.includes(`- Message: ${text}\n`) || m.markdown?.endsWith(`- Message: ${text}`),
  );

describe('Delivery', function () {
  this.timeout(60_000);

  describe('redeliveries of one event', () => {
    let t: TestBot;
    before(async () => {
      t = await startTestBot();
    });
    after(() => t.stop());

    it('sequential redelivery: answered once, the copies answered 200 as duplicates', async () => {
      const sent = await t.direct.send('echo once only');
      await settled(t);
      const copies = await t.emulator.redeliver(deliveryOf(t, sent).id, { copies: 3 });
      expect(copies.map((c) => c.attempts.at(-1)?.status)).to.deep.equal([200, 200, 200]);
      await settled(t);
      expect(answersTo(t, t.direct.roomId, 'echo once only')).to.have.length(1);
    });

    it('two concurrent deliveries of one event arriving while it is being handled: answered once', async () => {
      const sent = await t.group.send('echo twins');
      const copies = await t.emulator.redeliver(deliveryOf(t, sent).id, { copies: 2, concurrent: true });
      expect(copies.every((c) => c.state === 'delivered')).to.equal(true);
      await settled(t);
      expect(answersTo(t, t.group.roomId, 'echo twins')).to.have.length(1);
    });
  });

  describe('every event delivered twice at the same moment', () => {
    let t: TestBot;
    before(async () => {
      t = await startTestBot({ emulator: { delivery: { duplicates: { rate: 1, concurrent: true } } } });
    });
    after(() => t.stop());

    it('two concurrent deliveries of each of 10 events: each answered once, in order', async () => {
      for (let i = 0; i < 10; i++) await t.direct.send(`echo twin ${i}`);
      await settled(t);
      const twins = t.emulator
        .deliveries()
        .filter(
          (d) =>
            d.targetUrl === t.bot.webhookUrl &&
            d.resource === 'messages' &&
            d.redeliveryCause === 'duplicate' &&
            d.concurrent,
        );
      expect(twins.length).to.be.at.least(10);
      const answered = botMessages(t, t.direct.roomId)
        .map((m) => /- Message: (echo twin \d)/.exec(m.markdown ?? '')?.[1])
        .filter(Boolean);
      expect(answered).to.deep.equal(Array.from({ length: 10 }, (_, i) => `echo twin ${i}`));
    });
  });

  describe('load and first contact', () => {
    let t: TestBot;
    before(async () => {
      t = await startTestBot({ replyTimeoutMs: 20_000 });
    });
    after(() => t.stop());

    it('200 distinct events at once over 20 spaces: all answered, none twice, in order per space', async () => {
      const rooms = Array.from({ length: 20 }, (_, i) => {
        const person = t.emulator.createPerson({ displayName: `Load ${i}`, email: `load${i}@example.com` });
        return { person, room: t.emulator.createRoom({ type: 'direct', memberIds: [person.id, t.emulator.bot.id] }) };
      });
      await settled(t);
      // All 200 are written in one go, none awaited before the next (each delivery starts as its message is stored).
      const sends: Array<Promise<Message>> = [];
      for (let n = 0; n < 10; n++) {
        for (const { person, room } of rooms)
          sends.push(t.emulator.say({ personId: person.id, roomId: room.id, text: `echo load ${n}` }));
      }
      await Promise.all(sends);
      await settled(t, 60_000);
      for (const { room } of rooms) {
        const answered = botMessages(t, room.id).map((m) => /- Message: (echo load \d+)/.exec(m.markdown ?? '')?.[1]);
        expect(answered).to.deep.equal(Array.from({ length: 10 }, (_, n) => `echo load ${n}`));
      }
    });

    it('5 concurrent first messages in a new space: all answered', async () => {
      const dana = t.emulator.createPerson({ displayName: 'Dana Example', email: 'dana@example.com' });
      const room = t.emulator.createRoom({ type: 'direct', memberIds: [dana.id, t.emulator.bot.id] });
      await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          t.emulator.say({ personId: dana.id, roomId: room.id, text: `echo first ${i}` }),
        ),
      );
      await settled(t);
      const answered = botMessages(t, room.id)
        .map((m) => /- Message: (echo first \d)/.exec(m.markdown ?? '')?.[1])
        .sort();
      expect(answered).to.deep.equal(['echo first 0', 'echo first 1', 'echo first 2', 'echo first 3', 'echo first 4']);
    });
  });
});
