/**
 * The embedded {@link KeyValueStore} that survives a restart: every entry in memory, and all of
 * them in one JSON file (`<dir>/state.json`) rewritten after each change. A write goes to a
 * temporary file in the same folder, is flushed to disk, then renamed over the old file, so the
 * file on disk is always a whole old version or a whole new one, never half of each. Writes
 * that come while one is in progress are made together in the next one; each change resolves
 * once it is on disk.
 *
 * A failed write changes nothing: the change is refused (the promise rejects) and memory goes
 * back to what the file holds. Changes made after the failed one, not yet on disk, are refused
 * too (they may build on it). A read made while a write is under way sees its changes.
 *
 * Opening proves the folder can be written (a probe file written, flushed and renamed), so a
 * read-only or forbidden `STATE_DIR` stops the start with a {@link StateError}
 * `STATE_DIR_UNWRITABLE` rather than failing the first user; {@link FileStore.check} asks again
 * (for readiness probes).
 *
 * A file that cannot be read as state is never emptied: it is renamed aside
 * (`state.json.corrupt-<time>`) and opening fails with a {@link StateError} naming both files.
 *
 * One process per folder: several bot instances need a shared store (Redis) instead. No native
 * module, nothing to build.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { StateError } from '../errors.js';
import { isRecord } from '../util/is-record.js';
import { stateFs, writeAndRename, type StateFs } from './state-fs.js';
import { TtlEntries, type TtlEntry } from './ttl-entries.js';
import type { KeyValueStore, SetOptions } from './types.js';
import { nextValue } from './update-value.js';

/** Options of {@link FileStore.open}. */
export interface FileStoreOptions {
  /** File name inside the folder (default `state.json`). */
  readonly fileName?: string;
  /** Clock, for tests (default `Date.now`). */
  readonly now?: () => number;
  /** File operations, for tests (default: the real file system, {@link stateFs}). */
  readonly fs?: StateFs;
}

const FORMAT = 'webex-skill-bot state';

function parseState(text: string): Map<string, TtlEntry> | string {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return `it is not valid JSON (${(err as Error).message})`;
  }
  if (!isRecord(data) || data['format'] !== FORMAT || data['version'] !== 1 || !isRecord(data['entries'])) {
    return `it is not a state file of this bot (expected {"format": "${FORMAT}", "version": 1, "entries": {…}})`;
  }
  const entries = new Map<string, TtlEntry>();
  for (const [key, e] of Object.entries(data['entries'])) {
    if (!isRecord(e) || !('value' in e) || (e['expiresAt'] !== undefined && typeof e['expiresAt'] !== 'number')) {
      return `entry ${JSON.stringify(key)} is not {"value": …, "expiresAt"?: <epoch ms>}`;
    }
    entries.set(key, {
      json: JSON.stringify(e['value']),
      expiresAt: typeof e['expiresAt'] === 'number' ? e['expiresAt'] : Infinity,
    });
  }
  return entries;
}

/** A name in the state folder no other process or write uses. */
function uniqueName(dir: string, base: string, suffix: string): string {
  return path.join(dir, `.${base}.${process.pid}.${randomBytes(4).toString('hex')}${suffix}`);
}

/** The error for a state folder that cannot be written. */
function unwritable(dir: string, file: string, err: unknown): StateError {
  return new StateError(
    'STATE_DIR_UNWRITABLE',
    file,
    `the state folder ${dir} cannot be written (${(err as Error).message}): set STATE_DIR to a writable folder, ` +
      'or make this one writable by the bot',
    { cause: err },
  );
}

/**
 * Proves `dir` takes a new file: writes a probe (flushed to disk when `sync`), renames it, removes it.
 * @throws the file system's error.
 */
async function probe(fs: StateFs, dir: string, base: string, sync: boolean): Promise<void> {
  const temp = uniqueName(dir, base, '.probe.tmp');
  const renamed = uniqueName(dir, base, '.probe');
  await writeAndRename(fs, temp, renamed, 'probe\n', sync);
  await fs.rm(renamed, { force: true });
}

/** A file-backed store with TTLs, for one process. */
export class FileStore implements KeyValueStore {
  private queued: Promise<void> | undefined;
  private last: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Bumped by each failed write: a write queued before it carries changes that were undone. */
  private generation = 0;
  /** What the file holds (the live entries of the last successful write). */
  private committed: Map<string, TtlEntry>;
  /** What the store answers: the file's entries and the changes on their way to it. */
  private entries: TtlEntries;

  private constructor(
    /** The state file's path. */
    readonly file: string,
    private readonly fs: StateFs,
    private readonly now: () => number,
    committed: Map<string, TtlEntry>,
  ) {
    this.committed = committed;
    this.entries = new TtlEntries(now, new Map(committed));
  }

