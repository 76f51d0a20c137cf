/**
 * A client of `POST /notify`, for scripts (`npm run notify`) and tests: builds the request from
 * options, sends it with an `Idempotency-Key` (one key for all its tries, so a retry never sends
 * twice), and tries again after a network error, a 429 or a 5xx (honouring `Retry-After`).
 */
import { randomUUID } from 'node:crypto';

/** What to send, and where to. */
export interface NotifyCall {
  /** The bot's base URL, e.g. `http://127.0.0.1:3000`. */
  readonly url: string;
  readonly token: string;
  /** The JSON body (Webex's field names). */
  readonly body: Readonly<Record<string, unknown>>;
  /** The key all tries share [a random UUID]. */
  readonly idempotencyKey?: string;
  /** Tries after the first [3]. */
  readonly retries?: number;
  /** Waits between tries (tests pass a quick one) [setTimeout]. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** How a call ended: the bot's answer, or why no answer came. */
export type NotifyResult =
  | { readonly ok: true; readonly status: number; readonly id: string; readonly roomId?: string }
  | { readonly ok: false; readonly status: number; readonly message: string };

const retryable = (status: number): boolean => status === 429 || status >= 500;

/**
 * Sends `call.body` to `call.url`/notify, with retries (see the file's comment).
 * @example
 * const r = await sendNotify({ url: 'http://127.0.0.1:3000', token, body: { toPersonEmail: 'alice@example.com', text: 'hi' } });
 */
export async function sendNotify(call: NotifyCall): Promise<NotifyResult> {
  const key = call.idempotencyKey ?? randomUUID();
  const sleep = call.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const retries = call.retries ?? 3;
  let last: NotifyResult = { ok: false, status: 0, message: 'not sent' };
  for (let attempt = 0; attempt <= retries; attempt++) {
    let waitMs = Math.min(1000 * 2 ** attempt, 10_000);
    try {
      const res = await fetch(new URL('/notify', call.url), {
        method: 'POST',
        headers: {
          authorization: `Bearer ${call.token}`,
          'content-type': 'application/json',
          'idempotency-key': key,
        },
        body: JSON.stringify(call.body),
        signal: AbortSignal.timeout(30_000),
      });
      const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
      if (res.ok)
        return {
          ok: true,
          status: res.status,
          id: String(json['id']),
          ...(typeof json['roomId'] === 'string' ? { roomId: json['roomId'] } : {}),
        };
      last = {
        ok: false,
        status: res.status,
        message: typeof json['message'] === 'string' ? json['message'] : res.statusText,
      };
      if (!retryable(res.status)) return last;
      const after = Number(res.headers.get('retry-after'));
      if (Number.isFinite(after) && after > 0) waitMs = Math.min(after * 1000, 60_000);
    } catch (err) {
      last = {
        ok: false,
        status: 0,
        message: `no answer from ${call.url} (${(err as Error).cause ? String((err as Error & { cause: unknown }).cause) : (err as Error).message})`,
      };
    }
    if (attempt < retries) await sleep(waitMs);
  }
  return last;
}
