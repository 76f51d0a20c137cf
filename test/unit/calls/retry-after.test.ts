import { expect } from 'chai';
import {
  backoffWait,
  DEFAULT_RATE_LIMIT_WAITS,
  parseRetryAfter,
  rateLimitWait,
} from '../../../src/calls/retry-after.js';

describe('Retry-After handling', () => {
  const noJitter = () => 0;
  const fullJitter = () => 1;

  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('2')).to.equal(2000);
    expect(parseRetryAfter(' 1.5 ')).to.equal(1500);
    const now = Date.parse('2026-12-01T10:00:00Z');
    expect(parseRetryAfter('Tue, 01 Dec 2026 10:00:07 GMT', now)).to.equal(7000);
  });

  it('says nothing for a missing or malformed header', () => {
    expect(parseRetryAfter(undefined)).to.equal(undefined);
    expect(parseRetryAfter('soon')).to.equal(undefined);
    expect(parseRetryAfter('-3')).to.equal(undefined);
    expect(parseRetryAfter('')).to.equal(undefined);
  });

  it('waits what Webex asks, plus up to 20 % jitter, never earlier', () => {
    expect(rateLimitWait('2', DEFAULT_RATE_LIMIT_WAITS, noJitter)).to.equal(2000);
    expect(rateLimitWait('2', DEFAULT_RATE_LIMIT_WAITS, fullJitter)).to.equal(2400);
  });

  it('uses a default for a missing or malformed header, a floor for zero, and a cap for huge values', () => {
    expect(rateLimitWait(undefined, DEFAULT_RATE_LIMIT_WAITS, noJitter)).to.equal(1000);
    expect(rateLimitWait('banana', DEFAULT_RATE_LIMIT_WAITS, noJitter)).to.equal(1000);
    expect(rateLimitWait('0', DEFAULT_RATE_LIMIT_WAITS, noJitter)).to.equal(250);
    expect(rateLimitWait('86400', DEFAULT_RATE_LIMIT_WAITS, noJitter)).to.equal(30_000);
  });

  it('backs off exponentially with jitter between half and all of each step, up to the cap', () => {
    const bounds = { initialMs: 200, maxMs: 1000 };
    expect([1, 2, 3, 4].map((n) => backoffWait(n, bounds, fullJitter))).to.deep.equal([200, 400, 800, 1000]);
    expect([1, 2, 3, 4].map((n) => backoffWait(n, bounds, noJitter))).to.deep.equal([100, 200, 400, 500]);
  });
});
