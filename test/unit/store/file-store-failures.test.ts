/**
 * A failed write of the state file changes nothing: the change is refused and memory stays what
 * the file holds. Faults are put at the store's file-system seam (a full disk on rename).
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sinon from 'sinon';
import { StateError } from '../../../src/errors.js';
import { FileStore } from '../../../src/store/index.js';
import { stateFs, type StateFs } from '../../../src/store/state-fs.js';

const tempDir = (): string => mkdtempSync(path.join(tmpdir(), 'state-'));
const diskFull = (): NodeJS.ErrnoException =>
  Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

/**
 * A file system whose renames onto the state file fail while `full` is true; `held()` resolves
 * when such a rename has started, which then waits for `release()`.
 */
function faultyFs(): {
  fs: StateFs;
  setFull(full: boolean): void;
  holdNext(): { held: Promise<void>; release(): void };
} {
  const fs: StateFs = { ...stateFs };
  let full = false;
  let gate: { started(): void; wait: Promise<void> } | undefined;
  sinon.stub(fs, 'rename').callsFake(async (from, to) => {
    if (!full || path.basename(to) !== 'state.json') return stateFs.rename(from, to);
    const g = gate;
    gate = undefined;
    if (g) {
      g.started();
      await g.wait;
    }
    throw diskFull();
  });
  return {
    fs,
    setFull: (f) => (full = f),
    holdNext() {
      let started!: () => void;
      let release!: () => void;
      const held = new Promise<void>((r) => (started = r));
      gate = { started, wait: new Promise<void>((r) => (release = r)) };
      return { held, release };
    },
  };
}

async function rejection(p: Promise<unknown>): Promise<StateError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof StateError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

const onDisk = (dir: string): Record<string, unknown> =>
  (JSON.parse(readFileSync(path.join(dir, 'state.json'), 'utf8')) as { entries: Record<string, unknown> }).entries;

describe('FileStore: a failed write changes nothing', () => {
  afterEach(() => sinon.restore());

  it('a failed set, delete or claim rejects and leaves memory as it was', async () => {
    const dir = tempDir();
    const { fs, setFull } = faultyFs();
    const store = await FileStore.open(dir, { fs });
    await store.set('kept', 1);
    await store.set('gone', 'x');
    await store.delete('gone');
    setFull(true);

    const failed = await rejection(store.set('kept', 2));
    expect(failed.code).to.equal('STATE_FAILED');
    expect(failed.message).to.include('no space left on device').and.include('the change was undone');
    expect(await store.get('kept')).to.equal(1);
    expect((await rejection(store.set('new', 1))).code).to.equal('STATE_FAILED');
    expect(await store.get('new')).to.equal(undefined);
    expect((await rejection(store.delete('kept'))).code).to.equal('STATE_FAILED');
    expect(await store.get('kept')).to.equal(1);
    expect((await rejection(store.claim('form', 'PRV-1', { ttlMs: 60_000 }))).code).to.equal('STATE_FAILED');
    expect(await store.get('form')).to.equal(undefined);
    expect(onDisk(dir)).to.deep.equal({ kept: { value: 1 } });

    setFull(false);
    expect(await store.claim('form', 'PRV-2', { ttlMs: 60_000 }), 'the claim is free again').to.equal(true);
    await store.close();
    const reopened = await FileStore.open(dir);
    expect(await reopened.get('form')).to.equal('PRV-2');
    expect(await reopened.get('kept')).to.equal(1);
  });

  it('changes queued behind a failing write are refused and undone; a change after the failure is kept', async () => {
    const dir = tempDir();
    const { fs, setFull, holdNext } = faultyFs();
    const store = await FileStore.open(dir, { fs });
    await store.set('n', 0);
    setFull(true);
    const { held, release } = holdNext();
    const first = store.set('n', 1);
    await held; // the first write is under way: the next changes wait for the next write
    const second = store.set('n', 2);
    const third = store.set('other', 'x');
    expect(await store.get('n')).to.equal(2);
    release();
    const [a, b, c] = await Promise.allSettled([first, second, third]);
    expect([a.status, b.status, c.status]).to.deep.equal(['rejected', 'rejected', 'rejected']);
    expect((b as PromiseRejectedResult).reason.message).to.include('an earlier write failed');
    expect(await store.get('n')).to.equal(0);
    expect(await store.get('other')).to.equal(undefined);
    setFull(false);
    await store.set('later', true);
    expect(onDisk(dir)).to.deep.equal({ n: { value: 0 }, later: { value: true } });
  });

  it('a claim that failed to persist does not block the next claim of the key', async () => {
    const { fs, setFull } = faultyFs();
    const store = await FileStore.open(tempDir(), { fs });
    setFull(true);
    const claims = await Promise.allSettled([
      store.claim('k', 1, { ttlMs: 1000 }),
      store.claim('k', 2, { ttlMs: 1000 }),
    ]);
    expect(claims.map((c) => (c.status === 'fulfilled' ? c.value : 'rejected'))).to.deep.equal(['rejected', false]);
    setFull(false);
    expect(await store.claim('k', 3, { ttlMs: 1000 })).to.equal(true);
    expect(await store.get('k')).to.equal(3);
  });
});
