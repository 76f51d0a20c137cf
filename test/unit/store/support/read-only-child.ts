/**
 * Run by `file-store-unwritable.test.ts` in a process of its own: opens a file store in the
 * folder given, stores a value, then makes the folder read-only for real — a read-only bind mount
 * of it over itself when running as root (the process is in a private mount namespace of its own,
 * made by `unshare -m`: nothing outside it sees the mount, and it ends with the process), else
 * `chmod 555` (which root would ignore) — and prints, as JSON, what the store then does.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { StateError } from '../../../../src/errors.js';
import { FileStore } from '../../../../src/store/index.js';

const dir = process.argv[2]!;

async function codeOf(p: Promise<unknown>): Promise<{ code: string; message: string } | 'ok'> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    return {
      code: err instanceof StateError ? err.code : String((err as NodeJS.ErrnoException).code),
      message: (err as Error).message,
    };
  }
}

const store = await FileStore.open(dir);
await store.set('before', 1);
const checkBefore = (await store.check()) ?? null;
if (process.getuid?.() === 0) execFileSync('mount', ['--bind', '-o', 'ro', dir, dir]);
else chmodSync(dir, 0o555);
const result = {
  checkBefore,
  check: (await store.check()) ?? null,
  set: await codeOf(store.set('after', 2)),
  claim: await codeOf(store.claim('once', 'me', { ttlMs: 60_000 })),
  after: (await store.get('after')) ?? null,
  once: (await store.get('once')) ?? null,
  before: (await store.get('before')) ?? null,
  reopen: await codeOf(FileStore.open(dir)),
};
if (process.getuid?.() !== 0) chmodSync(dir, 0o755);
process.stdout.write(`${JSON.stringify(result)}\n`);
