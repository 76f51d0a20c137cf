/**
 * The life of a space over the event socket (websocket mode): the same greeting when the bot is
 * added, the same files path — skills cannot tell the transports apart.
 */
import { expect } from 'chai';
import { startTestBot, textShown, type TestBot } from '../../src/testing/test-bot.js';

describe('the life of a space in websocket mode', () => {
  let t: TestBot;
  before(async () => {
    t = await startTestBot({ transport: 'websocket' });
  });
  after(() => t.stop());

  it('greets a group space the bot is added to, over the socket', async () => {
    const greeting = t.emulator.waitForMessage({ personId: t.emulator.bot.id });
    const team = await t.addBotToNewSpace({ title: 'Socket Space' });
    const card = await greeting;
    expect(card.roomId).to.equal(team.roomId);
    expect(textShown(card)).to.match(/^Hello Alice Example, and everyone here!/);
    expect(t.emulator.socketFrames().some((f) => JSON.stringify(f).includes('"add"'))).to.equal(true);
  });

  it('reads a file sent alone, over the socket', async () => {
    const reply = await t.direct.sendFile({ name: 'a.txt', type: 'text/plain', data: 'abc' });
    expect(reply.markdown).to.include('- File: a.txt (text/plain, 3 bytes)');
  });
});
