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
 * - One process per folder (`folder-lock.ts`).
 * - A failed write or flush stops the journal (`JOURNAL_FAILED`): after a failed flush the disk's
 *   content is unknown, and only reading the file back at the next start can be trusted.
 */
import { randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { silentLogger, type Logger } from '../../logging.js';
import type { WebhookEnvelope } from '../../protocol/envelope.js';
import { type ClaimResult, DEFAULT_DEDUPE_TTL_MS } from '../dedupe.js';
import type { ReplyJournal } from '../reply-journal.js';
import { JournalError } from './errors.js';
import { nodeIo, syncFolder, type JournalIo } from './file-io.js';
import { FolderLock } from './folder-lock.js';
import { encodeFrame, frameBound, headerFrame, type RecordText } from './frames.js';
import { type Claim, JournalState, type PendingEvent } from './journal-state.js';
import { readJournal } from './read-journal.js';
import { type AcceptRecord, asRecord, type JournalRecord } from './records.js';

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

/** A record waiting for its write; `resolve` is called once it is on disk. */
interface Entry {
  readonly text: RecordText;
  readonly seq: number;
  readonly resolve?: () => void;
  readonly reject?: (err: unknown) => void;
}

/** A compaction under way: the snapshot is written to `temp`; `tail` holds the records written to the old file since. */
interface Compaction {
  /** Records up to this sequence number are in the snapshot. */
  readonly fromSeq: number;
  readonly temp: string;
  handle: FileHandle | undefined;
  /** Bytes in `temp`. */
  size: number;
  readonly tail: RecordText[];
  ready: boolean;
  task: Promise<void>;
}

/** Records per frame in a compaction's snapshot. */
const SNAPSHOT_FRAME_RECORDS = 1000;
/** A batch is cut at about this many bytes (one frame, one write). */
const MAX_BATCH_BYTES = 1 << 20;
/** The largest encoding buffer kept between batches. */
const MAX_SCRATCH_BYTES = 1 << 20;

const tempName = (fileName: string): string => `.${fileName}.${randomBytes(6).toString('hex')}.tmp`;

/** Removes temporary files a crash left (an unfinished compaction, an unfinished creation). */
async function removeLeftovers(folder: string, fileName: string): Promise<void> {
  const prefix = `.${fileName}.`;
  for (const name of await readdir(folder))
    if (name.startsWith(prefix) && name.endsWith('.tmp')) await rm(path.join(folder, name), { force: true });
}

/** Creates the journal file whole (header written, flushed, then renamed into place). */
async function createJournalFile(file: string, now: number, io: JournalIo): Promise<void> {
  const folder = path.dirname(file);
  const temp = path.join(folder, tempName(path.basename(file)));
  const handle = await open(temp, 'wx', 0o600);
  try {
    await io.write(handle, headerFrame(now), 0);
    await io.sync(handle);
  } finally {
    await handle.close();
  }
  await rename(temp, file);
  await syncFolder(folder);
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
  private queue: Entry[] = [];
  private seq = 0;
  private running = false;
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private idleWaiters: Array<() => void> = [];
  private compaction: Compaction | undefined;
  private compactAt: number;
  private failure: JournalError | undefined;
  private closing = false;
  private closed: Promise<void> | undefined;
  /** Accepts whose record is not on disk yet, by event id: a second delivery of the same key waits for them. */
  private readonly accepting = new Map<string, Promise<void>>();
  private counts = { batches: 0, records: 0, syncs: 0, compactions: 0 };
  /** Where batches are encoded (grown as needed, up to {@link MAX_SCRATCH_BYTES}). */
  private scratch = Buffer.allocUnsafe(64 * 1024);

  private constructor(
    /** The journal file's path. */
    readonly file: string,
    private handle: FileHandle,
    private size: number,
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
    this.compactAt = settings.compactAtBytes;
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
    const folder = path.resolve(dir);
    const fileName = options.fileName ?? 'events.journal';
    const file = path.join(folder, fileName);
    const now = options.now ?? Date.now;
    const io = options.io ?? nodeIo;
    const log = options.log ?? silentLogger;
    const ttlMs = options.dedupeTtlMs ?? DEFAULT_DEDUPE_TTL_MS;
    const maxClaims = options.maxClaims ?? 100_000;
    const compactAtBytes = options.compactAtBytes ?? 32 * 1024 * 1024;
    const maxBatchDelayMs = options.maxBatchDelayMs ?? 0;
    if (!(ttlMs > 0) || !(maxClaims >= 1) || !(compactAtBytes > 0) || !(maxBatchDelayMs >= 0))
      throw new RangeError('dedupeTtlMs, maxClaims and compactAtBytes must be positive, maxBatchDelayMs at least 0');
    const failed = (what: string, err: unknown): JournalError =>
      new JournalError(
        'JOURNAL_FAILED',
        file,
        `cannot ${what}: ${(err as Error).message} (set STATE_DIR to a writable folder)`,
        {
          cause: err,
        },
      );
    try {
      await mkdir(folder, { recursive: true });
    } catch (err) {
      throw failed(`use the state folder ${folder}`, err);
    }
    const lock = await FolderLock.acquire(path.join(folder, options.lockFileName ?? 'instance.lock'));
    let handle: FileHandle | undefined;
    try {
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
      } catch (err) {
        throw failed(`open the event journal ${file}`, err);
      }
      const state = new JournalState(now, maxClaims);
      const outcome = await readJournal(handle, file, state).catch((err: unknown) => {
        throw err instanceof JournalError ? err : failed(`read the event journal ${file}`, err);
      });
      if (outcome.tornBytes > 0) {
        try {
          await handle.truncate(outcome.validBytes);
          await io.sync(handle);
        } catch (err) {
          throw failed(`cut the torn end off the event journal ${file}`, err);
        }
        log.warn('event journal: the last write before the stop was cut short (never acknowledged): left out', {
          file,
          tornBytes: outcome.tornBytes,
        });
      }
      const journal = new EventJournal(file, handle, outcome.validBytes, state, lock, {
        ttlMs,
        now,
        maxBatchDelayMs,
        compactAtBytes,
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
    return {
      ...this.counts,
      bytes: this.size,
      pending: this.state.pendingCount,
      claims: this.state.claimCount,
    };
  }

  /** Why the journal stopped taking records, if it did (a failed write or flush). */
  get failed(): JournalError | undefined {
    return this.failure;
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
    const durable = this.append(record, true, body === undefined ? undefined : this.acceptBytes(record, body));
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
   * the process down each time it is handled is counted, for a cap on attempts).
   */
  started(eventId: string): Promise<void> {
    return this.appendFor(eventId, { t: 'start', id: eventId });
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
    if (this.failure !== undefined || !this.state.isPending(eventId)) return;
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
    this.flushNow();
    await this.whenIdle();
    const c = this.compaction;
    if (c) {
      await c.task;
      await this.dropCompaction(c);
    }
    await this.handle.close().catch(() => undefined);
    await this.lock.release();
  }

  private usable(): void {
    if (this.failure) throw this.failure;
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
   * The accept record's JSON with `body` as its envelope, as bytes: the record's own fields, then
   * the body copied, its newlines (JSON whitespace: a JSON string cannot hold a raw newline, and no
   * byte of a multi-byte UTF-8 character is below 0x80) turned to spaces.
   */
  private acceptBytes(record: AcceptRecord, body: Buffer): Buffer {
    const first = body.findIndex((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
    let last = body.length - 1;
    while (last > first && (body[last] === 0x20 || body[last] === 0x0a || body[last] === 0x0d || body[last] === 0x09))
      last--;
    if (first === -1 || body[first] !== 0x7b || body[last] !== 0x7d)
      throw this.misuse('the body must be the JSON object the envelope was parsed from');
    const head = `{"t":"accept","id":${JSON.stringify(record.id)},"key":${JSON.stringify(record.key)},"at":${record.at},"exp":${record.exp},"env":`;
    const headBytes = Buffer.byteLength(head);
    const out = Buffer.allocUnsafe(headBytes + body.length + 1);
    out.write(head, 0, 'utf8');
    body.copy(out, headBytes);
    out[out.length - 1] = 0x7d; // }
    for (const nl of [0x0a, 0x0d])
      for (let i = out.indexOf(nl, headBytes); i !== -1; i = out.indexOf(nl, i + 1)) out[i] = 0x20;
    return out;
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
    const seq = ++this.seq;
    let promise: Promise<void> | undefined;
    if (wait) promise = new Promise<void>((resolve, reject) => this.queue.push({ text, seq, resolve, reject }));
    else this.queue.push({ text, seq });
    this.schedule();
    return promise;
  }

  /** Starts the writer, after `maxBatchDelayMs`, unless it runs or is due already. */
  private schedule(): void {
    if (this.running || this.timer !== undefined) return;
    const go = (): void => {
      this.timer = undefined;
      void this.run();
    };
    this.timer = this.settings.maxBatchDelayMs > 0 ? setTimeout(go, this.settings.maxBatchDelayMs) : setImmediate(go);
  }

  /** Starts the writer now (a due start is brought forward). */
  private flushNow(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer as NodeJS.Timeout);
      clearImmediate(this.timer as NodeJS.Immediate);
      this.timer = undefined;
    }
    void this.run();
  }

  private whenIdle(): Promise<void> {
    if (!this.running && this.timer === undefined && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** The writer: one batch at a time, each written and flushed before the next; a ready compaction is finished between two. */
  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        if (this.failure) break;
        if (this.compaction?.ready && !this.closing) await this.finishCompaction(this.compaction);
        if (this.queue.length === 0 || this.failure) break;
        await this.writeBatch(this.takeBatch());
        if (!this.failure) this.maybeCompact();
      }
    } finally {
      this.running = false;
      if (this.failure) this.rejectQueued(this.failure);
      if (this.queue.length === 0 && this.timer === undefined) for (const w of this.idleWaiters.splice(0)) w();
      else if (this.queue.length > 0) this.schedule();
    }
  }

  private takeBatch(): Entry[] {
    let bytes = 0;
    let n = 0;
    while (n < this.queue.length && (n === 0 || bytes < MAX_BATCH_BYTES)) bytes += this.queue[n++]!.text.length;
    return this.queue.splice(0, n);
  }

  private async writeBatch(batch: readonly Entry[]): Promise<void> {
    const texts = batch.map((e) => e.text);
    // One buffer reused by every batch (one write at a time), so that batches allocate nothing;
    // a batch larger than MAX_SCRATCH_BYTES gets a buffer of its own.
    const bound = frameBound(texts);
    if (bound > this.scratch.length && bound <= MAX_SCRATCH_BYTES)
      this.scratch = Buffer.allocUnsafe(Math.min(MAX_SCRATCH_BYTES, 2 * bound));
    const frame = encodeFrame(texts, this.scratch);
    try {
      await this.settings.io.write(this.handle, frame, this.size);
      await this.settings.io.sync(this.handle);
      this.counts.syncs++;
    } catch (err) {
      this.fail(err);
      for (const e of batch) e.reject?.(this.failure);
      return;
    }
    this.size += frame.length;
    this.counts.batches++;
    this.counts.records += batch.length;
    const c = this.compaction;
    if (c) for (const e of batch) if (e.seq > c.fromSeq) c.tail.push(e.text);
    for (const e of batch) e.resolve?.();
  }

  private fail(err: unknown): void {
    if (this.failure) return;
    this.failure = new JournalError(
      'JOURNAL_FAILED',
      this.file,
      `the event journal ${this.file} could not be written (${(err as Error).message}): it takes nothing more; ` +
        'what it holds is read back at the next start',
      { cause: err },
    );
    this.settings.log.error('event journal failed: no event can be taken until the bot starts again', {
      file: this.file,
      err,
    });
  }

  private rejectQueued(err: JournalError): void {
    for (const e of this.queue.splice(0)) e.reject?.(err);
  }

  /** Starts a compaction when the file has grown past its threshold. */
  private maybeCompact(): void {
    if (this.compaction || this.closing || this.size < this.compactAt) return;
    const folder = path.dirname(this.file);
    const c: Compaction = {
      fromSeq: this.seq,
      temp: path.join(folder, tempName(path.basename(this.file))),
      handle: undefined,
      size: 0,
      tail: [],
      ready: false,
      task: Promise.resolve(),
    };
    const snapshot = this.state.snapshot();
    this.compaction = c;
    c.task = this.writeSnapshot(c, snapshot).then(
      () => {
        c.ready = true;
        if (!this.closing) this.schedule();
      },
      async (err: unknown) => {
        this.settings.log.warn('event journal: compaction failed; the journal goes on in its file', {
          file: this.file,
          err,
        });
        await this.dropCompaction(c);
      },
    );
  }

  private async writeSnapshot(c: Compaction, records: readonly JournalRecord[]): Promise<void> {
    const { io } = this.settings;
    c.handle = await open(c.temp, 'wx', 0o600);
    const header = headerFrame(this.settings.now());
    await io.write(c.handle, header, 0);
    c.size = header.length;
    for (let i = 0; i < records.length; i += SNAPSHOT_FRAME_RECORDS) {
      if (this.closing) throw new Error('the journal is closing');
      const frame = encodeFrame(records.slice(i, i + SNAPSHOT_FRAME_RECORDS).map((r) => JSON.stringify(r)));
      await io.write(c.handle, frame, c.size);
      c.size += frame.length;
    }
    await io.sync(c.handle);
  }

  /**
   * Finishes compaction `c` (with no write under way): the records written since its snapshot
   * are added to the new file, which is flushed and renamed over the old one; writing goes on in it.
   */
  private async finishCompaction(c: Compaction): Promise<void> {
    const { io, log } = this.settings;
    const snapshotBytes = c.size;
    try {
      if (c.tail.length > 0) {
        const frame = encodeFrame(c.tail);
        await io.write(c.handle!, frame, c.size);
        c.size += frame.length;
        await io.sync(c.handle!);
      }
      await rename(c.temp, this.file);
    } catch (err) {
      log.warn('event journal: compaction failed; the journal goes on in its file', { file: this.file, err });
      await this.dropCompaction(c);
      return;
    }
    const old = this.handle;
    this.handle = c.handle!;
    this.size = c.size;
    this.compaction = undefined;
    this.compactAt = Math.max(this.settings.compactAtBytes, 2 * snapshotBytes);
    this.counts.compactions++;
    await old.close().catch(() => undefined);
    try {
      // Until the rename is on disk, a power cut could bring the old file back without what is written next.
      await syncFolder(path.dirname(this.file));
    } catch (err) {
      this.fail(err);
      return;
    }
    // Records queued before the snapshot was taken are in it: on disk now, not to be written again.
    const covered = this.queue.findIndex((e) => e.seq > c.fromSeq);
    for (const e of this.queue.splice(0, covered === -1 ? this.queue.length : covered)) e.resolve?.();
    log.info('event journal compacted', { file: this.file, bytes: this.size, pending: this.state.pendingCount });
  }

  private async dropCompaction(c: Compaction): Promise<void> {
    if (this.compaction === c) this.compaction = undefined;
    await c.handle?.close().catch(() => undefined);
    await rm(c.temp, { force: true }).catch(() => undefined);
  }
}
