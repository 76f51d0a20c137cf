/**
 * `Idempotency-Key`: a retried notify request (a CI job run again, a timeout on the caller's side)
 * sends once. The answer to the first request is kept under the key for a day, in the shared
 * state store (so any instance knows it, after a restart too), and given again to each retry; a
 * retry arriving while the first is still being sent waits for its answer. Answers that say
 * nothing was sent and a retry may succeed (Webex down, the bot starting) are not kept.
 */
import { createHash } from 'node:crypto';
import { once } from '../store/once.js';
import type { KeyValueStore } from '../store/types.js';

/** An HTTP answer of the notify endpoint. */
export interface NotifyAnswer {
  readonly status: number;
  readonly body: Readonly<Record<string, unknown>>;
  /** Seconds for `Retry-After`, when a retry should wait. */
  readonly retryAfter?: number;
}

/** How long an answer is kept for retries. */
export const IDEMPOTENCY_KEEP_MS = 24 * 3600_000;
/** Longest a first request may take before a retry counts it as abandoned and sends. */
const LEASE_MS = 30_000;

/** An answer not to keep (nothing was sent; a retry may go through). */
export class UnkeptAnswer extends Error {
  constructor(readonly answer: NotifyAnswer) {
    super(`not kept: ${answer.status}`);
  }
}

const hash = (text: string): string => createHash('sha256').update(text).digest('hex');

/** What is wrong with an `Idempotency-Key` header, or `undefined`. */
export function checkIdempotencyKey(key: string): string | undefined {
  return /^[\x21-\x7e]{1,255}$/.test(key)
    ? undefined
    : 'Idempotency-Key must be 1 to 255 visible ASCII characters (a UUID, say)';
}

/**
 * The answer to `request` under `key`: the kept one if there is one (`replayed`), else `send()`'s,
 * kept unless it throws {@link UnkeptAnswer}. A key used before for another request answers 422.
 */
export async function answerOnce(
  store: KeyValueStore,
  key: string,
  request: unknown,
  send: () => Promise<NotifyAnswer>,
): Promise<NotifyAnswer & { readonly replayed: boolean }> {
  const fingerprint = hash(JSON.stringify(request));
  let ran = false;
  const kept = await once(
    store,
    `notify:idempotency:${hash(key)}`,
    async () => {
      ran = true;
      return { fingerprint, answer: await send() };
    },
    { ttlMs: IDEMPOTENCY_KEEP_MS, leaseMs: LEASE_MS },
  );
  if (kept.fingerprint !== fingerprint)
    return {
      status: 422,
      body: { error: 'idempotency_key_reused', message: 'this Idempotency-Key was used for another request' },
      replayed: false,
    };
  return { ...kept.answer, replayed: !ran };
}
