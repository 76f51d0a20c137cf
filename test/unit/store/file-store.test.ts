import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { StateError } from '../../../src/errors.js';
import { FileStore } from '../../../src/store/index.js';

const tempDir = (): string => mkdtempSync(path.join(tmpdir(), 'state-'));

async function openError(dir: string): Promise<StateError> {
  try {
    await FileStore.open(dir);
  } catch (err) {
    if (err instanceof StateError) return err;
    throw err;
  }
  throw new Error('expected the store not to open');
}

describe('FileStore', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => {
    clock = 1_000_000;
  });

  it('forgets every key under a prefix, and the file keeps the rest', async () => {
    const dir = tempDir();
    const store = await FileStore.open(dir);
    await store.set('space:R1:a', 1);
    await store.set('space:R1:b', 2);
    await store.set('space:R2:a', 3);
    expect(await store.deletePrefix('space:R1:')).to.equal(2);
    expect(await store.deletePrefix('space:R9:')).to.equal(0);
    await store.close();
    const again = await FileStore.open(dir);
    expect([await again.get('space:R1:a'), await again.get('space:R2:a')]).to.deep.equal([undefined, 3]);
    await again.close();
  });

  it('keeps what was stored across a restart (close, open again), with TTLs', async () => {
    const dir = tempDir();
    const first = await FileStore.open(dir, { now });
    await first.set('form', { step: 2, name: 'Ada' });
    await first.set('short', 'soon gone', { ttlMs: 100 });
    expect(await first.claim('once', 'me', { ttlMs: 10_000 })).to.equal(true);
    await first.set('gone', 1);
    expect(await first.delete('gone')).to.equal(true);
    await first.close();

    const second = await FileStore.open(dir, { now });
    expect(await second.get('form')).to.deep.equal({ step: 2, name: 'Ada' });
    expect(await second.get('short')).to.equal('soon gone');
    expect(await second.claim('once', 'someone else', { ttlMs: 10_000 })).to.equal(false);
    expect(await second.get('gone')).to.equal(undefined);
    clock += 100;
    expect(await second.get('short')).to.equal(undefined);
    await second.close();
    // Expired entries are not carried into the next file.
    const third = await FileStore.open(dir, { now });
    expect(third.size).to.equal(2);
  });

  it('stores copies of JSON data, and refuses what is not JSON or a bad TTL', async () => {
    const store = await FileStore.open(tempDir(), { now });
    const value = { list: [1] };
    await store.set('k', value);
    value.list.push(2);
    expect(await store.get('k')).to.deep.equal({ list: [1] });
    await store.set('k', 'replaced');
    expect(await store.get('k')).to.equal('replaced');
    await store.set('odd key "\\n', [null, true]);
    expect(await store.get('odd key "\\n')).to.deep.equal([null, true]);
    let err: unknown;
    try {
      await store.set('u', undefined);
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(TypeError);
    try {
      await store.set('t', 1, { ttlMs: 0 });
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(RangeError);
  });

  it('writes through a temporary file renamed over the old one, leaving no temporary files', async () => {
    const dir = tempDir();
    const store = await FileStore.open(dir, { now });
    await store.set('a', 1);
    const before = statSync(path.join(dir, 'state.json')).ino;
    await store.set('b', 2);
    expect(statSync(path.join(dir, 'state.json')).ino).to.not.equal(before); // a new file took its place
    expect(readdirSync(dir)).to.deep.equal(['state.json']);
    expect(JSON.parse(readFileSync(path.join(dir, 'state.json'), 'utf8'))).to.deep.equal({
      format: 'webex-skill-bot state',
      version: 1,
      entries: { a: { value: 1 }, b: { value: 2 } },
    });
  });

  it('makes concurrent changes together, each resolved once on disk; one concurrent claim wins', async () => {
    const dir = tempDir();
    const store = await FileStore.open(dir, { now });
    const claims = await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => store.set(`k${i}`, i).then(() => 'set')),
      ...Array.from({ length: 10 }, (_, i) => store.claim('same', i, { ttlMs: 1000 })),
    ]);
    expect(claims.filter((c) => c === true)).to.have.length(1);
    const onDisk = JSON.parse(readFileSync(path.join(dir, 'state.json'), 'utf8')) as {
      entries: Record<string, unknown>;
    };
    expect(Object.keys(onDisk.entries)).to.have.length(21);
  });

  it('a failed write rejects with an error naming the file, and leaves no temporary file', async () => {
    const dir = tempDir();
    const store = await FileStore.open(dir, { now });
    mkdirSync(path.join(dir, 'state.json')); // a folder where the file should go: rename fails
    let err: unknown;
    try {
      await store.set('k', 1);
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(StateError).with.property('code', 'STATE_FAILED');
    expect((err as Error).message).to.include(path.join(dir, 'state.json'));
    expect(readdirSync(dir)).to.deep.equal(['state.json']);
  });

  for (const [what, content, reason] of [
    ['not JSON', '{"format": "webex-skill-bot state", "entr', /it is not valid JSON/],
    ['JSON of another shape', '{"hello": "world"}', /it is not a state file of this bot/],
    [
      'a bad entry',
      '{"format": "webex-skill-bot state", "version": 1, "entries": {"k": {"expiresAt": "soon"}}}',
      /entry "k" is not/,
    ],
  ] as const) {
    it(`a state file that is ${what}: opening fails naming it, and the file is kept (renamed aside), never emptied`, async () => {
      const dir = tempDir();
      writeFileSync(path.join(dir, 'state.json'), content);
      const err = await openError(dir);
      expect(err.code).to.equal('STATE_CORRUPT');
      expect(err.file).to.equal(path.join(dir, 'state.json'));
      expect(err.message)
        .to.include(`the state file ${path.join(dir, 'state.json')} cannot be read`)
        .and.match(reason);
      const aside = readdirSync(dir).filter((f) => f.startsWith('state.json.corrupt-'));
      expect(aside).to.have.length(1);
      expect(err.message).to.include(`it was moved to ${path.join(dir, aside[0]!)}`);
      expect(readFileSync(path.join(dir, aside[0]!), 'utf8')).to.equal(content);
      // The next start begins empty, the bad file still aside.
      const store = await FileStore.open(dir);
      expect(store.size).to.equal(0);
      expect(readdirSync(dir)).to.include(aside[0]);
    });
  }

  it('refuses changes once closed', async () => {
    const store = await FileStore.open(tempDir());
    await store.close();
    let err: unknown;
    try {
      await store.set('k', 1);
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(StateError);
  });
});
