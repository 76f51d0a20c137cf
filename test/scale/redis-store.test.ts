import { expect } from 'chai';
import { createLogger } from '../../src/logging.js';
import { botNamespace } from '../../src/scale/namespace.js';
import { connectRedis, type SharedRedis } from '../../src/scale/redis-client.js';
import { RedisStore } from '../../src/store/redis-store.js';
import { startRedis, type TestRedis } from './support/redis-server.js';
import { waitUntil } from './support/wait.js';

const log = createLogger({ silent: true });

describe('several instances: the Redis-backed store (REDIS_URL)', function () {
  this.timeout(30_000);
  let redis: TestRedis;
  let one: SharedRedis;
  let two: SharedRedis;

  before(async () => {
    redis = await startRedis();
    one = await connectRedis({ url: redis.url, log });
    two = await connectRedis({ url: redis.url, log }); // another instance's connection
  });
  after(async () => {
    await one?.close();
    await two?.close();
    await redis?.stop();
  });

  it('keeps JSON values, hands back copies, deletes, and forgets after the TTL', async () => {
    const store = new RedisStore(one.client, 'test:a:');
    const value = { list: [1, 'two', { three: true }], text: 'é "quoted"' };
    await store.set('k', value);
    const back = await store.get<typeof value>('k');
    expect(back).to.deep.equal(value);
    expect(back).to.not.equal(value);
    expect(await store.get('missing')).to.equal(undefined);
    expect(await store.delete('k')).to.equal(true);
    expect(await store.delete('k')).to.equal(false);
    await store.set('short', 1, { ttlMs: 30 });
    await waitUntil('the short-lived value is gone', async () => (await store.get('short')) === undefined);
    expect(await one.client.exists('test:a:short')).to.equal(0);
  });

  it('refuses what the embedded stores refuse (non-JSON values, bad TTLs)', async () => {
    const store = new RedisStore(one.client, 'test:b:');
    let error: unknown;
    try {
      await store.set('f', () => 1);
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(TypeError);
    error = undefined;
    try {
      await store.claim('c', 1, { ttlMs: 0 });
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(RangeError);
  });

  it('claims atomically across instances: of 20 claims at the same moment from two connections, exactly one wins', async () => {
    const a = new RedisStore(one.client, 'test:claims:');
    const b = new RedisStore(two.client, 'test:claims:');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? a : b).claim('messages:created:M1', `event-${i}`, { ttlMs: 60_000 }),
      ),
    );
    expect(results.filter(Boolean)).to.have.length(1);
    const winner = results.indexOf(true);
    expect(await b.get('messages:created:M1')).to.equal(`event-${winner}`);
    // The claim expires with its TTL, then the key can be claimed again.
    await a.claim('quick', 'x', { ttlMs: 30 });
    await waitUntil('the expired claim can be claimed again', () => b.claim('quick', 'y', { ttlMs: 60_000 }));
    expect(await a.get('quick')).to.equal('y');
  });

  it("namespaces keys by bot: two bots on one Redis never see each other's keys", async () => {
    const nsA = botNamespace('Y2lzY29zcGFyazovL3VzL1BFT1BMRS9ib3QtYQ');
    const nsB = botNamespace('Y2lzY29zcGFyazovL3VzL1BFT1BMRS9ib3QtYg');
    expect(nsA).to.match(/^wsb:\{[0-9a-f]{16}\}:$/);
    expect(nsA).to.not.equal(nsB);
    expect(botNamespace('Y2lzY29zcGFyazovL3VzL1BFT1BMRS9ib3QtYQ')).to.equal(nsA); // every instance of one bot: the same
    const botA = new RedisStore(one.client, `${nsA}state:`);
    const botB = new RedisStore(two.client, `${nsB}state:`);
    await botA.set('provision:space:R1:count', 1);
    expect(await botB.get('provision:space:R1:count')).to.equal(undefined);
    expect(await botB.claim('messages:created:M2', 'b', { ttlMs: 60_000 })).to.equal(true);
    expect(await botA.claim('messages:created:M2', 'a', { ttlMs: 60_000 })).to.equal(true);
  });

  it("forgets every key under a prefix (SCAN), and only this store's, glob characters taken literally", async () => {
    const store = new RedisStore(one.client, 'test:d:');
    const other = new RedisStore(one.client, 'test:e:');
    for (let i = 0; i < 250; i++) await store.set(`space:R1:k${i}`, i);
    await store.set('space:R1*x', 'star');
    await store.set('space:R2:k', 'kept');
    await other.set('space:R1:k0', 'other bot');
    expect(await store.deletePrefix('space:R1:')).to.equal(250);
    expect(await store.get('space:R1*x')).to.equal('star');
    expect(await store.get('space:R2:k')).to.equal('kept');
    expect(await other.get('space:R1:k0')).to.equal('other bot');
  });

  it('close() leaves the shared connection open for its other users', async () => {
    const store = new RedisStore(one.client, 'test:c:');
    await store.close();
    await store.set('still', 'works');
    expect(await store.get('still')).to.equal('works');
  });
});
