import { expect } from 'chai';
import { AccessPolicy, domainOf } from '../../../src/policy/access.js';
import { RefusalNotices } from '../../../src/policy/refusals.js';
import { ReplyRateLimiter } from '../../../src/policy/reply-rate.js';
import { isBotSender } from '../../../src/policy/senders.js';
import { MemoryStore } from '../../../src/store/memory-store.js';

describe('policies', () => {
  describe('AccessPolicy', () => {
    it('serves everyone when no list is set', () => {
      const open = new AccessPolicy({ domains: [], emails: [] });
      expect(open.open).to.equal(true);
      expect(open.allows('anyone@anywhere.example')).to.equal(true);
      expect(open.allows(undefined)).to.equal(true);
    });

    it('serves listed domains (exactly, not their sub-domains) and listed addresses, case-insensitively', () => {
      const p = new AccessPolicy({ domains: ['example.com'], emails: ['guest@partner.example'] });
      expect(p.allows('Alice@EXAMPLE.com')).to.equal(true);
      expect(p.allows('guest@partner.example')).to.equal(true);
      expect(p.allows('other@partner.example')).to.equal(false);
      expect(p.allows('eve@evil.example.com')).to.equal(false);
      expect(p.allows('eve@example.com.evil')).to.equal(false);
      expect(p.allows('')).to.equal(false);
      expect(p.allows(undefined)).to.equal(false);
    });

    it('names only the domain of an address in logs', () => {
      expect(domainOf('Mallory@Elsewhere.Example')).to.equal('elsewhere.example');
      expect(domainOf(undefined)).to.equal('unknown');
    });
  });

  it('tells bots by type or by their webex.bot address', () => {
    expect(isBotSender({ type: 'bot' })).to.equal(true);
    expect(isBotSender({ email: 'Helper@Webex.Bot' })).to.equal(true);
    expect(isBotSender({ email: 'alice@example.com', type: 'person' })).to.equal(false);
  });

  describe('ReplyRateLimiter', () => {
    it('allows perMinute messages at once, then refuses, flagging the first refusal of an episode only', () => {
      let clock = 0;
      const r = new ReplyRateLimiter({ perMinute: 3, now: () => clock });
      expect([1, 2, 3, 4, 5].map(() => r.take('room'))).to.deep.equal([
        'allowed',
        'allowed',
        'allowed',
        'limited-first',
        'limited',
      ]);
      expect(r.take('other room')).to.equal('allowed');
      clock += 20_000; // one message's worth refilled
      expect(r.take('room')).to.equal('allowed');
      expect(r.take('room')).to.equal('limited-first');
    });

    it('forgets the least recently used spaces beyond its bound', () => {
      const r = new ReplyRateLimiter({ perMinute: 1, maxSpaces: 2, now: () => 0 });
      r.take('a');
      r.take('b');
      r.take('c'); // 'a' forgotten: it starts full again
      expect(r.take('a')).to.equal('allowed');
      expect(r.take('c')).to.equal('limited-first');
    });
  });

  it('RefusalNotices: one refusal per space per interval', async () => {
    const notices = new RefusalNotices(new MemoryStore(), 60_000);
    expect(await notices.shouldTell('room')).to.equal(true);
    expect(await notices.shouldTell('room')).to.equal(false);
    expect(await notices.shouldTell('another room')).to.equal(true);
  });
});
