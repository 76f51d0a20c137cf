import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { signBody, verifySignature } from '../../../src/protocol/signature.js';

const secret = 'test-secret-0123456789';
// Webex's own bytes: spacing, key order and escapes that JSON.stringify would not reproduce.
const raw = Buffer.from('{"id":"w1", "resource":"messages","data":{"text":"caf\\u00e9 \\/ ok"},"event":"created"}');
const good = createHmac('sha1', secret).update(raw).digest('hex');

describe('webhook signature verification', () => {
  it('accepts the HMAC-SHA1 of the raw bytes', () => {
    expect(verifySignature(secret, raw, good)).to.equal(true);
    expect(signBody(secret, raw)).to.equal(good);
  });

  it('accepts upper-case hex', () => {
    expect(verifySignature(secret, raw, good.toUpperCase())).to.equal(true);
  });

  it('rejects a missing signature', () => {
    expect(verifySignature(secret, raw, undefined)).to.equal(false);
    expect(verifySignature(secret, raw, '')).to.equal(false);
  });

  it('rejects a wrong signature', () => {
    expect(verifySignature(secret, raw, createHmac('sha1', 'other-secret').update(raw).digest('hex'))).to.equal(false);
  });

  it('rejects an altered body', () => {
    const altered = Buffer.from(raw.toString().replace('created', 'deleted'));
    expect(verifySignature(secret, altered, good)).to.equal(false);
  });

  it('rejects a short or non-hex signature without throwing', () => {
    expect(verifySignature(secret, raw, good.slice(0, 20))).to.equal(false);
    expect(verifySignature(secret, raw, `${good.slice(0, 39)}z`)).to.equal(false);
    expect(verifySignature(secret, raw, `${good}00`)).to.equal(false);
  });

  it('rejects a signature over re-formatted JSON (same data, different bytes)', () => {
    const reformatted = Buffer.from(JSON.stringify(JSON.parse(raw.toString())));
    expect(reformatted.equals(raw)).to.equal(false);
    expect(verifySignature(secret, reformatted, good)).to.equal(false);
    expect(verifySignature(secret, raw, signBody(secret, reformatted))).to.equal(false);
  });
});
