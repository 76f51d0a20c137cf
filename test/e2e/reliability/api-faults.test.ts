/**
 * "API faults": Webex failing while the bot handles an event, injected in the emulator. The
 * governor under every Webex call retries what can be retried (429 after Retry-After on any
 * method; 5xx and timeouts on reads), never posts a reply twice, and the user hears an apology
 * only when a failure stands.
 */
import { expect } from 'chai';
import type { ApiCallEvent } from '../../../src/emulator/index.js';
import { startTestBot, type TestBot } from '../../../src/testing/test-bot.js';
import { waitUntil } from '../../scale/support/wait.js';
import { botMessages, settled } from '../support/settle.js';

describe('API faults', function () {
  this.timeout(30_000);
  let t: TestBot;
  const calls: ApiCallEvent[] = [];
  before(async () => {
    t = await startTestBot({
      apologies: 'return', // the apologies are what these tests look at
      eventDeadlineMs: 3000,
      logLevel: process.env['DBG'] ? 'debug' : undefined,
      tuning: { governor: { callTimeoutMs: 1000, backoff: { initialMs: 20, maxMs: 100 } }, tokenCooldownMs: 300 },
    });
    t.emulator.onEvent((e) => {
      if (e.kind === 'api-call') calls.push(e);
    });
  });
  after(() => t.stop());
  afterEach(() => {
    t.emulator.faults.clear();
    calls.length = 0;
  });

  const callsTo = (method: string, route: string) => calls.filter((c) => c.method === method && c.route === route);

  it('429 on the message fetch: Retry-After honoured, exactly one reply', async () => {
    t.emulator.faults.add({ method: 'GET', path: '/v1/messages/{id}', status: 429, retryAfter: 1, count: 1 });
    const sent = await t.direct.send('echo slow down');
    await settled(t);
    const fetches = callsTo('GET', '/v1/messages/{id}').filter((c) => c.resourceId === sent.id);
    expect(fetches.map((c) => c.status)).to.deep.equal([429, 200]);
    expect(Date.parse(fetches[1]!.at) - Date.parse(fetches[0]!.at)).to.be.at.least(1000);
    const replies = botMessages(t, t.direct.roomId, sent);
    expect(replies).to.have.length(1);
    expect(replies[0]!.markdown).to.include('- Message: echo slow down');
  });

  it('429 on the reply: Retry-After honoured, exactly one reply', async () => {
    t.emulator.faults.add({ method: 'POST', path: '/v1/messages', status: 429, retryAfter: 1, count: 1 });
    const sent = await t.direct.send('echo reply later');
    await settled(t);
    const posts = callsTo('POST', '/v1/messages');
    expect(posts.map((c) => c.status)).to.deep.equal([429, 200]);
    expect(Date.parse(posts[1]!.at) - Date.parse(posts[0]!.at)).to.be.at.least(1000);
    const replies = botMessages(t, t.direct.roomId, sent);
    expect(replies.map((m) => m.markdown)).to.have.length(1);
    expect(replies[0]!.markdown).to.include('- Message: echo reply later');
  });

  it('500, 502 and 503 on the message fetch: retried, answered once', async () => {
    for (const status of [500, 502, 503])
      t.emulator.faults.add({ method: 'GET', path: '/v1/messages/{id}', status, count: 1 });
    const sent = await t.direct.send('echo flaky');
    await settled(t);
    expect(
      callsTo('GET', '/v1/messages/{id}')
        .filter((c) => c.resourceId === sent.id)
        .map((c) => c.status),
    ).to.deep.equal([500, 502, 503, 200]);
    const replies = botMessages(t, t.direct.roomId, sent);
    expect(replies).to.have.length(1);
    expect(replies[0]!.markdown).to.include('- Message: echo flaky');
  });

  it('a hung request: timed out, apology, and the space moves on', async () => {
    t.emulator.faults.add({ method: 'GET', path: '/v1/messages/{id}', hang: true, count: 10 });
    const apology = await t.direct.say('echo hangs');
    expect(apology.markdown).to.match(/^Sorry, something went wrong.*`[0-9a-f]{12}`$/);
    t.emulator.faults.clear();
    expect((await t.direct.say('echo after the hang')).markdown).to.include('- Message: echo after the hang');
  });

  it('404 on a message deleted before the bot fetched it: ignored, no reply', async () => {
    // The fetch waits; meanwhile Alice deletes her message, so the fetch finds nothing.
    t.emulator.faults.add({ method: 'GET', path: '/v1/messages/{id}', delayMs: 300, count: 1 });
    const sent = await t.direct.send('echo never mind');
    const res = await fetch(`${t.emulator.apiUrl}/messages/${sent.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${t.emulator.seed!.alice.token}` },
    });
    expect(res.status).to.equal(204);
    await settled(t);
    expect(
      callsTo('GET', '/v1/messages/{id}')
        .filter((c) => c.resourceId === sent.id)
        .map((c) => c.status),
    ).to.deep.equal([404]);
    expect(botMessages(t, t.direct.roomId, sent)).to.deep.equal([]);
  });

  it('401: the bot reports itself not ready and stops calling Webex (no retry storm), then recovers', async () => {
    t.emulator.faults.add({ method: '*', path: '/v1/messages/{id}', status: 401, count: 1000 });
    t.emulator.faults.add({ method: 'GET', path: '/v1/people/me', status: 401, count: 1000 });
    for (let i = 0; i < 5; i++) await t.direct.send(`echo revoked ${i}`);
    await settled(t);
    const ready = await fetch(`http://127.0.0.1:${t.bot.port}/readyz`);
    expect(ready.status).to.equal(503);
    expect(JSON.stringify(await ready.json())).to.include('Webex rejected the bot token');
    // One fetch got the 401; the events already taken failed at once without a call; no apology
    // could be sent, and none was tried.
    expect(callsTo('GET', '/v1/messages/{id}')).to.have.length(1);
    expect(callsTo('POST', '/v1/messages')).to.have.length(0);
    // A delivery while the token is rejected is refused (503), for Webex to deliver it again later.
    const late = await t.direct.send('echo while the token is rejected');
    await waitUntil('its delivery was refused with 503', () =>
      t.emulator
        .deliveries()
        .some(
          (d) => d.targetUrl === t.bot.webhookUrl && d.dataId === late.id && d.attempts.some((a) => a.status === 503),
        ),
    );
    // Probes are spaced by the cool-down, not a storm.
    await new Promise((r) => setTimeout(r, 1000));
    expect(callsTo('GET', '/v1/people/me').length).to.be.within(1, 5);
    t.emulator.faults.clear();
    for (let i = 0; i < 100 && (await fetch(`http://127.0.0.1:${t.bot.port}/readyz`)).status !== 200; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect((await fetch(`http://127.0.0.1:${t.bot.port}/readyz`)).status).to.equal(200);
    expect((await t.direct.say('echo back again')).markdown).to.include('- Message: echo back again');
  });

  it('400 on a reply: a short plain-text reply instead, with the reference', async () => {
    t.emulator.faults.add({ method: 'POST', path: '/v1/messages', status: 400, count: 1 });
    const fallback = await t.direct.say('echo refused');
    expect(fallback.markdown).to.match(
      /^Sorry, I could not send my answer: Webex did not accept it\. Reference for the bot's owner: [0-9a-f]{12}$/,
    );
  });

  it('a reply posted whose answer was lost (502 after posting): found in the space, not posted again', async () => {
    t.emulator.faults.add({ method: 'POST', path: '/v1/messages', status: 502, phase: 'after', count: 1 });
    const sent = await t.direct.send('echo posted anyway');
    await settled(t);
    expect(callsTo('POST', '/v1/messages')).to.have.length(1);
    const replies = botMessages(t, t.direct.roomId, sent);
    expect(replies).to.have.length(1);
    expect(replies[0]!.markdown).to.include('- Message: echo posted anyway');
  });

  it('a reply whose POST hangs after posting: timed out, found in the space, not posted again', async () => {
    t.emulator.faults.add({ method: 'POST', path: '/v1/messages', hang: true, phase: 'after', count: 1 });
    const sent = await t.direct.send('echo hung but posted');
    await settled(t);
    const replies = botMessages(t, t.direct.roomId, sent);
    expect(replies.map((m) => m.markdown?.includes('- Message: echo hung but posted'))).to.deep.equal([true]);
  });

  it('a 502 before posting: checked, not in the space, sent again: one reply', async () => {
    t.emulator.faults.add({ method: 'POST', path: '/v1/messages', status: 502, count: 1 });
    const sent = await t.direct.send('echo try again');
    await settled(t);
    expect(callsTo('POST', '/v1/messages').map((c) => c.status)).to.deep.equal([502, 200]);
    expect(
      botMessages(t, t.direct.roomId, sent).map((m) => m.markdown?.includes('- Message: echo try again')),
    ).to.deep.equal([true]);
  });

  it('in a group space, where the bot cannot look: a reply whose answer was lost is not sent again, and no apology is added under it', async () => {
    t.emulator.faults.add({ method: 'POST', path: '/v1/messages', status: 502, phase: 'after', count: 1 });
    const sent = await t.group.send('echo group reply');
    await settled(t);
    expect(callsTo('POST', '/v1/messages')).to.have.length(1);
    const replies = botMessages(t, t.group.roomId, sent);
    expect(replies.map((m) => m.markdown?.includes('- Message: echo group reply'))).to.deep.equal([true]);
  });

  it('Webex failing for good while a new space is set up: apology, then the next message is answered', async () => {
    // Membership events and the first message each make the framework look the new space up.
    t.emulator.faults.add({ method: 'GET', path: '/v1/rooms/{id}', status: 500, count: 1000 });
    const carol = t.emulator.createPerson({ displayName: 'Carol Example', email: 'carol@example.com' });
    const room = t.emulator.createRoom({ type: 'direct', memberIds: [carol.id, t.emulator.bot.id] });
    const wait = () => t.emulator.waitForMessage({ roomId: room.id, personId: t.emulator.bot.id, timeoutMs: 10_000 });
    let reply = wait();
    await t.emulator.say({ personId: carol.id, roomId: room.id, text: 'echo first' });
    expect((await reply).markdown).to.match(/^Sorry, something went wrong/);
    await settled(t);
    t.emulator.faults.clear();
    reply = wait();
    await t.emulator.say({ personId: carol.id, roomId: room.id, text: 'echo second' });
    expect((await reply).markdown)
      .to.include('- Message: echo second')
      .and.include('Carol Example');
  });
});
