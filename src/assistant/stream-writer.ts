/**
 * Streaming an answer into Webex messages within Webex's rules: a placeholder ("…") is posted at
 * once, then edited as text arrives; a message takes at most 10 edits, so at most nine are spent
 * while streaming and the last is kept for the final text. Edits are throttled by time and size
 * (edit k comes at least k × `minIntervalMs` after the one before, and only once the text grew by
 * `minGrowthBytes`), and never show half a markdown construct (`partial-markdown.ts`). Past
 * Webex's 7,439 bytes the message is finished and the answer continues in a new one (split by
 * `splitMessage`, emphasis and links kept whole across the cut).
 *
 * It writes through a {@link MessagePoster}, so any reply path can carry it: the bot's replies
 * (with edit and delete handles), a test's fake.
 *
 * @example
 * const writer = new StreamWriter(poster);
 * await writer.start();                                 // "…" is posted
 * for await (const e of events) if (e.type === 'text') writer.append(e.delta);
 * await writer.finish();                                // the final edit
 */
import type { Logger } from '../logging.js';
import { MAX_MESSAGE_BYTES } from '../protocol/limits.js';
import { splitMessage } from '../routing/split-message.js';
import { finalView, sealAt, streamingView } from './partial-markdown.js';

/** A message the bot posted, which it may edit and delete. */
export interface PostedMessage {
  /** Replaces the message's markdown (Webex: at most 10 times per message). */
  edit(markdown: string): Promise<unknown>;
  delete(): Promise<unknown>;
}

/** Posts messages where the answer goes (the space, the thread). */
export interface MessagePoster {
  post(markdown: string): Promise<PostedMessage>;
}

/** Webex lets the author edit a message at most this many times (see docs/webex-facts.md). */
export const MAX_EDITS_PER_MESSAGE = 10;

/** What is posted before any text has arrived. */
export const PLACEHOLDER = '…';

/** Room kept in each message for the marks that close it and a closing note. */
const RESERVE_BYTES = 160;

/** Tuning of a {@link StreamWriter}. */
export interface StreamWriterOptions {
  /** Largest message, in UTF-8 bytes [7,439]. */
  readonly maxBytes?: number;
  /** Edits a message takes [10]; one is kept for the final text. */
  readonly maxEdits?: number;
  /** The k-th streaming edit of a message comes at least k × this after the previous one [1,000 ms]. */
  readonly minIntervalMs?: number;
  /** A streaming edit shows at least this many more bytes than the one before [80]. */
  readonly minGrowthBytes?: number;
  /** Shown until text arrives ["…"]. */
  readonly placeholder?: string;
  /** The clock [Date.now]. */
  readonly now?: () => number;
  readonly log?: Logger;
}

/** One message of the answer, the one being written. */
interface Slot {
  message: PostedMessage | undefined;
  /** This message's text (it may start with what reopens a code block or emphasis). */
  raw: string;
  /** What it shows now. */
  shown: string;
  edits: number;
  shownAt: number;
}

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** Streams one answer; see the module's description. */
export class StreamWriter {
  private readonly maxBytes: number;
  private readonly maxEdits: number;
  private readonly minIntervalMs: number;
  private readonly minGrowthBytes: number;
  private readonly placeholder: string;
  private readonly now: () => number;
  private slot: Slot = { message: undefined, raw: '', shown: '', edits: 0, shownAt: 0 };
  private all = '';
  private posted = 0;
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private finished = false;
  private placeholderWanted = false;
  /** What went wrong while streaming: no more steps until the end, which tries once more. */
  private failure: { readonly error: unknown } | undefined;
  private readonly log: Logger | undefined;

  constructor(
    private readonly poster: MessagePoster,
    options: StreamWriterOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? MAX_MESSAGE_BYTES;
    this.maxEdits = options.maxEdits ?? MAX_EDITS_PER_MESSAGE;
    this.minIntervalMs = options.minIntervalMs ?? 1000;
    this.minGrowthBytes = options.minGrowthBytes ?? 80;
    this.placeholder = options.placeholder ?? PLACEHOLDER;
    this.now = options.now ?? (() => Date.now());
    this.log = options.log;
  }

  /** All the text appended so far. */
  get text(): string {
    return this.all;
  }

  /** True once {@link finish} was called: nothing more is shown. */
  get closed(): boolean {
    return this.finished;
  }

  /** Messages posted so far (the placeholder included). */
  get messages(): number {
    return this.posted;
  }

  /** Posts the placeholder now (without it, the first text is posted when it arrives). */
  async start(): Promise<void> {
    if (this.finished) return;
    this.placeholderWanted = true;
    this.kick();
    while (this.running) await this.running;
    if (this.failure) throw this.failure.error;
  }

  /** Adds text; it is shown by the next edit the budget and the throttle allow. */
  append(delta: string): void {
    if (this.finished || delta === '') return;
    this.slot.raw += delta;
    this.all += delta;
    this.kick();
  }

