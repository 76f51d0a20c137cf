/**
 * The embedded event journal: what one instance without Redis needs so that an event answered
 * with 200 is never lost nor answered twice across a crash or a restart. An append-only file in
 * the state folder (`<dir>/events.journal`, format in `frames.ts` and `records.ts`):
 *
 * - `accept` resolves once the event's record is on the disk (written and `fdatasync`ed): only
 *   then may Webex get its 200. The claim of its key is kept `dedupeTtlMs`, across restarts.
 * - Group commit: the records that arrive while a write and its flush are under way go down
 *   together in the next write, with one flush; each caller resumes when its record is on disk.
 * - `started`, `beforePost`, `posted` are on disk when they resolve (attempts for a poison cap;
 *   a reply POST under way, so that after a crash an event's reply is known to be posted, not
 *   posted, or in doubt); `done` rides along with the next write.
 * - When the file passes `compactAtBytes`, what is live (pending events, unexpired claims) is
 *   written to a new file that replaces the old one atomically; records appended meanwhile are
 *   carried over.
 * - One process per folder (`folder-lock.ts`). The writing itself (group commit, compaction) is `writer.ts`.
 * - A failed write or flush stops the journal (`JOURNAL_FAILED`): after a failed flush the disk's
 *   content is unknown, and only reading the file back at the next start can be trusted.
 */
