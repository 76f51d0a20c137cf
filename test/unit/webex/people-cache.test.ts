import { expect } from 'chai';
import { PeopleCache } from '../../../src/webex/people-cache.js';

/** A fetch that counts calls per id and answers with a person named after the call count. */
function countingFetch() {
  const calls = new Map<string, number>();
  const fetchPerson = async (id: string) => {
    const n = (calls.get(id) ?? 0) + 1;
    calls.set(id, n);
    return { id, displayName: `${id} v${n}` };
  };
  return { calls, fetchPerson, total: () => [...calls.values()].reduce((a, b) => a + b, 0) };
}

describe('PeopleCache (the senders the framework looks up)', () => {
  it('asks Webex once per person while the entry is fresh, and hands out copies', async () => {
    const f = countingFetch();
    const cache = new PeopleCache(f.fetchPerson, { ttlMs: 60_000 });
    const first = (await cache.get('alice')) as { displayName: string };
    first.displayName = 'changed by a caller';
    expect(await cache.get('alice')).to.deep.equal({ id: 'alice', displayName: 'alice v1' });
    expect(f.total()).to.equal(1);
  });

  it('expires: after ttlMs the person is fetched again (a rename shows up)', async () => {
    let now = 1_000;
    const f = countingFetch();
    const cache = new PeopleCache(f.fetchPerson, { ttlMs: 5_000, now: () => now });
    await cache.get('alice');
    now += 4_999;
    expect(await cache.get('alice')).to.deep.equal({ id: 'alice', displayName: 'alice v1' });
    now += 1;
    expect(await cache.get('alice')).to.deep.equal({ id: 'alice', displayName: 'alice v2' });
    expect(f.calls.get('alice')).to.equal(2);
  });

  it('is bounded: past maxEntries the oldest fetched are dropped first', async () => {
    const f = countingFetch();
    const cache = new PeopleCache(f.fetchPerson, { maxEntries: 3 });
    for (const id of ['a', 'b', 'c', 'd', 'e']) await cache.get(id);
    expect(cache.size).to.equal(3);
    await cache.get('e');
    await cache.get('c');
    expect(f.total()).to.equal(5); // c, d, e still cached
    await cache.get('a');
    expect(f.calls.get('a')).to.equal(2); // a was dropped
    expect(cache.size).to.equal(3);
  });

  it('shares one call between look-ups of the same person at the same moment', async () => {
    const f = countingFetch();
    const cache = new PeopleCache(f.fetchPerson);
    const all = await Promise.all([cache.get('bob'), cache.get('bob'), cache.get('bob')]);
    expect(f.calls.get('bob')).to.equal(1);
    expect(all.map((p) => (p as { displayName: string }).displayName)).to.deep.equal(['bob v1', 'bob v1', 'bob v1']);
  });

  it('keeps no failure: the next look-up asks again', async () => {
    let fail = true;
    let calls = 0;
    const cache = new PeopleCache(async (id) => {
      calls++;
      if (fail) throw Object.assign(new Error('HTTP 503'), { statusCode: 503 });
      return { id };
    });
    let error: unknown;
    await cache.get('carol').catch((err: unknown) => {
      error = err;
    });
    expect((error as { statusCode: number }).statusCode).to.equal(503);
    fail = false;
    expect(await cache.get('carol')).to.deep.equal({ id: 'carol' });
    expect(calls).to.equal(2);
  });

  it('refuses limits that would make it useless or unbounded', () => {
    expect(() => new PeopleCache(async () => ({}), { ttlMs: 0 })).to.throw(RangeError);
    expect(() => new PeopleCache(async () => ({}), { maxEntries: 0 })).to.throw(RangeError);
  });
});
