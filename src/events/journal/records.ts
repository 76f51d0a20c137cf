/**
 * The records of the event journal, as written (JSON objects with a type `t`) and checked when
 * read back. Appended as things happen:
 * - `accept` — an event taken (its claim, its envelope); written before Webex gets its 200;
 * - `start` — a handling of it begins (counts attempts, for the poison-event cap);
 * - `posting` — a reply's POST is about to go out (what it posts, and when);
 * - `posted` — Webex has the reply (its id); the POST is no longer under way;
 * - `done` — the event is finished: only its claim is kept from then on.
 *
 * A compaction writes what is live instead, as `event` (a pending event with everything known
 * about it) and `claim` (the claim of a finished event) records.
 */
import type { WebhookEnvelope } from '../../protocol/envelope.js';
import { isRecord } from '../../util/is-record.js';
import { JOURNAL_FORMAT, JOURNAL_VERSION } from './frames.js';

/** A reply POST under way: what it posts and when it started (epoch ms). */
export interface PostingNote {
  readonly message: Readonly<Record<string, unknown>>;
  readonly since: number;
}

/** An event taken: its claim and its envelope. */
export interface AcceptRecord {
  readonly t: 'accept';
  readonly id: string;
  readonly key: string;
  /** Accepted at (epoch ms). */
  readonly at: number;
  /** The claim's expiry (epoch ms). */
  readonly exp: number;
  readonly env: WebhookEnvelope;
}
/** A handling of the event begins. */
export interface StartRecord {
  readonly t: 'start';
  readonly id: string;
}
/** A reply's POST is about to go out (`since`: epoch ms). */
export interface PostingRecord {
  readonly t: 'posting';
  readonly id: string;
  readonly since: number;
  readonly message: Readonly<Record<string, unknown>>;
}
/** Webex has a reply of the event. */
export interface PostedRecord {
  readonly t: 'posted';
  readonly id: string;
  /** The reply's message id. */
  readonly mid: string;
}
/** The event is finished. */
export interface DoneRecord {
  readonly t: 'done';
  readonly id: string;
}
/** A pending event, as a compaction writes it. */
export interface EventRecord {
  readonly t: 'event';
  readonly id: string;
  readonly key: string;
  readonly at: number;
  readonly exp: number;
  readonly env: WebhookEnvelope;
  readonly attempts: number;
  readonly posting?: PostingNote;
  readonly replies: readonly string[];
}
/** A finished event's claim, as a compaction writes it. */
export interface ClaimRecord {
  readonly t: 'claim';
  readonly key: string;
  readonly id: string;
  readonly exp: number;
}

/** Any record after the header. */
export type JournalRecord =
  | AcceptRecord
  | StartRecord
  | PostingRecord
  | PostedRecord
  | DoneRecord
  | EventRecord
  | ClaimRecord;

const str = (v: unknown): v is string => typeof v === 'string';
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function isEnvelope(v: unknown): v is WebhookEnvelope {
  return isRecord(v) && isRecord(v['data']);
}

function isPosting(v: unknown): v is PostingNote {
  return isRecord(v) && num(v['since']) && isRecord(v['message']);
}

/** `value` as a record, or `undefined` when it is not one this version writes. */
export function asRecord(value: unknown): JournalRecord | undefined {
  if (!isRecord(value)) return undefined;
  const r = value;
  switch (r['t']) {
    case 'accept':
      return str(r['id']) && str(r['key']) && num(r['at']) && num(r['exp']) && isEnvelope(r['env'])
        ? (r as unknown as AcceptRecord)
        : undefined;
    case 'start':
    case 'done':
      return str(r['id']) ? (r as unknown as StartRecord | DoneRecord) : undefined;
    case 'posting':
      return str(r['id']) && num(r['since']) && isRecord(r['message']) ? (r as unknown as PostingRecord) : undefined;
    case 'posted':
      return str(r['id']) && str(r['mid']) ? (r as unknown as PostedRecord) : undefined;
    case 'event':
      return str(r['id']) &&
        str(r['key']) &&
        num(r['at']) &&
        num(r['exp']) &&
        isEnvelope(r['env']) &&
        Number.isInteger(r['attempts']) &&
        (r['posting'] === undefined || isPosting(r['posting'])) &&
        Array.isArray(r['replies']) &&
        r['replies'].every(str)
        ? (r as unknown as EventRecord)
        : undefined;
    case 'claim':
      return str(r['key']) && str(r['id']) && num(r['exp']) ? (r as unknown as ClaimRecord) : undefined;
    default:
      return undefined;
  }
}

/** Why `value` is not this version's header, or `undefined` when it is. */
export function headerProblem(value: unknown): string | undefined {
  if (!isRecord(value) || value['t'] !== 'journal' || value['format'] !== JOURNAL_FORMAT)
    return `it does not start with the header of an event journal ({"t":"journal","format":"${JOURNAL_FORMAT}",…})`;
  if (value['version'] !== JOURNAL_VERSION)
    return `it was written in version ${JSON.stringify(value['version'])} of the journal's format; this code reads version ${JOURNAL_VERSION}`;
  return undefined;
}
