/**
 * Faults with `phase: 'after'`: the call takes effect (the message is stored, its webhooks fire)
 * and only then is its answer replaced by a status, held back, or never sent.
 */
import { expect } from 'chai';
import type { WebexSdk } from 'webex';
import type { Emulator } from '../../src/emulator/index.js';
import { createHook, EventLog, expectApiError, Receiver, sdkFor, startTestEmulator } from './helpers.js';

describe('emulator faults after the call took effect', () => {
  let emulator: Emulator;
  let receiver: Receiver;
  let bot: WebexSdk;
  let alice: WebexSdk;
  let log: EventLog;

  beforeEach(async () => {
    emulator = await startTestEmulator();
    log = new EventLog(emulator);
    receiver = await Receiver.start();
    [bot, alice] = await Promise.all([
      sdkFor(emulator, emulator.botToken),
      sdkFor(emulator, emulator.seed!.alice.token),
    ]);
    await createHook(bot, receiver.url, { secret: 'k' });
  });
  afterEach(async () => {
    await emulator.stop();
    await receiver.close();
  });

  const roomId = (): string => emulator.seed!.directRoom.id;

  /** Starts a raw POST /v1/messages as Alice that the test can abort; `settled` tells whether it got an answer. */
  const startPost = (text: string): { abort: () => void; settled: () => boolean; done: Promise<unknown> } => {
    const controller = new AbortController();
    let settled = false;
    const done = fetch(`${emulator.apiUrl}/messages`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${emulator.seed!.alice.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ roomId: roomId(), text }),
      signal: controller.signal,
    })
      .then(
        (res) => res.text(),
        (err: unknown) => err,
      )
      .finally(() => {
        settled = true;
      });
    return { abort: () => controller.abort(), settled: () => settled, done };
  };

  it('stores the message and starts its deliveries, then answers the injected status with a Webex error body', async () => {
    emulator.faults.add({ method: 'POST', path: '/v1/messages', status: 502, phase: 'after' });
    emulator.resetCalls();
    await expectApiError(alice.messages.create({ roomId: roomId(), text: 'posted anyway' }), 502, /upstream server/);
    const [stored] = emulator.transcript(roomId());
    expect(stored).to.include({ text: 'posted anyway', personId: emulator.seed!.alice.id });
    const [delivered] = await receiver.waitFor((r) => r.json?.data?.id === stored!.id);
    expect(delivered!.json).to.include({ resource: 'messages', event: 'created' });
    const call = await log.waitFor('api-call', (e) => e.route === '/v1/messages' && e.method === 'POST');
    expect(call).to.include({
      status: 502,
      fault: 'status',
      faultPhase: 'after',
      servedStatus: 200,
      resourceId: stored!.id,
      roomId: roomId(),
    });
    expect(emulator.calls()).to.deep.equal({ 'POST /v1/messages': 1 });

    const next = await alice.messages.create({ roomId: roomId(), text: 'answered normally' });
    expect(emulator.transcript(roomId()).map((m) => m.id)).to.deep.equal([stored!.id, next.id]);
  });

  it('keeps Retry-After and a custom body on an after-phase status', async () => {
    emulator.faults.add({ method: 'POST', path: '/messages', status: 429, retryAfter: 3, phase: 'after' });
    const err = await expectApiError(
      alice.messages.create({ roomId: roomId(), text: 'rate limited, yet posted' }),
      429,
    );
    expect(err.headers['retry-after']).to.equal('3');
    expect(emulator.transcript(roomId()).map((m) => m.text)).to.deep.equal(['rate limited, yet posted']);

    emulator.faults.add({
      method: 'POST',
      path: '/messages',
      status: 504,
      body: { reason: 'gateway gave up' },
      phase: 'after',
    });
    let error: { statusCode?: number; body?: unknown } = {};
    await alice.messages.create({ roomId: roomId(), text: 'second' }).catch((e: typeof error) => {
      error = e;
    });
    expect(error).to.include({ statusCode: 504 });
    expect(error.body).to.deep.equal({ reason: 'gateway gave up' });
    expect(emulator.transcript(roomId()).map((m) => m.text)).to.deep.equal(['rate limited, yet posted', 'second']);
  });

  it('with hang: stores the message and delivers it, and never answers the client', async () => {
    emulator.faults.add({ method: 'POST', path: '/v1/messages', hang: true, phase: 'after' });
    const stored = emulator.waitForMessage({ roomId: roomId(), predicate: (m) => m.text === 'lost answer' });
    const post = startPost('lost answer');
    const message = await stored;
    await receiver.waitFor((r) => r.json?.data?.id === message.id);
    expect((await bot.rooms.list()).length).to.equal(2); // a full round trip while the POST stays unanswered
    expect(post.settled()).to.equal(false);
    post.abort();
    expect(((await post.done) as Error).name).to.equal('AbortError');
    const call = await log.waitFor('api-call', (e) => e.route === '/v1/messages');
    expect(call).to.include({
      status: 0,
      fault: 'hang',
      faultPhase: 'after',
      servedStatus: 200,
      resourceId: message.id,
    });
  });

  it('with delayMs alone: the message exists and is delivered while its answer is still held back', async () => {
    emulator.faults.add({ method: 'POST', path: '/v1/messages', delayMs: 60_000, phase: 'after' });
    const stored = emulator.waitForMessage({ roomId: roomId(), predicate: (m) => m.text === 'slow answer' });
    const post = startPost('slow answer');
    const message = await stored;
    await receiver.waitFor((r) => r.json?.data?.id === message.id);
    expect((await bot.rooms.list()).length).to.equal(2);
    expect(post.settled()).to.equal(false);
    post.abort();
    await post.done;
    const call = await log.waitFor('api-call', (e) => e.route === '/v1/messages');
    expect(call).to.include({ status: 0, fault: 'delay', faultPhase: 'after' });
  });

  it("replaces the call's own error answer too (the gateway fails whatever the answer was)", async () => {
    emulator.faults.add({ method: 'GET', path: '/v1/messages/{id}', status: 503, phase: 'after' });
    await expectApiError(bot.messages.get('no-such-message'), 503);
    const call = await log.waitFor('api-call', (e) => e.route === '/v1/messages/{id}');
    expect(call).to.include({ status: 503, faultPhase: 'after', servedStatus: 404 });
  });

  it('reports before-phase faults as such, and leaves nothing done', async () => {
    emulator.faults.add({ method: 'POST', path: '/v1/messages', status: 502 });
    await expectApiError(alice.messages.create({ roomId: roomId(), text: 'never stored' }), 502);
    expect(emulator.transcript(roomId())).to.deep.equal([]);
    const call = await log.waitFor('api-call', (e) => e.route === '/v1/messages');
    expect(call).to.include({ status: 502, fault: 'status', faultPhase: 'before' });
    expect(call).to.not.have.property('servedStatus');
  });

  it('refuses a phase other than before or after, in process and on the control API', async () => {
    expect(() =>
      emulator.faults.add({ method: 'POST', path: '/v1/messages', status: 502, phase: 'during' as never }),
    ).to.throw(TypeError, /fault\.phase must be 'before' or 'after'/);
    expect(() => emulator.faults.add({ method: 'POST', path: '/v1/messages', phase: 'after' })).to.throw(
      TypeError,
      /status, delayMs or hang/,
    );
    const post = (body: unknown): Promise<Response> =>
      fetch(`${emulator.url}/_emulator/faults`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const bad = await post({ method: 'POST', path: '/v1/messages', status: 502, phase: 1 });
    expect(bad.status).to.equal(400);
    expect(((await bad.json()) as { error: string }).error).to.match(/fault\.phase/);
    const good = await post({ method: 'POST', path: '/v1/messages', status: 502, phase: 'after' });
    expect(good.status).to.equal(201);
    expect(((await good.json()) as { items: unknown[] }).items).to.deep.equal([
      { method: 'POST', path: '/v1/messages', remaining: 1, phase: 'after', status: 502 },
    ]);
    await expectApiError(alice.messages.create({ roomId: roomId(), text: 'via control API' }), 502);
    expect(emulator.transcript(roomId()).map((m) => m.text)).to.deep.equal(['via control API']);
  });
});
