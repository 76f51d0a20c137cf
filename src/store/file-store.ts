/**
 * The embedded {@link KeyValueStore} that survives a restart: every entry in memory, and all of
 * them in one JSON file (`<dir>/state.json`) rewritten after each change. A write goes to a
 * temporary file in the same folder, is flushed to disk, then renamed over the old file, so the
 * file on disk is always a whole old version or a whole new one, never half of each. Writes
 * that come while one is in progress are made together in the next one; each change resolves
 * once it is on disk. No native module, nothing to build.
 *
 * A file that cannot be read as state is never emptied: it is renamed aside
 * (`state.json.corrupt-<time>`) and opening fails with a {@link StateError} naming both files.
 *
 * One process per folder: several bot instances need a shared store (Redis) instead.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { BotError } from '../errors.js';
import { isRecord } from '../util/is-record.js';
import { TtlEntries, type TtlEntry } from './ttl-entries.js';
import type { KeyValueStore, SetOptions } from './types.js';

/** The state file could not be read, written, or understood; `file` names it. */
export class StateError extends BotError {
  readonly file: string;
  constructor(code: 'STATE_FAILED' | 'STATE_CORRUPT', file: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.file = file;
  }
}

/** Options of {@link FileStore.open}. */
export interface FileStoreOptions {
  /** File name inside the folder (default `state.json`). */
  readonly fileName?: string;
  /** Clock, for tests (default `Date.now`). */
  readonly now?: () => number;
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

/** A file-backed store with TTLs, for one process. */
export class FileStore implements KeyValueStore {
  private queued: Promise<void> | undefined;
  private last: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    /** The state file's path. */
    readonly file: string,
    private readonly entries: TtlEntries,
  ) {}

  /**
   * Opens (creating the folder if needed) the store in `dir`.
   *
   * @throws {StateError} `STATE_CORRUPT` when the file is not readable state (it has been renamed
   *   aside, and the error names where), `STATE_FAILED` when the folder cannot be used.
   * @example
   * const store = await FileStore.open('data');
   * await store.set('greeting', { text: 'hi' }, { ttlMs: 60_000 });
   */
  static async open(dir: string, options: FileStoreOptions = {}): Promise<FileStore> {
    const file = path.resolve(dir, options.fileName ?? 'state.json');
    const now = options.now ?? Date.now;
    try {
      await mkdir(path.dirname(file), { recursive: true });
    } catch (err) {
      throw new StateError(
        'STATE_FAILED',
        file,
        `cannot use the state folder ${path.dirname(file)}: ${(err as Error).message} (set STATE_DIR to a writable folder)`,
        { cause: err },
      );
    }
    let text: string | undefined;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new StateError('STATE_FAILED', file, `cannot read the state file ${file}: ${(err as Error).message}`, {
          cause: err,
        });
      }
    }
    if (text === undefined) return new FileStore(file, new TtlEntries(now));
    const parsed = parseState(text);
    if (typeof parsed === 'string') {
      const aside = `${file}.corrupt-${new Date(now()).toISOString().replace(/[:.]/g, '-')}`;
      await rename(file, aside);
      throw new StateError(
        'STATE_CORRUPT',
        file,
        `the state file ${file} cannot be read: ${parsed}. Nothing was deleted: it was moved to ${aside}. ` +
          'Restore it from there (or from a backup) and start again; or start again as it is, with empty state.',
      );
    }
    const entries = new TtlEntries(now, parsed);
    entries.trim(Infinity);
    return new FileStore(file, entries);
  }

  /** Entries held (expired ones not yet swept may be counted until touched). */
  get size(): number {
    return this.entries.size;
  }

  private put(key: string, value: unknown, ttlMs: number | undefined): void {
    if (this.closed) throw new StateError('STATE_FAILED', this.file, `the store of ${this.file} is closed`);
    this.entries.write(key, value, ttlMs);
  }

  /** Writes every live entry to the file (batched with the changes made while a write runs). */
  private persist(): Promise<void> {
    if (this.queued) return this.queued;
    const run = this.last.then(() => {
      this.queued = undefined;
      return this.writeFile();
    });
    this.queued = run;
    this.last = run.catch(() => undefined);
    return run;
  }

  private async writeFile(): Promise<void> {
    const parts: string[] = [];
    for (const [key, e] of this.entries.liveEntries()) {
      parts.push(
        `${JSON.stringify(key)}:{"value":${e.json}${e.expiresAt === Infinity ? '' : `,"expiresAt":${e.expiresAt}`}}`,
      );
    }
    const text = `{"format":${JSON.stringify(FORMAT)},"version":1,"entries":{\n${parts.join(',\n')}\n}}\n`;
    const temp = path.join(
      path.dirname(this.file),
      `.${path.basename(this.file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
    );
    try {
      const handle = await open(temp, 'w', 0o600);
      try {
        await handle.writeFile(text, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.file);
    } catch (err) {
      await rm(temp, { force: true });
      throw new StateError(
        'STATE_FAILED',
        this.file,
        `cannot write the state file ${this.file}: ${(err as Error).message}`,
        { cause: err },
      );
    }
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    return this.entries.read<T>(key);
  }

  async set(key: string, value: unknown, options: SetOptions = {}): Promise<void> {
    this.put(key, value, options.ttlMs);
    await this.persist();
  }

  async delete(key: string): Promise<boolean> {
    if (this.closed) throw new StateError('STATE_FAILED', this.file, `the store of ${this.file} is closed`);
    if (!this.entries.remove(key)) return false;
    await this.persist();
    return true;
  }

  async claim(key: string, value: unknown, options: { readonly ttlMs: number }): Promise<boolean> {
    // Check and write in one synchronous step: no other claim can run in between.
    if (this.entries.live(key) !== undefined) return false;
    this.put(key, value, options.ttlMs);
    await this.persist();
    return true;
  }

  /** Waits for the last write; later changes are refused. */
  async close(): Promise<void> {
    this.closed = true;
    await this.last;
  }
}
