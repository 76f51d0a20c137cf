/**
 * The journal's writer: records in, on disk out, one write at a time.
 *
 * - Group commit: every record queued is written as one frame at the end of the file, then the
 *   file is flushed (`fdatasync`), then each record's caller is resolved; what arrived meanwhile
 *   goes in the next write. A batch of records nobody waits for is written but not flushed: the
 *   next flush covers it, so that they cost no flush of their own. One flush at a time
 *   ({@link MAX_FLUSHES_IN_FLIGHT}): what arrives while a flush is under way waits for it and goes
 *   in the next batch, so that a busy bot makes few large flushes rather than one per event.
 *   Batches are resolved in order, each only once its own flush and every earlier one succeeded
 *   (a flush issued after a write covers everything written before it).
 * - Compaction: once the file passes its threshold, a snapshot of what is live (from the
 *   journal's state, taken between two writes, so it holds exactly the records queued so far) is
 *   written to a temporary file while appends go on; the records written since the snapshot are
 *   then added to it, and it is flushed and renamed over the file, between two writes.
 * - Failure: a failed write or flush stops the writer; every waiting and later record is refused.
 */
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../logging.js';
import { JournalError } from '../../errors.js';
import { syncFolder, type JournalIo } from './file-io.js';
import { encodeFrame, frameBound, headerFrame, type RecordText } from './frames.js';
import { tempName } from './journal-file.js';
import type { JournalRecord } from './records.js';

/** What the writer needs. */
export interface WriterSettings {
  readonly now: () => number;
  readonly maxBatchDelayMs: number;
  readonly compactAtBytes: number;
  readonly io: JournalIo;
  readonly log: Logger;
  /** What is live now, as records (called between two writes, when a compaction starts). */
  readonly snapshot: () => JournalRecord[];
  /** Events pending now, for the compaction's log line. */
  readonly pendingCount: () => number;
}

/** The writer's counters. */
export interface WriterCounts {
  readonly batches: number;
  readonly records: number;
  readonly syncs: number;
  readonly compactions: number;
  /** The file's size now. */
  readonly bytes: number;
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
/**
 * Flushes under way at once, at most (each covers its batch and every earlier write). One: with
 * four, a bot taking events at a steady pace flushed about once per event (0.86 `fdatasync` an
 * event under `npm run bench`'s `events`, 0.42 with one), at a cost of about 0.15 ms of CPU an
 * event; with one, the events that arrive during a flush share the next, and the acks per second
 * of journaled events were no lower (`ack`).
 */
const MAX_FLUSHES_IN_FLIGHT = 1;
/** The largest encoding buffer kept between batches. */
const MAX_SCRATCH_BYTES = 1 << 20;

/**
 * Appends records to the journal file `file` (open as `handle`, `size` bytes long), in batches.
 * @example
 * const writer = new JournalWriter(file, handle, size, settings);
 * await writer.append('{"t":"start","id":"e1"}', true); // on disk
 */
export class JournalWriter {
  private queue: Entry[] = [];
  private seq = 0;
  private running = false;
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private idleWaiters: Array<() => void> = [];
  private compaction: Compaction | undefined;
  private compactAt: number;
  private failure: JournalError | undefined;
  private closing = false;
  private counts = { batches: 0, records: 0, syncs: 0, compactions: 0 };
  /** Where batches are encoded (grown as needed, up to {@link MAX_SCRATCH_BYTES}). */
  private scratch = Buffer.allocUnsafe(64 * 1024);
  /** Batches written and not yet flushed, oldest first: each settles once its flush and the earlier ones did. */
  private flushing: Array<Promise<void>> = [];
  /** The newest batch's settlement: the next one is resolved only after it. */
  private lastFlush: Promise<void> = Promise.resolve();

  constructor(
    /** The journal file's path. */
    readonly file: string,
    private handle: FileHandle,
    private size: number,
    private readonly settings: WriterSettings,
  ) {
    this.compactAt = settings.compactAtBytes;
  }

