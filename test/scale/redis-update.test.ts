/**
 * `update` and `once` on a real redis-server: writers on two connections (two bot instances) incrementing
 * one counter at the same time end at the exact total; the compare-and-set never loses a write.
 */
import { expect } from 'chai';
import { createLogger } from '../../src/logging.js';
import { connectRedis, type SharedRedis } from '../../src/scale/redis-client.js';
import { once } from '../../src/store/once.js';
import { RedisStore } from '../../src/store/redis-store.js';
import { startRedis, type TestRedis } from './support/redis-server.js';
import { waitUntil } from './support/wait.js';

const log = createLogger({ silent: true });

describe('several instances: update on the Redis-backed store', function () {
  this.timeout(60_000);
  let redis: TestRedis;
  let one: SharedRedis;
  let two: SharedRedis;

  before(async () => {
    redis = await startRedis();
    one = await connectRedis({ url: redis.url, log });
    two = await connectRedis({ url: redis.url, log });
  });
  after(async () => {
    await one?.close();
    await two?.close();
    await redis?.stop();
  });

  it('many concurrent writers on two instances incrementing one counter end at the exact total', async () => {
    const stores = [new RedisStore(one.client, 'test:u:'), new RedisStore(two.client, 'test:u:')];
    const writers = 40;
    const times = 5;
    const seen: number[] = [];
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        const store = stores[w % 2]!;
        for (let i = 0; i < times; i++) seen.push((await store.update<number>('count', (n) => (n ?? 0) + 1))!);
      }),
    );
    expect(await stores[0]!.get('count')).to.equal(writers * times);
    // Each update resolved with the value it wrote: every count from 1 to the total, once.
    expect([...seen].sort((a, b) => a - b)).to.deep.equal(Array.from({ length: writers * times }, (_, i) => i + 1));
  });

  it('stores JSON under the prefix, with a TTL when given; undefined deletes', async () => {
    const store = new RedisStore(one.client, 'test:v:');
    expect(await store.update<string[]>('ids', (ids) => [...(ids ?? []), 'a'])).to.deep.equal(['a']);
    expect(await one.client.get('test:v:ids')).to.equal('["a"]');
    await store.update('short', () => ({ x: 1 }), { ttlMs: 60_000 });
    const pttl = await one.client.pTTL('test:v:short');
    expect(pttl).to.be.greaterThan(0).and.at.most(60_000);
    expect(await store.update('ids', () => undefined)).to.equal(undefined);
    expect(await one.client.exists('test:v:ids')).to.equal(0);
    await store.update('gone', () => 1, { ttlMs: 30 });
    await waitUntil('the value with a TTL is gone', async () => (await store.get('gone')) === undefined);
  });

  it('a function that throws or returns a promise writes nothing', async () => {
    const store = new RedisStore(one.client, 'test:w:');
    await store.set('k', 1);
    const errors: unknown[] = [];
    for (const fn of [
      () => {
        throw new Error('no');
      },
      (async () => 2) as unknown as () => number,
    ]) {
      try {
        await store.update('k', fn);
      } catch (err) {
        errors.push(err);
      }
    }
    expect(errors.map((e) => (e as Error).message)).to.have.length(2);
    expect((errors[1] as Error).message).to.include('must be synchronous');
    expect(await store.get('k')).to.equal(1);
  });

  it('once: of concurrent calls on two instances, one runs the action and all get its result', async () => {
    const stores = [new RedisStore(one.client, 'test:o:'), new RedisStore(two.client, 'test:o:')];
    let runs = 0;
    const action = async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 20));
      return { request: 'PRV-1' };
    };
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => once(stores[i % 2]!, 'submission:1', action, { ttlMs: 60_000 })),
    );
    expect(runs).to.equal(1);
    expect(results).to.deep.equal(Array(10).fill({ request: 'PRV-1' }));
  });
});
