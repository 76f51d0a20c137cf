import { expect } from 'chai';
import { MemoryStore, prefixedStore } from '../../../src/store/index.js';

describe('MemoryStore', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => {
    clock = 1_000;
  });

  it('forgets every key under a prefix (a space the bot left), through a prefixed view too', async () => {
    const store = new MemoryStore({ now });
    await store.set('skill:a:space:R1:x', 1);
    await store.set('skill:a:space:R1:y', 2);
    await store.set('skill:a:space:R2:x', 3);
    expect(await store.deletePrefix('skill:a:space:R1:')).to.equal(2);
    expect(await store.get('skill:a:space:R1:x')).to.equal(undefined);
    expect(await store.get('skill:a:space:R2:x')).to.equal(3);
    const view = prefixedStore(store, 'skill:a:');
    expect(await view.deletePrefix!('space:R2:')).to.equal(1);
    expect(await store.get('skill:a:space:R2:x')).to.equal(undefined);
  });

  it('stores a copy of JSON data and reads it back', async () => {
    const store = new MemoryStore({ now });
    const value = { a: [1, 2], b: 'x' };
    await store.set('k', value);
    value.a.push(3);
    expect(await store.get('k')).to.deep.equal({ a: [1, 2], b: 'x' });
    expect(await store.get('missing')).to.equal(undefined);
  });

  it('forgets a value once its TTL has passed', async () => {
    const store = new MemoryStore({ now });
    await store.set('k', 1, { ttlMs: 100 });
    clock += 99;
    expect(await store.get('k')).to.equal(1);
    clock += 1;
    expect(await store.get('k')).to.equal(undefined);
  });

  it('claims a key once; a second claim loses until the first expires', async () => {
    const store = new MemoryStore({ now });
    expect(await store.claim('e', 'first', { ttlMs: 50 })).to.equal(true);
    expect(await store.claim('e', 'second', { ttlMs: 50 })).to.equal(false);
    expect(await store.get('e')).to.equal('first');
    clock += 50;
    expect(await store.claim('e', 'third', { ttlMs: 50 })).to.equal(true);
  });

  it('lets exactly one of many concurrent claims of a key win', async () => {
    const store = new MemoryStore({ now });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.claim('same', i, { ttlMs: 1000 })));
    expect(results.filter(Boolean)).to.have.length(1);
  });

  it('stays within maxEntries, dropping expired entries first and then the oldest written', async () => {
    const store = new MemoryStore({ now, maxEntries: 3 });
    await store.set('old', 1);
    await store.set('short', 2, { ttlMs: 10 });
    await store.set('mid', 3);
    clock += 10; // 'short' has expired
    await store.set('new', 4);
    expect(store.size).to.equal(3);
    expect(await store.get('old')).to.equal(1);
    await store.set('newer', 5);
    expect(store.size).to.equal(3);
    expect(await store.get('old')).to.equal(undefined);
    expect(await store.get('newer')).to.equal(5);
  });

  it('deletes, saying whether something was there', async () => {
    const store = new MemoryStore({ now });
    await store.set('k', true);
    expect(await store.delete('k')).to.equal(true);
    expect(await store.delete('k')).to.equal(false);
  });

  it('refuses values that are not JSON data and TTLs that are not positive', async () => {
    const store = new MemoryStore({ now });
    let err: unknown;
    try {
      await store.set('f', () => 1);
    } catch (e) {
      err = e;
    }
    expect(String(err)).to.match(/values are JSON data/);
    err = undefined;
    try {
      await store.set('k', 1, { ttlMs: 0 });
    } catch (e) {
      err = e;
    }
    expect(String(err)).to.match(/ttlMs must be a positive number/);
  });

  it('keeps prefixed views apart', async () => {
    const store = new MemoryStore({ now });
    const a = prefixedStore(store, 'a:');
    const b = prefixedStore(store, 'b:');
    await a.set('k', 'from a');
    expect(await b.get('k')).to.equal(undefined);
    expect(await b.claim('k', 'from b', { ttlMs: 10 })).to.equal(true);
    expect(await store.get('a:k')).to.equal('from a');
    expect(await store.get('b:k')).to.equal('from b');
  });
});