  /** Why the writer stopped, if it did (a failed write or flush). */
  get failed(): JournalError | undefined {
    return this.failure;
  }

  /** Counters since the writer started. */
  get stats(): WriterCounts {
    return { ...this.counts, bytes: this.size };
  }

  /**
   * Queues `text` (one record's JSON). With `wait`, resolves once it is on disk, and rejects with
   * `JOURNAL_FAILED` if it cannot be; without, it goes with the next write.
   * @throws {JournalError} `JOURNAL_FAILED` once the writer has failed (nothing is queued then)
   */
  append(text: RecordText, wait: true): Promise<void>;
  append(text: RecordText, wait: false): undefined;
  append(text: RecordText, wait: boolean): Promise<void> | undefined {
    if (this.failure) throw this.failure;
    const seq = ++this.seq;
    let promise: Promise<void> | undefined;
    if (wait) promise = new Promise<void>((resolve, reject) => this.queue.push({ text, seq, resolve, reject }));
    else this.queue.push({ text, seq });
    this.schedule();
    return promise;
  }

  /** Writes what is queued, abandons a compaction under way (the file is whole without it), closes the file. */
  async close(): Promise<void> {
    this.closing = true;
    this.flushNow();
    await this.whenIdle();
    const c = this.compaction;
    if (c) {
      await c.task;
      await this.dropCompaction(c);
    }
    await this.handle.close().catch(() => undefined);
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

  /**
   * The writer: one write at a time, each followed by its flush, with up to
   * {@link MAX_FLUSHES_IN_FLIGHT} flushes under way; a ready compaction is finished once every
   * flush is done.
   */
  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        if (this.failure) break;
        if (this.compaction?.ready && !this.closing) {
          await this.settleFlushes();
          if (this.failure) break;
          await this.finishCompaction(this.compaction);
        }
        if (this.queue.length === 0 || this.flushing.length >= MAX_FLUSHES_IN_FLIGHT) {
          if (this.flushing.length === 0) break;
          // Wait for the oldest flush: meanwhile what arrives makes the next batch.
          await this.flushing[0];
          continue;
        }
        await this.writeBatch(this.takeBatch());
        if (!this.failure) this.maybeCompact();
      }
      await this.settleFlushes();
    } finally {
      this.running = false;
      if (this.failure) this.rejectQueued(this.failure);
      if (this.queue.length === 0 && this.timer === undefined) for (const w of this.idleWaiters.splice(0)) w();
      else if (this.queue.length > 0) this.schedule();
    }
  }

  /** Waits until every flush under way has settled. */
  private async settleFlushes(): Promise<void> {
    while (this.flushing.length > 0) await this.flushing[0];
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
    // A batch nobody waits for (`start`, `done`: records whose loss a restart makes up for) is
    // not flushed on its own: the next flush covers it (a flush covers every earlier write).
    if (!this.closing && batch.every((e) => e.resolve === undefined)) return;
    // The flush is issued now; the batch is resolved after it and after every earlier batch.
    const synced = this.settings.io.sync(this.handle);
    synced.catch(() => undefined);
    const earlier = this.lastFlush;
    const settled: Promise<void> = earlier
      .then(() => synced)
      .then(
        () => {
          this.counts.syncs++;
          if (this.failure) for (const e of batch) e.reject?.(this.failure);
          else for (const e of batch) e.resolve?.();
        },
        (err: unknown) => {
          this.fail(err);
          for (const e of batch) e.reject?.(this.failure);
        },
      )
      .finally(() => {
        this.flushing.splice(this.flushing.indexOf(settled), 1);
      });
    this.lastFlush = settled;
    this.flushing.push(settled);
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
    const snapshot = this.settings.snapshot();
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
    log.info('event journal compacted', { file: this.file, bytes: this.size, pending: this.settings.pendingCount() });
  }

  private async dropCompaction(c: Compaction): Promise<void> {
    if (this.compaction === c) this.compaction = undefined;
    await c.handle?.close().catch(() => undefined);
    await rm(c.temp, { force: true }).catch(() => undefined);
  }
}