import { type FileHandle, mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { silentLogger, type Logger } from '../../logging.js';
import type { WebhookEnvelope } from '../../protocol/envelope.js';
import { type ClaimResult, DEFAULT_DEDUPE_TTL_MS } from '../dedupe.js';
import type { ReplyJournal } from '../../outbound/reply-journal.js';
import { JournalError } from '../../errors.js';
import { acceptRecordBytes } from './accept-bytes.js';
import { nodeIo, type JournalIo } from './file-io.js';
import { FolderLock } from './folder-lock.js';
import type { RecordText } from './frames.js';
import { createJournalFile, removeLeftovers } from './journal-file.js';
import { type Claim, JournalState, type PendingEvent } from './journal-state.js';
import { readJournal } from './read-journal.js';
import { type AcceptRecord, asRecord, type JournalRecord } from './records.js';
import { JournalWriter } from './writer.js';

/** Options of {@link EventJournal.open}. */
export interface EventJournalOptions {
  /** The journal's file name in the folder (default `events.journal`). */
  readonly fileName?: string;
  /** The folder's lock file name (default `instance.lock`). */
  readonly lockFileName?: string;
  /** How long an event's claim is kept (default 6 h, as the deduper's). */
  readonly dedupeTtlMs?: number;
  /** Clock (default `Date.now`). */
  readonly now?: () => number;
  /**
   * Longest wait, when the journal is idle, before a record is written, to gather more in the
   * same write (default 0: at once; records arriving during a write still share the next one).
   */
  readonly maxBatchDelayMs?: number;
  /** File size past which the file is compacted (default 32 MiB; at least twice the last compaction's size). */
  readonly compactAtBytes?: number;
  /** Most claims of finished events kept; the oldest go first (default 100,000, as the in-memory store). */
  readonly maxClaims?: number;
  /** Writes and flushes (default: the file system's); a seam for tests. */
  readonly io?: JournalIo;
  /** Where torn tails, compactions and failures are told (default: nowhere). */
  readonly log?: Logger;
}

/** What the journal held when it was opened. */
export interface Recovered {
  /** Live claims by event key (pending and finished events'), to pre-load a deduper. */
  readonly claims: ReadonlyMap<string, Claim>;
  /** Events accepted and not finished when the last process stopped, oldest first. */
  readonly pending: readonly PendingEvent[];
  /** Bytes of a torn last write left out (and cut off the file); 0 when the file ended cleanly. */
  readonly tornBytes: number;
  /** Records read. */
  readonly records: number;
  /** Records naming an event that was not pending (they changed nothing). */
  readonly ignored: number;
}

/** One event to accept. */
export interface AcceptInput {
  /** The event's identity, the same for every delivery of it (`eventKey(envelope)`). */
  readonly key: string;
  /** This delivery's correlation id. */
  readonly eventId: string;
  readonly envelope: WebhookEnvelope;
  /**
   * The request body `envelope` was parsed from, as received (optional). It is written as it is
   * (its newlines, JSON whitespace, turned to spaces) instead of serialising `envelope` again:
   * about 2 µs less per accept for a 1 KB envelope, and less garbage. It must be the JSON text of
   * `envelope`: after a restart, the envelope is parsed from it.
   */
  readonly body?: Buffer;
}

/** Counters, since the journal was opened. */
export interface JournalStats {
  /** Writes (each one frame, one batch). */
  readonly batches: number;
  /** Records written. */
  readonly records: number;
  /** Flushes of the journal file (`fdatasync`). */
  readonly syncs: number;
  /** The file's size now. */
  readonly bytes: number;
  readonly compactions: number;
  /** Events accepted and not finished. */
  readonly pending: number;
  /** Claims held. */
  readonly claims: number;
}

/** The options of {@link EventJournal.open}, with their defaults, checked. */
function journalSettings(options: EventJournalOptions) {
  const settings = {
    fileName: options.fileName ?? 'events.journal',
    now: options.now ?? Date.now,
    io: options.io ?? nodeIo,
    log: options.log ?? silentLogger,
    ttlMs: options.dedupeTtlMs ?? DEFAULT_DEDUPE_TTL_MS,
    maxClaims: options.maxClaims ?? 100_000,
    compactAtBytes: options.compactAtBytes ?? 32 * 1024 * 1024,
    maxBatchDelayMs: options.maxBatchDelayMs ?? 0,
  };
  const { ttlMs, maxClaims, compactAtBytes, maxBatchDelayMs } = settings;
  if (!(ttlMs > 0) || !(maxClaims >= 1) || !(compactAtBytes > 0) || !(maxBatchDelayMs >= 0))
    throw new RangeError('dedupeTtlMs, maxClaims and compactAtBytes must be positive, maxBatchDelayMs at least 0');
  return settings;
}

/** `JOURNAL_FAILED`: the folder or the file of the journal cannot be used. */
function failed(file: string, what: string, err: unknown): JournalError {
  return new JournalError(
    'JOURNAL_FAILED',
    file,
    `cannot ${what}: ${(err as Error).message} (set STATE_DIR to a writable folder)`,
    { cause: err },
  );
}

/** Opens the journal file for reading and appending; a missing or empty one is created afresh, whole. */
async function openJournalFile(folder: string, fileName: string, now: () => number, io: JournalIo) {
  const file = path.join(folder, fileName);
  let handle: FileHandle | undefined;
  try {
    await removeLeftovers(folder, fileName);
    handle = await open(file, 'r+').catch(async (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
      await createJournalFile(file, now(), io);
      return open(file, 'r+');
    });
    if ((await handle.stat()).size === 0) {
      // An empty file holds nothing: start it afresh, whole.
      await handle.close();
      await createJournalFile(file, now(), io);
      handle = await open(file, 'r+');
    }
    return handle;
  } catch (err) {
    await handle?.close().catch(() => undefined);
    throw failed(file, `open the event journal ${file}`, err);
  }
}

/** Reads the journal into `state`, cutting off a torn last write. */
async function readBack(handle: FileHandle, file: string, state: JournalState, io: JournalIo, log: Logger) {
  const outcome = await readJournal(handle, file, state).catch((err: unknown) => {
    throw err instanceof JournalError ? err : failed(file, `read the event journal ${file}`, err);
  });
  if (outcome.tornBytes > 0) {
    try {
      await handle.truncate(outcome.validBytes);
      await io.sync(handle);
    } catch (err) {
      throw failed(file, `cut the torn end off the event journal ${file}`, err);
    }
    log.warn('event journal: the last write before the stop was cut short (never acknowledged): left out', {
      file,
      tornBytes: outcome.tornBytes,
    });
  }
  return outcome;
}

/**
 * The append-only event journal of one instance (see the module comment).
 * @example
 * const { journal, recovered } = await EventJournal.open(config.stateDir);
 * for (const e of recovered.pending) requeue(e);             // handled again (or not: see `posting`)
 * const claim = await journal.accept({ key: eventKey(envelope), eventId, envelope });
 * if (claim.first) res.sendStatus(200);                      // on disk: safe to acknowledge
 * await journal.started(eventId);
 * await journal.beforePost(eventId, message);                // then POST it
 * await journal.posted(eventId, sent.id);
 * journal.done(eventId);
 * await journal.close();
 */
export class EventJournal {
  private closing = false;
  private closed: Promise<void> | undefined;
  /** Accepts whose record is not on disk yet, by event id: a second delivery of the same key waits for them. */
  private readonly accepting = new Map<string, Promise<void>>();
  private readonly writer: JournalWriter;

  private constructor(
    /** The journal file's path. */
    readonly file: string,
    handle: FileHandle,
    size: number,
    private readonly state: JournalState,
    private readonly lock: FolderLock,
    private readonly settings: {
      readonly ttlMs: number;
      readonly now: () => number;
      readonly maxBatchDelayMs: number;
      readonly compactAtBytes: number;
      readonly io: JournalIo;
      readonly log: Logger;
    },
  ) {
    this.writer = new JournalWriter(file, handle, size, {
      ...settings,
      snapshot: () => state.snapshot(),
      pendingCount: () => state.pendingCount,
    });
  }

  /**
   * Opens the journal in `dir` (created if needed), locks the folder, and reads back what the
   * last process left: a torn last write is cut off, anything else damaged stops the opening.
   * @throws {JournalError} `JOURNAL_LOCKED` (another process has the folder), `JOURNAL_CORRUPT`
   *   (damaged before its end, or not a journal: nothing is changed), `JOURNAL_FAILED` (the folder
   *   or file cannot be used)
   */
  static async open(
    dir: string,
    options: EventJournalOptions = {},
  ): Promise<{ journal: EventJournal; recovered: Recovered }> {
    const settings = journalSettings(options);
    const { fileName, now, io, log } = settings;
    const folder = path.resolve(dir);
    const file = path.join(folder, fileName);
    try {
      await mkdir(folder, { recursive: true });
    } catch (err) {
      throw failed(file, `use the state folder ${folder}`, err);
    }
    const lock = await FolderLock.acquire(path.join(folder, options.lockFileName ?? 'instance.lock'));
    let handle: FileHandle | undefined;
    try {
      handle = await openJournalFile(folder, fileName, now, io);
      const state = new JournalState(now, settings.maxClaims);
      const outcome = await readBack(handle, file, state, io, log);
      const journal = new EventJournal(file, handle, outcome.validBytes, state, lock, {
        ttlMs: settings.ttlMs,
        now,
        maxBatchDelayMs: settings.maxBatchDelayMs,
        compactAtBytes: settings.compactAtBytes,
        io,
        log,
      });
      const recovered: Recovered = {
        claims: state.claims(),
        pending: state.pending(),
        tornBytes: outcome.tornBytes,
        records: outcome.records,
        ignored: outcome.ignored,
      };
      return { journal, recovered };
    } catch (err) {
      await handle?.close().catch(() => undefined);
      await lock.release().catch(() => undefined);
      throw err;
    }
  }

  /** Counters since opening, and what is held now. */
  get stats(): JournalStats {
    return { ...this.writer.stats, pending: this.state.pendingCount, claims: this.state.claimCount };
  }

  /** Why the journal stopped taking records, if it did (a failed write or flush). */
  get failed(): JournalError | undefined {
    return this.writer.failed;
  }

  /** The live claim of `key`, if any (a pending event's, or a finished one's not expired). */
  claimOf(key: string): Claim | undefined {
    return this.state.claimOf(key);
  }

  /**
   * Claims the event's key and records the event; resolves once the record is on disk. A key
   * already claimed gives `{ first: false }` with the claiming delivery's id (when that claim is
   * still being written, once it is on disk).
   * @throws {JournalError} `JOURNAL_FAILED` / `JOURNAL_CLOSED`: the event is not taken (answer 503)
   * @example
   * const claim = await journal.accept({ key: eventKey(envelope), eventId, envelope });
   * if (!claim.first) log.debug('duplicate', { originalEventId: claim.originalEventId });
   */
  async accept(input: AcceptInput): Promise<ClaimResult> {
    const { key, eventId, envelope, body } = input;
    for (;;) {
      this.usable();
      const claim = this.state.claimOf(key);
      if (claim === undefined) break;
      const writing = this.accepting.get(claim.eventId);
      if (writing === undefined) return { first: false, originalEventId: claim.eventId };
      await writing.catch(() => undefined);
    }
    if (this.state.isPending(eventId)) throw this.misuse(`event ${eventId} is accepted already`);
    const at = this.settings.now();
    const record: AcceptRecord = { t: 'accept', id: eventId, key, at, exp: at + this.settings.ttlMs, env: envelope };
    let bytes: Buffer | undefined;
    if (body !== undefined) {
      bytes = acceptRecordBytes(record, body);
      if (bytes === undefined) throw this.misuse('the body must be the JSON object the envelope was parsed from');
    }
    const durable = this.append(record, true, bytes);
    this.accepting.set(eventId, durable);
    try {
      await durable;
    } finally {
      this.accepting.delete(eventId);
    }
    return { first: true };
  }

  /**
   * A handling of the event begins; resolves once that is on disk (so that an event that takes
   * the process down each time it is handled is counted, for a cap on attempts). With
   * `durable: false` it goes with the next write, flushed by the next flush, and is not waited
   * for (a first handling: no flush on its path, and none of its own).
   */
  started(eventId: string, { durable = true }: { readonly durable?: boolean } = {}): Promise<void> {
    if (durable) return this.appendFor(eventId, { t: 'start', id: eventId });
    try {
      this.usable();
      if (!this.state.isPending(eventId)) throw this.misuse(`event ${eventId} is not pending in the journal`);
      this.append({ t: 'start', id: eventId }, false);
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * A reply's POST is about to go out: resolves once that is on disk, and only then may it be
   * posted. After a crash, the event's `posting` says the POST was in doubt.
   */
  beforePost(eventId: string, message: Readonly<Record<string, unknown>>): Promise<void> {
    return this.appendFor(eventId, { t: 'posting', id: eventId, since: this.settings.now(), message });
  }

  /** Webex has the reply `messageId` (posted, or found posted): resolves once that is on disk. */
  posted(eventId: string, messageId: string): Promise<void> {
    return this.appendFor(eventId, { t: 'posted', id: eventId, mid: messageId });
  }

  /**
   * The event is finished: it is forgotten, but for its claim. Written with the next batch
   * (at once when nothing else is being written); not waited for. Does nothing for an event
   * that is not pending, or once the journal has failed.
   * @throws {JournalError} `JOURNAL_CLOSED`
   */
  done(eventId: string): void {
    if (this.writer.failed !== undefined || !this.state.isPending(eventId)) return;
    void this.append({ t: 'done', id: eventId }, false);
  }

  /**
   * The {@link ReplyJournal} of one event, for the outbox: `beforePost` and `posted` of this
   * journal. `posted` never rejects (a failure is logged: after a restart the reply is looked for).
   */
  replyJournal(eventId: string, log: Logger = this.settings.log): ReplyJournal {
    return {
      beforePost: (message) => this.beforePost(eventId, message),
      posted: (messageId) =>
        this.posted(eventId, messageId).catch((err: unknown) =>
          log.error('a reply was posted but could not be written in the event journal', { messageId, err }),
        ),
    };
  }

  /**
   * Writes what is queued, then closes the file and gives the folder's lock up. Later calls
   * throw `JOURNAL_CLOSED`. A compaction under way is abandoned (the file is whole without it).
   */
  close(): Promise<void> {
    this.closed ??= this.shutDown();
    return this.closed;
  }

  private async shutDown(): Promise<void> {
    this.closing = true;
    await this.writer.close();
    await this.lock.release();
  }

  private usable(): void {
    if (this.writer.failed) throw this.writer.failed;
    if (this.closing) throw new JournalError('JOURNAL_CLOSED', this.file, `the event journal ${this.file} is closed`);
  }

  private misuse(message: string): JournalError {
    return new JournalError('JOURNAL_MISUSE', this.file, message);
  }

  private appendFor(eventId: string, record: JournalRecord): Promise<void> {
    try {
      this.usable();
      if (!this.state.isPending(eventId)) throw this.misuse(`event ${eventId} is not pending in the journal`);
      return this.append(record);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * Applies `record` and queues it (as `text`, its JSON, when given); with `wait`, the promise
   * resolves once it is on disk.
   */
  private append(record: JournalRecord, wait?: true, text?: RecordText): Promise<void>;
  private append(record: JournalRecord, wait: false): undefined;
  private append(record: JournalRecord, wait = true, given?: RecordText): Promise<void> | undefined {
    this.usable();
    // What is written must read back as the same record: check it before anything changes.
    if (asRecord(record) === undefined)
      throw this.misuse(`not a valid ${record.t} record (the envelope or message must be an object)`);
    const text = given ?? JSON.stringify(record);
    this.state.apply(record);
    return wait ? this.writer.append(text, true) : this.writer.append(text, false);
  }
}
