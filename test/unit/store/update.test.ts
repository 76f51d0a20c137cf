/**
 * `update` on the embedded stores (memory, file) and through a prefixed view: atomic
 * read-modify-write, so concurrent writers never lose one another's changes.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileStore, MemoryStore, prefixedStore, type KeyValueStore } from '../../../src/store/index.js';
import { waitUntil } from '../../scale/support/wait.js';

const tempDir = (): string => mkdtempSync(path.join(tmpdir(), 'state-'));

/** `writers` concurrent writers, each adding 1 to `key` `times` times, one after the other. */
async function increment(store: KeyValueStore, key: string, writers: number, times: number): Promise<void> {
  await Promise.all(
    Array.from({ length: writers }, async () => {
      for (let i = 0; i < times; i++) await store.update<number>(key, (n) => (n ?? 0) + 1);
    }),
  );
}

async function thrown(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

const stores: Array<[string, () => Promise<KeyValueStore>]> = [
  ['MemoryStore', async () => new MemoryStore()],
  ['FileStore', () => FileStore.open(tempDir())],
  ['a prefixed view', async () => prefixedStore(await FileStore.open(tempDir()), 'p:')],
];

for (const [name, make] of stores) {
  describe(`${name}: update`, () => {
    it('many concurrent writers incrementing one counter end at the exact total', async () => {
      const store = await make();
      await increment(store, 'count', 50, 8);
      expect(await store.get('count')).to.equal(400);
    });

    it('passes the current value, stores what comes back (a copy) and resolves with it', async () => {
      const store = await make();
      expect(await store.update<string[]>('ids', (ids) => [...(ids ?? []), 'a'])).to.deep.equal(['a']);
      const back = await store.update<string[]>('ids', (ids) => [...(ids ?? []), 'b']);
      expect(back).to.deep.equal(['a', 'b']);
      back!.push('mutated');
      expect(await store.get('ids')).to.deep.equal(['a', 'b']);
    });

    it('undefined deletes the key, or leaves it absent', async () => {
      const store = await make();
      await store.set('k', 1);
      expect(await store.update('k', () => undefined)).to.equal(undefined);
      expect(await store.get('k')).to.equal(undefined);
      const seen: unknown[] = [];
      expect(
        await store.update('never', (v) => {
          seen.push(v);
          return undefined;
        }),
      ).to.equal(undefined);
      expect(seen).to.deep.equal([undefined]);
      expect(await store.get('never')).to.equal(undefined);
    });

    it('a function that throws, or returns a promise, or something that is not JSON, changes nothing', async () => {
      const store = await make();
      await store.set('k', 1);
      expect(
        await thrown(
          store.update('k', () => {
            throw new Error('no');
          }),
        ),
      ).to.have.property('message', 'no');
      expect(await thrown(store.update('k', (async () => 2) as unknown as () => number)))
        .to.be.instanceOf(TypeError)
        .with.property('message')
        .that.includes('must be synchronous');
      expect(await thrown(store.update('k', () => (() => 3) as unknown as number))).to.be.instanceOf(TypeError);
      expect(await store.get('k')).to.equal(1);
    });

    it('stores with a TTL when given one', async () => {
      const store = await make();
      await store.update('t', () => 'soon', { ttlMs: 50 });
      await store.update('kept', () => 'here');
      await waitUntil('the value with a TTL is gone', async () => (await store.get('t')) === undefined);
      expect(await store.get('kept')).to.equal('here');
    });
  });
}

describe('FileStore: update is on disk when it resolves', () => {
  it('the exact total is in the file, and after a restart', async () => {
    const dir = tempDir();
    const store = await FileStore.open(dir);
    await increment(store, 'count', 20, 10);
    const onDisk = JSON.parse(readFileSync(path.join(dir, 'state.json'), 'utf8')) as {
      entries: Record<string, { value: unknown }>;
    };
    expect(onDisk.entries['count']).to.deep.equal({ value: 200 });
    await store.close();
    expect(await (await FileStore.open(dir)).get('count')).to.equal(200);
  });
});