  /**
   * Shows the whole answer, with `note` (markdown, e.g. "(cut short)") after it: the final edit
   * of the message being written, and new messages for what does not fit. With no text and no
   * note, the placeholder is deleted. Resolves once Webex has it all.
   */
  async finish(note?: string): Promise<void> {
    this.finished = true;
    clearTimeout(this.timer);
    while (this.running) await this.running;
    const raw = note ? (this.slot.raw.trim() === '' ? note : `${finalView(this.slot.raw)}\n\n${note}`) : this.slot.raw;
    if (this.all.trim() === '' && !note) {
      await this.slot.message
        ?.delete()
        .catch((err: unknown) => this.log?.warn('could not delete the placeholder', { err }));
      return;
    }
    const whole = finalView(raw);
    const [first = '', ...rest] = bytes(whole) > this.maxBytes ? splitMessage(whole, this.maxBytes) : [whole];
    await this.finalText(first);
    for (const part of rest) await this.postNew(part);
  }

  /** Runs the steps that are due, one at a time. */
  private kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pump().finally(() => {
      this.running = undefined;
    });
  }

  private async pump(): Promise<void> {
    do {
      this.again = false;
      for (let step = this.nextStep(); step; step = this.nextStep()) {
        try {
          await step();
        } catch (error) {
          this.log?.warn('a streamed answer could not be updated; the rest comes at the end', { err: error });
          this.failure = { error };
          return;
        }
      }
    } while (this.again && !this.finished);
  }

  /** What to do now, if anything: continue in a new message, post, or edit. */
  private nextStep(): (() => Promise<void>) | undefined {
    if (this.finished || this.failure) return undefined;
    const slot = this.slot;
    if (bytes(slot.raw) > this.maxBytes - RESERVE_BYTES) return () => this.continueInNewMessage();
    const view = streamingView(slot.raw);
    if (!slot.message) {
      if (view.trim() !== '') return () => this.postSlot(view);
      return this.placeholderWanted ? () => this.postSlot(this.placeholder) : undefined;
    }
    if (view.trim() === '' || view === slot.shown) return undefined;
    if (slot.edits >= this.maxEdits - 1) return undefined;
    if (bytes(view) - bytes(slot.shown) < this.minGrowthBytes) return undefined;
    const due = slot.shownAt + this.minIntervalMs * (slot.edits + 1);
    const now = this.now();
    if (now < due) {
      this.wakeAt(due - now);
      return undefined;
    }
    return () => this.editSlot(view);
  }

  private wakeAt(ms: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.kick();
    }, ms);
  }

  private async postSlot(markdown: string): Promise<void> {
    this.slot.message = await this.poster.post(markdown);
    this.posted += 1;
    this.slot.shown = markdown;
    this.slot.shownAt = this.now();
  }

  private async editSlot(markdown: string): Promise<void> {
    const slot = this.slot;
    slot.edits += 1;
    await slot.message!.edit(markdown);
    slot.shown = markdown;
    slot.shownAt = this.now();
  }

  private async postNew(markdown: string): Promise<PostedMessage> {
    const message = await this.poster.post(markdown);
    this.posted += 1;
    return message;
  }

  /** The last text of the message being written: its final edit (or a post when it has none left). */
  private async finalText(markdown: string): Promise<void> {
    const slot = this.slot;
    if (slot.message && markdown === slot.shown) return;
    if (slot.message && slot.edits < this.maxEdits) {
      try {
        await this.editSlot(markdown);
        return;
      } catch (err) {
        this.log?.warn('the final edit of a streamed answer failed; posting it anew', { err });
        await slot.message.delete().catch(() => undefined);
      }
    }
    slot.message = await this.postNew(markdown);
    slot.shown = markdown;
  }

  /**
   * The message being written is full: it gets its final text, whole parts in between are posted
   * as they are, and the last part starts the next message.
   */
  private async continueInNewMessage(): Promise<void> {
    const full = this.slot;
    const taken = full.raw;
    const parts = splitMessage(taken, this.maxBytes - RESERVE_BYTES);
    for (let i = 0; i < parts.length - 1; i++) {
      // Emphasis open at the cut is closed here and reopened there; a link cut in two moves on whole.
      const part = parts[i]!;
      const seal = sealAt(part);
      if (seal.cut === 0) continue;
      parts[i] = `${part.slice(0, seal.cut).replace(/\s+$/, '')}${seal.close}`;
      const carried = part.slice(seal.cut).trim();
      if (seal.reopen === '' && carried === '') continue;
      const next = parts[i + 1]!.replace(/^[ \t]+/, '');
      parts[i + 1] = `${seal.reopen}${carried}${carried ? ' ' : ''}${next}`;
    }
    const last = parts.pop() ?? '';
    const [first = '', ...middle] = parts;
    await this.finalText(first);
    for (const part of middle) await this.postNew(part);
    // Text that arrived while the messages went out was added to the full message: it goes on here.
    const raw = `${last}${full.raw.slice(taken.length)}`;
    this.slot = { message: undefined, raw, shown: '', edits: 0, shownAt: 0 };
    const view = streamingView(raw);
    await this.postSlot(view.trim() === '' ? this.placeholder : view);
  }
}
