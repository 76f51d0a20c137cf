/**
 * One process per state folder: a lock file (`<dir>/instance.lock`) naming its holder (pid,
 * host, boot id, a random token). It is created whole or not at all: written to a temporary
 * file, flushed, then hard-linked to its name, which fails when the name exists.
 *
 * A lock left by a process that is gone is taken over: on this host, when its pid no longer
 * runs, when the machine has restarted since (another boot id), or when its pid is this
 * process's own (a container restarted: the bot is pid 1 again). A lock of another host cannot
 * be checked from here: it is refused, and the error says how to clear it.
 *
 * Taking over renames the old lock aside and checks that what was moved is the lock found
 * stale (its token); if another process took the lock over meanwhile, its lock is put back.
 */
import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { isRecord } from '../../util/is-record.js';
import { JournalError } from '../../errors.js';

/** Who holds a lock, as its file says. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  /** The kernel's boot id when the lock was taken (Linux), to tell a lock from before a restart. */
  readonly bootId?: string;
  /** Epoch ms. */
  readonly since: number;
  readonly token: string;
}

/** Lock files held by this process (a second open in the same process is refused too). */
const heldHere = new Set<string>();

async function currentBootId(): Promise<string | undefined> {
  try {
    return (await readFile('/proc/sys/kernel/random/boot_id', 'utf8')).trim() || undefined;
  } catch {
    return undefined;
  }
}

async function readHolder(file: string): Promise<LockHolder | 'gone' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    return 'unreadable';
  }
  try {
    const h = JSON.parse(text) as unknown;
    if (isRecord(h) && Number.isInteger(h['pid']) && typeof h['host'] === 'string' && typeof h['token'] === 'string')
      return h as unknown as LockHolder;
  } catch {
    // not JSON: unreadable
  }
  return 'unreadable';
}

function pidRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** Whether `holder`'s process is gone, as far as this host can tell: 'gone', 'runs' or 'unknown' (another host). */
function holderState(holder: LockHolder, me: LockHolder): 'gone' | 'runs' | 'unknown' {
  if (holder.host !== me.host) return 'unknown';
  if (holder.bootId !== undefined && me.bootId !== undefined && holder.bootId !== me.bootId) return 'gone';
  if (holder.pid === me.pid) return 'gone'; // not held by this process (see heldHere): an earlier one with the same pid
  return pidRuns(holder.pid) ? 'runs' : 'gone';
}

/**
 * An exclusive lock on a folder, for one process.
 * @example
 * const lock = await FolderLock.acquire('/var/lib/bot');
 * try { … } finally { await lock.release(); }
 */
export class FolderLock {
  private released = false;

  private constructor(
    /** The lock file's path. */
    readonly file: string,
    /** What the lock file says. */
    readonly holder: LockHolder,
  ) {}

  /**
   * Takes the lock `file` (an absolute path), taking over a stale one.
   * @throws {JournalError} `JOURNAL_LOCKED` when a live process (or one of another host) holds it,
   *   or the lock file cannot be read or written
   */
  static async acquire(file: string): Promise<FolderLock> {
    const me: LockHolder = {
      pid: process.pid,
      host: hostname(),
      bootId: await currentBootId(),
      since: Date.now(),
      token: randomBytes(8).toString('hex'),
    };
    if (heldHere.has(file))
      throw new JournalError('JOURNAL_LOCKED', file, `${file} is already held by this process (opened twice)`);
    heldHere.add(file); // reserved now, so that a second acquire in this process cannot race this one
    let taken = false;
    const temp = `${file}.${me.pid}.${me.token}.tmp`;
    try {
      const handle = await open(temp, 'wx', 0o644);
      try {
        await handle.writeFile(`${JSON.stringify(me)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      for (let attempt = 0; attempt < 5; attempt++) {
        try {
          await link(temp, file);
          taken = true;
          return new FolderLock(file, me);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        }
        const holder = await readHolder(file);
        if (holder === 'gone') continue;
        if (holder === 'unreadable')
          throw new JournalError(
            'JOURNAL_LOCKED',
            file,
            `the lock file ${file} exists but does not name its holder: if no bot uses this folder, delete it and start again`,
          );
        const state = holderState(holder, me);
        if (state !== 'gone') {
          const since = Number.isFinite(holder.since) ? ` since ${new Date(holder.since).toISOString()}` : '';
          throw new JournalError(
            'JOURNAL_LOCKED',
            file,
            state === 'runs'
              ? `another process (pid ${holder.pid}${since}) uses this state folder: stop it first, or give this bot another STATE_DIR (${file})`
              : `the state folder is locked by pid ${holder.pid} on host ${holder.host}${since}, which cannot be checked from ${me.host}: ` +
                  `if that process is gone, delete ${file} and start again (in a container, give it a fixed hostname to avoid this)`,
          );
        }
        await takeOver(file, holder);
      }
      throw new JournalError('JOURNAL_LOCKED', file, `could not take the lock ${file}: other processes kept taking it`);
    } catch (err) {
      if (err instanceof JournalError) throw err;
      throw new JournalError('JOURNAL_LOCKED', file, `cannot lock ${file}: ${(err as Error).message}`, { cause: err });
    } finally {
      if (!taken) heldHere.delete(file);
      await rm(temp, { force: true });
    }
  }

  /** Gives the lock up (only if the file is still this lock). */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    heldHere.delete(this.file);
    const holder = await readHolder(this.file);
    if (typeof holder === 'object' && holder.token === this.holder.token) await rm(this.file, { force: true });
  }
}

/**
 * Removes the stale lock `stale` found at `file`, and nothing else: a lock another process put
 * there since it was read is put back. (Exported for its test.)
 */
export async function takeOver(file: string, stale: LockHolder): Promise<void> {
  const aside = `${file}.stale-${randomBytes(6).toString('hex')}`;
  try {
    await rename(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // someone else moved it: look again
    throw err;
  }
  const moved = await readHolder(aside);
  if (typeof moved !== 'object' || moved.token !== stale.token) {
    // Another process took the stale lock over between our read and our rename: give its lock back.
    await link(aside, file).catch(() => undefined);
  }
  await rm(aside, { force: true });
}
