import { expect } from 'chai';
import { classifyFailure, isIdempotent } from '../../../src/calls/failure.js';

describe('classifyFailure', () => {
  it('tells a 429 with its Retry-After', () => {
    expect(classifyFailure({ statusCode: 429, headers: { 'retry-after': '3' } })).to.deep.equal({
      kind: 'rate-limited',
      retryAfter: '3',
    });
    expect(classifyFailure({ statusCode: 429, headers: {} })).to.deep.equal({
      kind: 'rate-limited',
      retryAfter: undefined,
    });
  });

  it('tells 401, 5xx and other answers apart', () => {
    expect(classifyFailure({ statusCode: 401 }).kind).to.equal('unauthorized');
    expect(classifyFailure({ statusCode: 503 })).to.deep.equal({ kind: 'transient', reason: 'HTTP 503' });
    expect(classifyFailure({ statusCode: 400 })).to.deep.equal({ kind: 'final', status: 400 });
    expect(classifyFailure({ statusCode: 404 })).to.deep.equal({ kind: 'final', status: 404 });
  });

  it('knows which socket errors mean the request never left', () => {
    expect(classifyFailure({ statusCode: 0, body: { code: 'ECONNREFUSED' } })).to.deep.equal({
      kind: 'not-sent',
      reason: 'ECONNREFUSED',
    });
    expect(classifyFailure({ statusCode: 0, body: { code: 'ENOTFOUND' } }).kind).to.equal('not-sent');
    expect(classifyFailure({ statusCode: 0, body: { code: 'ETIMEDOUT', connect: true } }).kind).to.equal('not-sent');
    expect(classifyFailure({ statusCode: 0, body: { code: 'ETIMEDOUT', connect: false } }).kind).to.equal('transient');
    expect(classifyFailure({ statusCode: 0, body: { code: 'ESOCKETTIMEDOUT' } }).kind).to.equal('transient');
    expect(classifyFailure({ statusCode: 0, body: { code: 'ECONNRESET' } }).kind).to.equal('transient');
    expect(classifyFailure(new Error('odd')).kind).to.equal('transient');
  });

  it('treats GET, PUT and DELETE as idempotent, POST not', () => {
    expect(['GET', 'PUT', 'DELETE'].every(isIdempotent)).to.equal(true);
    expect(isIdempotent('POST')).to.equal(false);
  });
});
