/**
 * Fault injection and call counts: 429 with Retry-After, 5xx, custom bodies, hangs and slow
 * answers, matched by exact path or route template, for N calls.
 */
import { expect } from 'chai';
import type { WebexSdk } from 'webex';
import type { Emulator } from '../../src/emulator/index.js';
import { EventLog, expectApiError, sdkFor, startTestEmulator, until } from './helpers.js';

describe('emulator fault injection and call counts', () => {
  let emulator: Emulator;
  let bot: WebexSdk;
  let log: EventLog;

  beforeEach(async () => {
    emulator = await startTestEmulator();
    log = new EventLog(emulator);
    bot = await sdkFor(emulator, emulator.botToken);
  });
  afterEach(async () => {
    await emulator.stop();
  });

  it('answers 429 with Retry-After, which the SDK error carries, for the next call only', async () => {
    emulator.faults.add({ method: 'GET', path: '/v1/people/me', status: 429, retryAfter: 7 });
    const err = await expectApiError(bot.people.get('me'), 429, /rate limited/);
    expect(err.headers['retry-after']).to.equal('7');
    expect((await bot.people.get('me')).id).to.equal(emulator.bot.id);
  });

  it('defaults Retry-After to 1 second for a 429', async () => {
    emulator.faults.add({ method: 'GET', path: '/v1/rooms', status: 429 });
    const err = await expectApiError(bot.rooms.list(), 429);
    expect(err.headers['retry-after']).to.equal('1');
  });

  it('matches a route template for N calls, and counts calls per template', async () => {
    const group = emulator.seed!.groupRoom.id;
    emulator.resetCalls();
    emulator.faults.add({ method: 'GET', path: '/v1/rooms/{id}', status: 503, count: 2 });
    await expectApiError(bot.rooms.get(group), 503);
    await expectApiError(bot.rooms.get(emulator.seed!.directRoom.id), 503);
    expect((await bot.rooms.get(group)).title).to.equal('Team Space');
    expect(emulator.calls()).to.deep.equal({ 'GET /v1/rooms/{id}': 3 });
  });

  it('matches an exact path only for that path, with /v1 optional and any method with *', async () => {
    emulator.faults.add({ method: '*', path: `/rooms/${emulator.seed!.directRoom.id}`, status: 500 });
    expect((await bot.rooms.get(emulator.seed!.groupRoom.id)).title).to.equal('Team Space');
    await expectApiError(bot.rooms.get(emulator.seed!.directRoom.id), 500);
  });

  it('sends a custom body with the status when given', async () => {
    emulator.faults.add({ method: 'POST', path: '/v1/messages', status: 502, body: { reason: 'upstream broke' } });
    let err: { statusCode?: number; body?: unknown } = {};
    await bot.messages.create({ roomId: emulator.seed!.directRoom.id, text: 'x' }).catch((e: typeof err) => {
      err = e;
    });
    expect(err.statusCode).to.equal(502);
    expect(err.body).to.deep.equal({ reason: 'upstream broke' });
    expect(emulator.transcript(emulator.seed!.directRoom.id)).to.deep.equal([]);
  });

  it('answers slowly but normally with delayMs alone', async () => {
    emulator.faults.add({ method: 'GET', path: '/v1/people/me', delayMs: 150 });
    expect((await bot.people.get('me')).id).to.equal(emulator.bot.id);
    const call = await log.waitFor('api-call', (e) => e.route === '/v1/people/me');
    expect(call).to.include({ status: 200, fault: 'delay', callerId: emulator.bot.id });
  });

  it('hangs a call until the client gives up, while other calls are answered', async () => {
    emulator.faults.add({ method: 'GET', path: '/v1/people/me', hang: true });
    const abort = new AbortController();
    let settled = false;
    const hung = fetch(`${emulator.apiUrl}/people/me`, {
      headers: { Authorization: `Bearer ${emulator.botToken}` },
      signal: abort.signal,
    }).finally(() => {
      settled = true;
    });
    expect((await bot.rooms.list()).length).to.equal(2);
    expect((await bot.rooms.list()).length).to.equal(2);
    expect(settled).to.equal(false);
    abort.abort();
    let error: unknown;
    await hung.catch((e: unknown) => {
      error = e;
    });
    expect((error as Error).name).to.equal('AbortError');
    const call = await log.waitFor('api-call', (e) => e.route === '/v1/people/me');
    expect(call).to.include({ status: 0, fault: 'hang' });
  });

  it('closes hung calls when it stops', async () => {
    emulator.faults.add({ method: 'GET', path: '/v1/messages/{id}', hang: true });
    const hung = fetch(`${emulator.apiUrl}/messages/x`, { headers: { Authorization: `Bearer ${emulator.botToken}` } });
    await until(() => emulator.calls()['GET /v1/messages/{id}'] === 1, 'the hung call arrived');
    await emulator.stop();
    let error: unknown;
    await hung.catch((e: unknown) => {
      error = e;
    });
    expect(error).to.be.instanceOf(TypeError); // fetch failed: the socket was closed
  });

  it('refuses invalid rules', () => {
    expect(() => emulator.faults.add({ method: 'GET', path: '/v1/rooms' })).to.throw(
      TypeError,
      /status, delayMs or hang/,
    );
    expect(() => emulator.faults.add({ method: 'GET', path: '/v1/rooms', status: 99 })).to.throw(
      TypeError,
      /HTTP status/,
    );
    expect(() => emulator.faults.add({ method: 'GET', path: '/v1/rooms', status: 500, count: 0 })).to.throw(
      TypeError,
      /count/,
    );
    expect(() => emulator.faults.add({ method: 'GET /v1', path: '/v1/rooms', status: 500 })).to.throw(
      TypeError,
      /method/,
    );
  });

  it('clears pending rules', async () => {
    emulator.faults.add({ method: 'GET', path: '/v1/rooms', status: 500, count: 5 });
    emulator.faults.clear();
    expect((await bot.rooms.list()).length).to.equal(2);
  });

  it('reports each call as an api-call event with route, path, status and caller', async () => {
    await bot.rooms.get(emulator.seed!.groupRoom.id);
    const call = await log.waitFor('api-call', (e) => e.route === '/v1/rooms/{id}');
    expect(call).to.include({
      method: 'GET',
      path: `/v1/rooms/${emulator.seed!.groupRoom.id}`,
      status: 200,
      callerId: emulator.bot.id,
    });
    expect(call.trackingId).to.match(/^webex-js-sdk_/);
  });
});
