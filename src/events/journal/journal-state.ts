/**
 * What the journal's records add up to, in memory: the events accepted and not finished (with
 * their attempts, the reply POST under way and the replies posted) and the claims of the
 * finished ones. Replaying the file and running live go through the same {@link JournalState.apply},
 * so what is recovered after a crash is exactly what was known before it.
 *
 * Memory stays bounded: a finished event is forgotten except for its claim (key, event id,
 * expiry); claims go when they expire, and past `maxClaims` the oldest finished go first.
 */
import type { WebhookEnvelope } from '../../protocol/envelope.js';
import type { JournalRecord, PostingNote } from './records.js';

/** The claim of an event key: which delivery took it, and until when it is remembered. */
export interface Claim {
  readonly eventId: string;
  /** Epoch ms. */
  readonly expiresAt: number;
}

/** An event accepted and not finished, as recovery hands it over. */
export interface PendingEvent {
  readonly eventId: string;
  readonly key: string;
  readonly envelope: WebhookEnvelope;
  /** Epoch ms. */
  readonly acceptedAt: number;
  /** Handlings started so far (each `started` call). */
  readonly attempts: number;
  /** A reply POST under way when the process stopped: it may or may not have reached Webex. */
  readonly posting: PostingNote | undefined;
  /** Message ids of the replies posted, oldest first. */
  readonly replies: readonly string[];
}

interface LiveEvent {
  readonly key: string;
  readonly envelope: WebhookEnvelope;
  readonly acceptedAt: number;
  readonly expiresAt: number;
  attempts: number;
  posting: PostingNote | undefined;
  readonly replies: string[];
}

/** The journal's records, added up. */
export class JournalState {
  /** Pending events by id, oldest accepted first. */
  private readonly events = new Map<string, LiveEvent>();
  /** Event key → id of the pending event holding it. */
  private readonly pendingByKey = new Map<string, string>();
  /** Claims of finished events, oldest finished first. */
  private readonly finished = new Map<string, Claim>();

  constructor(
    private readonly now: () => number,
    private readonly maxClaims: number,
  ) {}

  /** Events accepted and not finished. */
  get pendingCount(): number {
    return this.events.size;
  }

  /** Claims held (pending events' and finished events'; expired ones not yet swept may be counted). */
  get claimCount(): number {
    return this.events.size + this.finished.size;
  }

  /** Whether `eventId` is pending. */
  isPending(eventId: string): boolean {
    return this.events.has(eventId);
  }

  /** The live claim of `key`: a pending event's (whatever its expiry), or an unexpired finished one's. */
  claimOf(key: string): Claim | undefined {
    const id = this.pendingByKey.get(key);
    if (id !== undefined) return { eventId: id, expiresAt: this.events.get(id)!.expiresAt };
    const claim = this.finished.get(key);
    if (claim === undefined) return undefined;
    if (claim.expiresAt > this.now()) return claim;
    this.finished.delete(key);
    return undefined;
  }

  /**
   * Adds one record's effect.
   * @returns false when the record names an event that is not pending (it changed nothing)
   */
  apply(r: JournalRecord): boolean {
    switch (r.t) {
      case 'accept':
      case 'event': {
        this.finished.delete(r.key);
        this.events.set(r.id, {
          key: r.key,
          envelope: r.env,
          acceptedAt: r.at,
          expiresAt: r.exp,
          attempts: r.t === 'event' ? r.attempts : 0,
          posting: r.t === 'event' ? r.posting : undefined,
          replies: r.t === 'event' ? [...r.replies] : [],
        });
        this.pendingByKey.set(r.key, r.id);
        return true;
      }
      case 'claim':
        this.keepClaim(r.key, { eventId: r.id, expiresAt: r.exp });
        return true;
      default:
        break;
    }
    const e = this.events.get(r.id);
    if (e === undefined) return false;
    switch (r.t) {
      case 'start':
        e.attempts += 1;
        break;
      case 'posting':
        e.posting = { message: r.message, since: r.since };
        break;
      case 'posted':
        e.posting = undefined;
        e.replies.push(r.mid);
        break;
      case 'done':
        this.events.delete(r.id);
        if (this.pendingByKey.get(e.key) === r.id) this.pendingByKey.delete(e.key);
        this.keepClaim(e.key, { eventId: r.id, expiresAt: e.expiresAt });
        break;
    }
    return true;
  }

  private keepClaim(key: string, claim: Claim): void {
    const now = this.now();
    this.finished.delete(key);
    if (claim.expiresAt > now) this.finished.set(key, claim);
    // Oldest first: drop the expired ones at the head, then the oldest past the bound.
    for (const [k, c] of this.finished) {
      if (c.expiresAt > now && this.finished.size <= this.maxClaims) break;
      this.finished.delete(k);
    }
  }

  /** The live claims (pending and finished events'), by event key. */
  claims(): Map<string, Claim> {
    const now = this.now();
    const out = new Map<string, Claim>();
    for (const [key, c] of this.finished) if (c.expiresAt > now) out.set(key, c);
    for (const [id, e] of this.events) out.set(e.key, { eventId: id, expiresAt: e.expiresAt });
    return out;
  }

  /** The pending events, oldest accepted first (copies). */
  pending(): PendingEvent[] {
    return [...this.events].map(([eventId, e]) => ({
      eventId,
      key: e.key,
      envelope: e.envelope,
      acceptedAt: e.acceptedAt,
      attempts: e.attempts,
      posting: e.posting,
      replies: [...e.replies],
    }));
  }

  /**
   * What is live now, as the records a compaction writes: finished events' unexpired claims,
   * then the pending events, oldest first. Copies: later changes do not reach them.
   */
  snapshot(): JournalRecord[] {
    const now = this.now();
    const out: JournalRecord[] = [];
    for (const [key, c] of this.finished)
      if (c.expiresAt > now) out.push({ t: 'claim', key, id: c.eventId, exp: c.expiresAt });
    for (const [id, e] of this.events) {
      out.push({
        t: 'event',
        id,
        key: e.key,
        at: e.acceptedAt,
        exp: e.expiresAt,
        env: e.envelope,
        attempts: e.attempts,
        posting: e.posting,
        replies: [...e.replies],
      });
    }
    return out;
  }
}
