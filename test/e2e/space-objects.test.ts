/**
 * The bound on the framework's bot objects, end to end: with room for two spaces, the bot keeps
 * answering in every space, and a space whose object was dropped is found again by the framework
 * (its room looked up once more), as on a first contact.
 */
import { expect } from 'chai';
import { startTestBot, type TestBot } from '../../src/testing/test-bot.js';
import { createDirectSpaces } from '../scale/support/load.js';

describe("the framework's bot objects, bounded to the most recently active spaces", () => {
  let t: TestBot;
  before(async () => {
    t = await startTestBot({ tuning: { maxSpaceObjects: 2 } });
  });
  after(async () => {
    await t?.stop();
  });

  it('answers in every space, finding a dropped space again on its next message', async () => {
    const { emulator } = t;
    const spaces = createDirectSpaces(emulator, 4, 'objects');
    const answer = async (i: number, text: string) => {
      const s = spaces[i]!;
      const answered = emulator.waitForMessage({
        roomId: s.room.id,
        personId: emulator.bot.id,
        predicate: (m) => (m.markdown ?? '').includes(`Message: echo ${text}`),
      });
      await emulator.say({ personId: s.person.id, roomId: s.room.id, text: `echo ${text}` });
      return answered;
    };
    for (let i = 0; i < 4; i++) await answer(i, `first ${i}`);
    emulator.resetCalls();
    // Space 0 was the least recently active: its object is gone, so the framework looks its room up again.
    await answer(0, 'again 0');
    expect(emulator.calls()['GET /v1/rooms/{id}']).to.equal(1);
    // Space 3 was active last: its object is still there, no look-up.
    emulator.resetCalls();
    await answer(3, 'again 3');
    expect(emulator.calls()['GET /v1/rooms/{id}'] ?? 0).to.equal(0);
  });
});
