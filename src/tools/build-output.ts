/**
 * Making `dist/` safe for several `npm start` at once (each runs the build first, as `prestart`),
 * and for a process that is loading from it:
 *
 * - **Skipped when current.** `dist/.build-stamp` holds a fingerprint of what the build was made
 *   from (every source file's path and content, the build script, esbuild's version). A build whose
 *   inputs have that fingerprint writes nothing: a process loading from `dist/` never sees a file
 *   change under it because another instance started.
 * - **One builder at a time.** A builder holds `.dist-lock/` (made with `mkdir`, which only one
 *   process can do; it names the holder's pid). The others wait, then find `dist/` current.
 *   A lock whose holder has died, or older than {@link STALE_LOCK_MS}, is taken over.
 * - **Built aside, swapped in.** The build goes to a fresh `.dist-build-<pid>-<random>/` beside
 *   `dist/`, stamped last; only a complete build is renamed into place (old `dist/` renamed
 *   aside, the new one renamed in, the old one removed), so `dist/` is never half written. A
 *   process started from the old build before the swap has already loaded its modules (the bot
 *   loads everything at start); one still loading at the very moment of a swap — which happens
 *   only when the sources changed — may fail, and starts again from the new build.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { processAlive } from '../util/process-alive.js';

/** The file in the output folder holding the fingerprint of its inputs. */
export const STAMP_FILE = '.build-stamp';
/** A lock older than this is taken to be left by a build that died (a build takes about a second). */
export const STALE_LOCK_MS = 120_000;

/**
 * A fingerprint of `files` (their paths relative to `root`, and contents) and of `extra` (tool
 * versions): equal fingerprints mean equal build outputs.
 */
export function fingerprint(root: string, files: readonly string[], extra: readonly string[] = []): string {
  const hash = createHash('sha256');
  for (const e of extra) hash.update(`${e}\0`);
  for (const file of [...files].sort()) {
    hash.update(`${path.relative(root, file)}\0`);
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** Whether `outdir` holds a complete build with fingerprint `stamp`. */
export function isCurrent(outdir: string, stamp: string): boolean {
  try {
    return readFileSync(path.join(outdir, STAMP_FILE), 'utf8') === stamp;
  } catch {
    return false;
  }
}

/** Why the lock at `lockDir` is abandoned (its holder died, or it is too old), or undefined when it is held. */
function abandoned(lockDir: string): string | undefined {
  try {
    const pid = Number(readFileSync(path.join(lockDir, 'pid'), 'utf8'));
    if (Number.isInteger(pid) && pid > 0 && !processAlive(pid)) return `its holder (pid ${pid}) has exited`;
    if (Date.now() - statSync(lockDir).mtimeMs > STALE_LOCK_MS) return `it is older than ${STALE_LOCK_MS / 1000} s`;
    return undefined;
  } catch (err) {
    // Gone already, or made this instant and its pid not written yet.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return undefined;
    try {
      return Date.now() - statSync(lockDir).mtimeMs > STALE_LOCK_MS ? 'it names no holder' : undefined;
    } catch {
      return undefined;
    }
  }
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn` holding the lock `lockDir` (waiting for it for at most `waitMs`).
 * @throws when the lock stays held by a live process for `waitMs`.
 */
export async function withLock<T>(lockDir: string, fn: () => Promise<T>, waitMs = 5 * 60_000): Promise<T> {
  const giveUpAt = Date.now() + waitMs;
  for (let pauseMs = 20; ; pauseMs = Math.min(pauseMs * 2, 200)) {
    try {
      mkdirSync(lockDir);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (abandoned(lockDir) !== undefined) {
      // Moved aside first, so of several waiters finding it abandoned only one removes it.
      const aside = `${lockDir}.abandoned-${process.pid}-${randomBytes(4).toString('hex')}`;
      try {
        renameSync(lockDir, aside);
        rmSync(aside, { recursive: true, force: true });
      } catch {
        // Another waiter moved it first.
      }
      continue;
    }
    if (Date.now() > giveUpAt)
      throw new Error(`another build has held ${lockDir} for ${waitMs / 1000} s; if no build is running, remove it`);
    await pause(pauseMs);
  }
  try {
    writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

/** A fresh folder beside `outdir` to build into. */
export function freshBuildDir(outdir: string): string {
  return path.join(
    path.dirname(outdir),
    `.${path.basename(outdir)}-build-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
}

/**
 * Stamps the complete build in `built` with `stamp` and puts it in place of `outdir`; the previous
 * `outdir` is removed. Leftovers of builds that died (`.<outdir>-build-*`, `.<outdir>-old-*`) go too.
 */
export function install(built: string, outdir: string, stamp: string): void {
  writeFileSync(path.join(built, STAMP_FILE), stamp);
  const parent = path.dirname(outdir);
  const base = path.basename(outdir);
  const old = path.join(parent, `.${base}-old-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    renameSync(outdir, old);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  renameSync(built, outdir);
  for (const name of readdirSync(parent)) {
    if (name.startsWith(`.${base}-old-`) || (name.startsWith(`.${base}-build-`) && !ownedByLiveBuild(name)))
      rmSync(path.join(parent, name), { recursive: true, force: true });
  }
}

/** Whether the build folder `name` (`.<outdir>-build-<pid>-<random>`) belongs to a process still running. */
function ownedByLiveBuild(name: string): boolean {
  const pid = Number(/-build-(\d+)-/.exec(name)?.[1]);
  return pid === process.pid || (Number.isInteger(pid) && pid > 0 && processAlive(pid));
}