  /**
   * Opens (creating the folder if needed) the store in `dir`, after proving the folder can be
   * written.
   *
   * @throws {StateError} `STATE_DIR_UNWRITABLE` when the folder cannot be created or written (the
   *   message names it and `STATE_DIR`), `STATE_CORRUPT` when the file is not readable state (it
   *   has been renamed aside, and the error names where), `STATE_FAILED` when the file cannot be read.
   * @example
   * const store = await FileStore.open('data');
   * await store.set('greeting', { text: 'hi' }, { ttlMs: 60_000 });
   */
  static async open(dir: string, options: FileStoreOptions = {}): Promise<FileStore> {
    const file = path.resolve(dir, options.fileName ?? 'state.json');
    const folder = path.dirname(file);
    const now = options.now ?? Date.now;
    const fs = options.fs ?? stateFs;
    try {
      await fs.mkdir(folder, { recursive: true });
      await probe(fs, folder, path.basename(file), true);
    } catch (err) {
      throw unwritable(folder, file, err);
    }
    let text: string | undefined;
    try {
      text = await fs.readFile(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new StateError('STATE_FAILED', file, `cannot read the state file ${file}: ${(err as Error).message}`, {
          cause: err,
        });
      }
    }
    if (text === undefined) return new FileStore(file, fs, now, new Map());
    const parsed = parseState(text);
    if (typeof parsed === 'string') {
      const aside = `${file}.corrupt-${new Date(now()).toISOString().replace(/[:.]/g, '-')}`;
      await fs.rename(file, aside);
      throw new StateError(
        'STATE_CORRUPT',
        file,
        `the state file ${file} cannot be read: ${parsed}. Nothing was deleted: it was moved to ${aside}. ` +
          'Restore it from there (or from a backup) and start again; or start again as it is, with empty state.',
      );
    }
    const live = new TtlEntries(now, parsed);
    live.trim(Infinity);
    return new FileStore(file, fs, now, new Map(live.liveEntries()));
  }

  /** Entries held (expired ones not yet swept may be counted until touched). */
  get size(): number {
    return this.entries.size;
  }

  /**
   * Why the state folder cannot be written now (a probe file written and renamed there), or
   * `undefined` when it can: cheap enough for a readiness probe.
   * @example const problem = await store.check(); if (problem) res.status(503).send(problem);
   */
  async check(): Promise<string | undefined> {
    if (this.closed) return `the store of ${this.file} is closed`;
    const folder = path.dirname(this.file);
    try {
      await probe(this.fs, folder, path.basename(this.file), false);
      return undefined;
    } catch (err) {
      return unwritable(folder, this.file, err).message;
    }
  }

  private checkOpen(): void {
    if (this.closed) throw new StateError('STATE_FAILED', this.file, `the store of ${this.file} is closed`);
  }

  /** Writes every live entry to the file (batched with the changes made while a write runs). */
  private persist(): Promise<void> {
    if (this.queued) return this.queued;
    const generation = this.generation;
    const run: Promise<void> = this.last.then(() => {
      if (this.queued === run) this.queued = undefined;
      if (generation !== this.generation) {
        throw new StateError(
          'STATE_FAILED',
          this.file,
          `cannot write the state file ${this.file}: an earlier write failed, and this change, made after it, was undone`,
        );
      }
      return this.writeFile();
    });
    this.queued = run;
    this.last = run.catch(() => undefined);
    return run;
  }

  private async writeFile(): Promise<void> {
    const snapshot = new Map<string, TtlEntry>();
    const parts: string[] = [];
    for (const [key, e] of this.entries.liveEntries()) {
      snapshot.set(key, e);
      parts.push(
        `${JSON.stringify(key)}:{"value":${e.json}${e.expiresAt === Infinity ? '' : `,"expiresAt":${e.expiresAt}`}}`,
      );
    }
    const text = `{"format":${JSON.stringify(FORMAT)},"version":1,"entries":{\n${parts.join(',\n')}\n}}\n`;
    try {
      await writeAndRename(
        this.fs,
        uniqueName(path.dirname(this.file), path.basename(this.file), '.tmp'),
        this.file,
        text,
      );
      this.committed = snapshot;
    } catch (err) {
      // Nothing of this write, nor of the changes queued after it, stays: memory is the file again.
      this.generation++;
      this.queued = undefined;
      this.entries = new TtlEntries(this.now, new Map(this.committed));
      throw new StateError(
        'STATE_FAILED',
        this.file,
        `cannot write the state file ${this.file}: ${(err as Error).message} (the change was undone)`,
        { cause: err },
      );
    }
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    return this.entries.read<T>(key);
  }

  async set(key: string, value: unknown, options: SetOptions = {}): Promise<void> {
    this.checkOpen();
    this.entries.write(key, value, options.ttlMs);
    await this.persist();
  }

  async delete(key: string): Promise<boolean> {
    this.checkOpen();
    if (!this.entries.remove(key)) return false;
    await this.persist();
    return true;
  }

  async deletePrefix(prefix: string): Promise<number> {
    this.checkOpen();
    const removed = this.entries.removePrefix(prefix);
    if (removed > 0) await this.persist();
    return removed;
  }

  async claim(key: string, value: unknown, options: { readonly ttlMs: number }): Promise<boolean> {
    this.checkOpen();
    // Check and write in one synchronous step: no other claim can run in between.
    if (this.entries.live(key) !== undefined) return false;
    this.entries.write(key, value, options.ttlMs);
    await this.persist();
    return true;
  }

  async update<T = unknown>(
    key: string,
    fn: (current: T | undefined) => T | undefined,
    options: SetOptions = {},
  ): Promise<T | undefined> {
    this.checkOpen();
    // Read, compute and write in one synchronous step: no other change of the key in between.
    const next = nextValue(key, fn, this.entries.read<T>(key));
    if (next === undefined) {
      if (this.entries.remove(key)) await this.persist();
      return undefined;
    }
    this.entries.write(key, next, options.ttlMs);
    const written = this.entries.read<T>(key);
    await this.persist();
    return written;
  }

  /** Waits for the last write; later changes are refused. */
  async close(): Promise<void> {
    this.closed = true;
    await this.last;
  }
}
