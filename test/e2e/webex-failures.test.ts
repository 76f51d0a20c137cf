/**
 * When Webex fails while an event is handled, the user hears about it (an apology with the
 * correlation id) and the bot keeps going. Faults are injected in the emulator; the SDK does not
 * retry them (see the field notes), so each fault reaches the bot.
 */
import { expect } from 'chai';
import { startTestBot, type TestBot } from '../../src/testing/test-bot.js';

describe('Webex failures while handling an event', () => {
  let t: TestBot;
  before(async () => { t = await startTestBot({ eventDeadlineMs: 1000 }); });
  after(() => t.stop());
  afterEach(() => t.emulator.faults.clear());

  it('apologises when the message cannot be fetched, then answers the next one', async () => {
    t.emulator.faults.add({ method: 'GET', path: '/v1/messages/{id}', status: 503, count: 1 });
    const apology = await t.direct.say('echo lost');
    expect(apology.markdown).to.match(/^Sorry, something went wrong.*`[0-9a-f]{12}`$/);
    expect((await t.direct.say('echo found')).markdown).to.include('- Message: echo found');
  });

  it('apologises when the space cannot be looked up on first contact, then answers the next one', async () => {
    // Membership events (firehose) and the first message each make the framework look the new
    // space up; all of those fail until the fault is cleared.
    t.emulator.faults.add({ method: 'GET', path: '/v1/rooms/{id}', status: 500, count: 1000 });
    const carol = t.emulator.createPerson({ displayName: 'Carol Example', email: 'carol@example.com' });
    const room = t.emulator.createRoom({ type: 'direct', memberIds: [carol.id, t.emulator.bot.id] });
    const wait = () => t.emulator.waitForMessage({ roomId: room.id, personId: t.emulator.bot.id });
    let reply = wait();
    await t.emulator.say({ personId: carol.id, roomId: room.id, text: 'echo first' });
    expect((await reply).markdown).to.match(/^Sorry, something went wrong/);
    t.emulator.faults.clear();
    reply = wait();
    await t.emulator.say({ personId: carol.id, roomId: room.id, text: 'echo second' });
    expect((await reply).markdown).to.include('- Message: echo second').and.include('Carol Example');
  });

  it('apologises when a card submission cannot be fetched', async () => {
    const card = await t.direct.say('feedback faults');
    t.emulator.faults.add({ method: 'GET', path: '/v1/attachment/actions/{id}', status: 500, count: 1 });
    const apology = await t.direct.submit(card, { rating: 'ok' });
    expect(apology.markdown).to.match(/^Sorry, something went wrong/);
  });

  it("turns a failed reply into the handler's apology", async () => {
    t.emulator.faults.add({ method: 'POST', path: '/v1/messages', status: 502, count: 1 });
    const apology = await t.direct.say('echo reply fails');
    expect(apology.markdown).to.match(/^Sorry, something went wrong/);
  });

  it('apologises when the sender cannot be looked up (5xx), then answers the next one', async () => {
    t.emulator.faults.add({ method: 'GET', path: '/v1/people/{id}', status: 500, count: 1 });
    expect((await t.direct.say('echo who')).markdown).to.match(/^Sorry, something went wrong/);
    expect((await t.direct.say('echo me')).markdown).to.include('- Sender: Alice Example');
  });

  it('apologises when the sender cannot be looked up (429), then answers the next one', async () => {
    t.emulator.faults.add({ method: 'GET', path: '/v1/people/{id}', status: 429, retryAfter: 1, count: 1 });
    expect((await t.direct.say('echo who')).markdown).to.match(/^Sorry, something went wrong/);
    expect((await t.direct.say('echo me')).markdown).to.include('- Sender: Alice Example');
  });

  it('gives up on a Webex call that hangs, apologises, and keeps the space moving', async () => {
    t.emulator.faults.add({ method: 'GET', path: '/v1/messages/{id}', hang: true, count: 1 });
    const apology = await t.direct.say('echo hangs');
    expect(apology.markdown).to.match(/^Sorry, something went wrong/);
    expect((await t.direct.say('echo after the hang')).markdown).to.include('- Message: echo after the hang');
  });
});
