import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { JournalError } from '../../../../src/errors.js';
import { EventJournal, FolderLock } from '../../../../src/events/journal/index.js';
import { takeOver } from '../../../../src/events/journal/folder-lock.js';
import { tempDir } from './support.js';

async function lockError(file: string): Promise<JournalError> {
  try {
    await (await FolderLock.acquire(file)).release();
  } catch (err) {
    if (err instanceof JournalError) return err;
    throw err;
  }
  throw new Error('expected the lock to be refused');
}

/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
  const run = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(run.stdout.toString());
}

const bootId = existsSync('/proc/sys/kernel/random/boot_id')
  ? readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()
  : undefined;

const lockFile = (holder: Record<string, unknown>): string => {
  const file = path.join(tempDir(), 'instance.lock');
  writeFileSync(file, JSON.stringify({ host: hostname(), since: 0, token: 'old', ...holder }));
  return file;
};

describe('FolderLock: one process per state folder', () => {
  it('refuses a second journal on the same folder in the same process, and gives the folder back on close', async () => {
    const dir = tempDir();
    const { journal } = await EventJournal.open(dir);
    let err: unknown;
    try {
      await EventJournal.open(dir);
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(JournalError);
    expect((err as JournalError).code).to.equal('JOURNAL_LOCKED');
    expect((err as JournalError).message).to.match(/already held by this process/);
    await journal.close();
    expect(existsSync(path.join(dir, 'instance.lock'))).to.equal(false);
    await (await EventJournal.open(dir)).journal.close();
  });

  it('lets only one of two acquires started at once in a process have the lock', async () => {
    const file = path.join(tempDir(), 'instance.lock');
    const outcomes = await Promise.allSettled([FolderLock.acquire(file), FolderLock.acquire(file)]);
    expect(outcomes.map((o) => o.status).sort()).to.deep.equal(['fulfilled', 'rejected']);
    for (const o of outcomes) if (o.status === 'fulfilled') await o.value.release();
  });

  it('takes over a lock whose process is gone, and writes itself in', async () => {
    const file = lockFile({ pid: deadPid(), ...(bootId ? { bootId } : {}) });
    const lock = await FolderLock.acquire(file);
    const holder = JSON.parse(readFileSync(file, 'utf8')) as { pid: number; token: string };
    expect(holder.pid).to.equal(process.pid);
    expect(holder.token).to.equal(lock.holder.token);
    await lock.release();
    expect(existsSync(file)).to.equal(false);
  });

  it('takes over a lock with this process’s own pid that this process does not hold (a restarted container’s pid 1)', async () => {
    const lock = await FolderLock.acquire(lockFile({ pid: process.pid }));
    await lock.release();
  });

  (bootId ? it : it.skip)(
    'takes over a lock from before the machine restarted (another boot id), even if its pid runs now',
    async () => {
      const lock = await FolderLock.acquire(lockFile({ pid: process.ppid, bootId: 'an-earlier-boot' }));
      await lock.release();
    },
  );

  it('refuses a lock held by a running process, naming it, and leaves it alone', async () => {
    const file = lockFile({ pid: process.ppid, ...(bootId ? { bootId } : {}) });
    const before = readFileSync(file, 'utf8');
    const err = await lockError(file);
    expect(err.code).to.equal('JOURNAL_LOCKED');
    expect(err.message).to.include(
      `another process (pid ${process.ppid} since 1970-01-01T00:00:00.000Z) uses this state folder`,
    );
    expect(readFileSync(file, 'utf8')).to.equal(before);
  });

  it('refuses a lock of another host (it cannot be checked from here), saying how to clear it', async () => {
    const file = lockFile({ pid: 4242, host: 'elsewhere' });
    const err = await lockError(file);
    expect(err.message).to.include('locked by pid 4242 on host elsewhere');
    expect(err.message).to.include(`if that process is gone, delete ${file}`);
  });

  it('refuses a lock file that does not name its holder', async () => {
    const file = path.join(tempDir(), 'instance.lock');
    writeFileSync(file, 'garbage');
    expect((await lockError(file)).message).to.match(/does not name its holder/);
  });

  it('puts back a lock another process took over between the stale lock’s reading and its removal', async () => {
    const file = lockFile({ pid: 4243, token: 'taken-by-the-other' });
    const stale = { pid: 4242, host: hostname(), since: 0, token: 'the-stale-one' };
    await takeOver(file, stale);
    expect(JSON.parse(readFileSync(file, 'utf8'))).to.include({ token: 'taken-by-the-other' });
    await takeOver(file, { ...stale, token: 'taken-by-the-other' });
    expect(existsSync(file)).to.equal(false);
    expect(readdirSync(path.dirname(file))).to.deep.equal([]);
  });

  it('leaves a lock that is no longer its own in place on release', async () => {
    const file = path.join(tempDir(), 'instance.lock');
    const lock = await FolderLock.acquire(file);
    writeFileSync(file, JSON.stringify({ pid: 1, host: 'other', since: 0, token: 'someone-else' }));
    await lock.release();
    expect(existsSync(file)).to.equal(true);
  });
});
