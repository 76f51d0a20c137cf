/**
 * A state folder that cannot be written, for real: the store must say so when it opens (not when
 * the first user sends a form), and `check()` must notice a folder that became read-only.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { StateError } from '../../../src/errors.js';
import { FileStore } from '../../../src/store/index.js';

const tempDir = (): string => mkdtempSync(path.join(tmpdir(), 'state-'));
const child = fileURLToPath(new URL('./support/read-only-child.ts', import.meta.url));

async function openError(dir: string): Promise<StateError> {
  try {
    await FileStore.open(dir);
  } catch (err) {
    if (err instanceof StateError) return err;
    throw err;
  }
  throw new Error(`expected the store in ${dir} not to open`);
}

describe('FileStore: a state folder that cannot be written', () => {
  it('a folder that turns read-only: check() says so, changes are refused and undone, opening fails clearly', async function () {
    this.timeout(60_000); // a child process compiling TypeScript with tsx, on a busy machine
    const dir = tempDir();
    // As root (permission bits do not stop root), a read-only bind mount in a private mount
    // namespace of the child's own; otherwise chmod.
    const asRoot = process.getuid?.() === 0;
    const command = asRoot ? 'unshare' : process.execPath;
    const args = [...(asRoot ? ['-m', process.execPath] : []), '--import', 'tsx', child, dir];
    let stdout: string;
    try {
      ({ stdout } = await promisify(execFile)(command, args, { cwd: process.cwd() }));
    } catch (err) {
      throw new Error(
        `could not run the read-only folder check (${asRoot ? 'as root it needs `unshare -m` and `mount`' : 'chmod'}): ${(err as Error).message}`,
      );
    }
    const r = JSON.parse(stdout) as Record<string, unknown>;
    expect(r['checkBefore']).to.equal(null);
    expect(r['check'])
      .to.be.a('string')
      .and.include(`the state folder ${dir} cannot be written`)
      .and.include('STATE_DIR');
    expect(r['set']).to.deep.include({ code: 'STATE_FAILED' });
    expect(r['claim']).to.deep.include({ code: 'STATE_FAILED' });
    expect(r['after'], 'a refused set is not in memory').to.equal(null);
    expect(r['once'], 'a refused claim is not held').to.equal(null);
    expect(r['before']).to.equal(1);
    expect(r['reopen']).to.deep.include({ code: 'STATE_DIR_UNWRITABLE' });
    expect((r['reopen'] as { message: string }).message)
      .to.include(`the state folder ${dir} cannot be written`)
      .and.include('set STATE_DIR to a writable folder');
    // Once writable again (the mount gone with the child), nothing was left behind.
    expect(readdirSync(dir)).to.deep.equal(['state.json']);
  });

  it('a folder the bot may not write (EACCES, even for root: sysfs takes no new files) fails at open', async () => {
    const err = await openError('/sys/kernel');
    expect(err.code).to.equal('STATE_DIR_UNWRITABLE');
    expect(err.message).to.match(/^the state folder \/sys\/kernel cannot be written \(.*(EACCES|EPERM|EROFS)/);
    expect(err.message).to.include('STATE_DIR');
  });

  it('a folder that cannot exist (under a regular file) fails at open, naming it', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'file'), 'x');
    const err = await openError(path.join(dir, 'file', 'state'));
    expect(err.code).to.equal('STATE_DIR_UNWRITABLE');
    expect(err.message)
      .to.include(`the state folder ${path.join(dir, 'file', 'state')} cannot be written`)
      .and.include('ENOTDIR')
      .and.include('STATE_DIR');
  });

  it('opening leaves no probe file behind', async () => {
    const dir = tempDir();
    const store = await FileStore.open(dir);
    expect(await store.check()).to.equal(undefined);
    expect(readdirSync(dir)).to.deep.equal([]);
    await store.close();
    expect(await store.check()).to.match(/is closed/);
  });
});
