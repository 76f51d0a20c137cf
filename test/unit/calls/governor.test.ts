import { expect } from 'chai';
import sinon from 'sinon';
import { TokenRejectedError } from '../../../src/errors.js';
import { silentLogger } from '../../../src/logging.js';
import { DEFAULT_GOVERNOR_POLICY, WebexCallGovernor, type GovernorPolicy } from '../../../src/calls/governor.js';
import { TokenHealth } from '../../../src/calls/token-health.js';

/** A governor on a fake clock: sleeping advances time instantly. */
function governor(policy: Partial<GovernorPolicy> = {}) {
  let clock = 0;
  const waits: number[] = [];
  const changes: boolean[] = [];
  const token = new TokenHealth(
    60_000,
    (ok) => changes.push(ok),
    () => clock,
  );
  const g = new WebexCallGovernor(
    { ...DEFAULT_GOVERNOR_POLICY, ...policy },
    {
      log: silentLogger,
      token,
      random: () => 0,
      now: () => clock,
      sleep: async (ms) => {
        waits.push(ms);
        clock += ms;
      },
    },
  );
  return {
    g,
    waits,
    changes,
    token,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

const httpError = (statusCode: number, headers: Record<string, string> = {}) =>
  Object.assign(new Error(`HTTP ${statusCode}`), { statusCode, headers });
const socketError = (code: string) => Object.assign(new Error(code), { statusCode: 0, body: { code } });
const get = { method: 'GET', route: '/messages/{id}' };
const post = { method: 'POST', route: '/messages' };

describe('WebexCallGovernor', () => {
  it('passes a successful call through, giving it the per-attempt timeout', async () => {
    const { g } = governor({ callTimeoutMs: 1234 });
    const send = sinon.stub().resolves('ok');
    expect(await g.call(get, send)).to.equal('ok');
    expect(send.calledOnceWith(1234)).to.equal(true);
  });

  it('retries a 429 after Retry-After, on reads and on writes', async () => {
    for (const what of [get, post]) {
      const { g, waits } = governor();
      const send = sinon
        .stub()
        .onFirstCall()
        .rejects(httpError(429, { 'retry-after': '2' }))
        .resolves('ok');
      expect(await g.call(what, send)).to.equal('ok');
      expect(send.callCount).to.equal(2);
      expect(waits).to.deep.equal([2000]);
    }
  });

  it('retries 5xx and timeouts on reads with growing backoff, then gives up with the last error', async () => {
    const { g, waits } = governor({ maxRetries: 3 });
    const last = httpError(503);
    const send = sinon.stub().rejects(socketError('ESOCKETTIMEDOUT'));
    send.onCall(3).rejects(last);
    const err = await g.call(get, send).catch((e: unknown) => e);
    expect(err).to.equal(last);
    expect(send.callCount).to.equal(4);
    expect(waits).to.deep.equal([125, 250, 500]);
  });

  it('never retries a POST that may have reached Webex (5xx, reset, timeout)', async () => {
    for (const e of [httpError(502), socketError('ECONNRESET'), socketError('ESOCKETTIMEDOUT')]) {
      const { g } = governor();
      const send = sinon.stub().rejects(e);
      expect(await g.call(post, send).catch((x: unknown) => x)).to.equal(e);
      expect(send.callCount).to.equal(1);
    }
  });

  it('retries a POST that provably never left (connection refused)', async () => {
    const { g } = governor();
    const send = sinon.stub().onFirstCall().rejects(socketError('ECONNREFUSED')).resolves('posted');
    expect(await g.call(post, send)).to.equal('posted');
    expect(send.callCount).to.equal(2);
  });

  it('does not retry a 400 or 404', async () => {
    for (const status of [400, 404]) {
      const { g } = governor();
      const send = sinon.stub().rejects(httpError(status));
      await g.call(get, send).catch(() => undefined);
      expect(send.callCount).to.equal(1);
    }
  });

  it('stops when the next wait would pass the budget', async () => {
    const { g } = governor({ budgetMs: 5000 });
    const send = sinon.stub().rejects(httpError(429, { 'retry-after': '10' }));
    const err = await g.call(post, send).catch((e: unknown) => e);
    expect((err as { statusCode: number }).statusCode).to.equal(429);
    expect(send.callCount).to.equal(1);
  });

  it('limits retries after 429s', async () => {
    const { g } = governor({ maxRateLimitRetries: 2 });
    const send = sinon.stub().rejects(httpError(429, { 'retry-after': '0' }));
    await g.call(get, send).catch(() => undefined);
    expect(send.callCount).to.equal(3);
  });

  it('on a 401: no retry, token marked rejected, later calls refused without calling Webex until one probe per cool-down', async () => {
    const { g, changes, token, advance } = governor();
    const send = sinon.stub().rejects(httpError(401));
    await g.call(get, send).catch(() => undefined);
    expect(send.callCount).to.equal(1);
    expect(token.accepted).to.equal(false);
    expect(changes).to.deep.equal([false]);
    for (let i = 0; i < 10; i++)
      expect(await g.call(get, send).catch((e: unknown) => e)).to.be.instanceOf(TokenRejectedError);
    expect(send.callCount).to.equal(1);
    advance(60_000);
    send.resolves('back');
    expect(await g.call(get, send)).to.equal('back');
    expect(token.accepted).to.equal(true);
    expect(changes).to.deep.equal([false, true]);
  });
});
