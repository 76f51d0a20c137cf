/**
 * "API faults": Webex failing while the bot handles an event, injected in the emulator. The
 * governor under every Webex call retries what can be retried (429 after Retry-After on any
 * method; 5xx and timeouts on reads), never posts a reply twice, and the user hears an apology
 * only when a failure stands.
 */
import { expect } from 'chai';
import type { ApiCallEvent, Message } from '../../../src/emulator/index.js';
import { startTestBot, type TestBot } from '../../../src/testing/test-bot.js';
import { waitUntil } from '../../scale/support/wait.js';
import { botMessages, settled } from '../support/settle.js';

/** After a 401, how long the bot refuses calls before it probes the token again. */
const TOKEN_COOLDOWN_MS = 300;

describe('API faults', function () {
  this.timeout(30_000);
  let t: TestBot;
  const calls: ApiCallEvent[] = [];
  before(async () => {
    t = await startTestBot({
      // Replies come after retries, timeouts and the event deadline: wait for them as long as a busy machine needs.
      replyTimeoutMs: 20_000,
      apologies: 'return', // the apologies are what these tests look at
      eventDeadlineMs: 5000,
      logLevel: process.env['DBG'] ? 'debug' : undefined,
      tuning: {
        // Long enough that only the hung calls time out, however slow the machine answers the others.
        governor: { callTimeoutMs: 2000, backoff: { initialMs: 20, maxMs: 100 } },
        tokenCooldownMs: TOKEN_COOLDOWN_MS,
      },
    });
    t.emulator.onEvent((e) => {
      if (e.kind === 'api-call') calls.push(e);
    });
  });
  after(() => t.stop());
  /** Webex calls counted so far (the emulator counts a call when it arrives, and reports it once it has ended). */
  const started = () => Object.values(t.emulator.calls()).reduce((sum, n) => sum + n, 0);
  let startedBefore = 0;
  beforeEach(() => {
    startedBefore = started();
  });
  afterEach(async () => {
    t.emulator.faults.clear();
    // A hung call ends when the bot gives up on it, which may be after the test's last answer: wait
    // until every call of this test has ended, so that none is reported among the next test's.
    await waitUntil('every Webex call of the test has ended', () => calls.length === started() - startedBefore);
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
    t.emulator.faults.add({ method: 'GET', path: '/v1/messages/{id}', delayMs: 700, count: 1 });
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
    // The token revoked: Webex answers every call the bot may make with 401.
    for (const path of ['/v1/messages', '/v1/messages/{id}', '/v1/people/me', '/v1/people/{id}', '/v1/rooms/{id}'])
      t.emulator.faults.add({ method: '*', path, status: 401, count: 1000 });
    const sent: Message[] = [];
    for (let i = 0; i < 5; i++) sent.push(await t.direct.send(`echo revoked ${i}`));
    await settled(t);
    const ready = await fetch(`http://127.0.0.1:${t.bot.port}/readyz`);
    expect(ready.status).to.equal(503);
    expect(JSON.stringify(await ready.json())).to.include('Webex rejected the bot token');
    // The first fetch got the 401; no reply and no apology got through.
    expect(calls[0]).to.include({ method: 'GET', route: '/v1/messages/{id}', resourceId: sent[0]!.id, status: 401 });
    expect(botMessages(t, t.direct.roomId, sent[0])).to.deep.equal([]);
    // A delivery while the token is rejected is refused (503), for Webex to deliver it again later.
    const late = await t.direct.send('echo while the token is rejected');
    await waitUntil('its delivery was refused with 503', () =>
      t.emulator
        .deliveries()
        .some(
          (d) => d.targetUrl === t.bot.webhookUrl && d.dataId === late.id && d.attempts.some((a) => a.status === 503),
        ),
    );
    // The bot keeps probing the token (people/me), once per cool-down.
    await waitUntil('the bot probed the token twice', () => callsTo('GET', '/v1/people/me').length >= 2);
    // No retry storm: whatever makes them (events already taken, apologies, probes), the calls after
    // the first 401 come one at a time, each a cool-down after the 401 before it. However slow the
    // machine, calls refused during the cool-down fail at once without reaching Webex.
    const rejected = calls.slice();
    expect(rejected.map((c) => c.status)).to.deep.equal(rejected.map(() => 401));
    const arrivals = rejected.map((c) => Date.parse(c.at) - c.ms);
    for (let i = 1; i < rejected.length; i++)
      expect(
        arrivals[i]! - Date.parse(rejected[i - 1]!.at),
        `call ${i}: ${rejected[i]!.method} ${rejected[i]!.route}`,
      ).to.be.at.least(TOKEN_COOLDOWN_MS - 5); // ms rounding
    t.emulator.faults.clear();
    await waitUntil(
      'the bot is ready again',
      async () => (await fetch(`http://127.0.0.1:${t.bot.port}/readyz`)).status === 200,
    );
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
    const wait = () => t.emulator.waitForMessage({ roomId: room.id, personId: t.emulator.bot.id, timeoutMs: 20_000 });
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
