/**
 * Added latency: every REST call waits `latencyMs` before it is served (set at start, in process
 * or through the control API), faults still apply after the wait, and a stop ends the waits.
 */
import { expect } from 'chai';
import type { Emulator } from '../../src/emulator/index.js';
import { startEmulator } from '../../src/emulator/index.js';
import { EventLog, startTestEmulator, until } from './helpers.js';

describe('emulator added latency', () => {
  let emulator: Emulator;
  const get = (path: string): Promise<Response> =>
    fetch(`${emulator.apiUrl}${path}`, { headers: { Authorization: `Bearer ${emulator.botToken}` } });
  /** `Json`: the shape the test expects of the answer (not checked). */
  const control = async <Json = unknown>(method: string, body?: unknown): Promise<{ status: number; json: Json }> => {
    const res = await fetch(`${emulator.url}/_emulator/latency`, {
      method,
      ...(body !== undefined ? { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, json: (await res.json()) as Json };
  };
  /** Resolves with the ms one call took, from sending to the full answer. */
  const timed = async (path: string): Promise<{ ms: number; status: number }> => {
    const started = performance.now();
    const res = await get(path);
    await res.arrayBuffer();
    return { ms: performance.now() - started, status: res.status };
  };

  afterEach(async () => {
    await emulator.stop();
  });

  it('makes every call wait the latency given at start, and reports it in the call time', async () => {
    emulator = await startTestEmulator({ latencyMs: 150 });
    const log = new EventLog(emulator);
    expect(emulator.latencyMs).to.equal(150);
    const me = await timed('/people/me');
    const rooms = await timed('/rooms');
    expect(me.status).to.equal(200);
    expect(rooms.status).to.equal(200);
    expect(me.ms).to.be.at.least(150);
    expect(rooms.ms).to.be.at.least(150);
    const event = await log.waitFor('api-call', (e) => e.route === '/v1/rooms');
    expect(event.ms).to.be.at.least(150);
  });

  it('is changed at run time, in process and through the control API, for the calls that arrive next', async () => {
    emulator = await startTestEmulator();
    expect(emulator.latencyMs).to.equal(0);
    expect(await control('GET')).to.deep.equal({ status: 200, json: { latencyMs: 0 } });
    expect(await control('PUT', { latencyMs: 2000 })).to.deep.equal({ status: 200, json: { latencyMs: 2000 } });
    expect(emulator.latencyMs).to.equal(2000);
    // A call that waits 2 s (time enough for the next call's round trip on a busy machine), then the
    // latency back to 0: the next call is answered first.
    const order: string[] = [];
    const slow = get('/people/me').then(() => order.push('slow'));
    await until(() => emulator.calls()['GET /v1/people/me'] === 1, 'the slow call arrived');
    emulator.setLatency(0);
    await get('/rooms').then(() => order.push('quick'));
    await slow;
    expect(order).to.deep.equal(['quick', 'slow']);
  });

  it('applies faults after the wait', async () => {
    emulator = await startTestEmulator({ latencyMs: 100 });
    emulator.faults.add({ method: 'GET', path: '/v1/people/me', status: 503 });
    const answer = await timed('/people/me');
    expect(answer.status).to.equal(503);
    expect(answer.ms).to.be.at.least(100);
  });

  it('refuses a latency that is not 0 to 60000 ms, at start, in process and through the control API', async () => {
    let startError: unknown;
    await startEmulator({ latencyMs: -1 }).then(
      (e) => e.stop(),
      (err: unknown) => {
        startError = err;
      },
    );
    expect(startError).to.be.instanceOf(TypeError);
    expect((startError as Error).message).to.match(/latencyMs must be a number of ms from 0 to 60000/);
    emulator = await startTestEmulator({ latencyMs: 20 });
    expect(() => emulator.setLatency(Number.NaN)).to.throw(TypeError, /latencyMs/);
    for (const bad of [{ latencyMs: 'fast' }, { latencyMs: 60_001 }, {}]) {
      const res = await control<{ error: string }>('PUT', bad);
      expect(res.status, JSON.stringify(bad)).to.equal(400);
      expect(res.json.error).to.match(/latencyMs must be a number of ms/);
    }
    expect(emulator.latencyMs).to.equal(20);
  });

  it('ends the waits when it stops', async () => {
    emulator = await startTestEmulator({ latencyMs: 30_000 });
    const waiting = get('/people/me');
    await until(() => emulator.calls()['GET /v1/people/me'] === 1, 'the call arrived');
    const stopped = performance.now();
    await emulator.stop();
    let error: unknown;
    await waiting.catch((e: unknown) => {
      error = e;
    });
    expect(error).to.be.instanceOf(TypeError); // fetch failed: the socket was closed, not answered after 30 s
    expect(performance.now() - stopped).to.be.below(15_000); // far from the 30 s the call would have waited
  });
});
