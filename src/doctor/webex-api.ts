/**
 * The doctor's way to ask Webex: GETs through the same SDK and HTTP client as the bot (so a
 * proxy setting affects it as it affects the bot), one attempt each, with a timeout, answered
 * as values — a failed call is a result to report, never an exception.
 */
import { withDeadline } from '../calls/deadline.js';
import { createSdkRequest } from '../webex/index.js';

/** An answer, or what stood in its way. */
export type ApiAnswer =
  | {
      readonly ok: true;
      readonly status: number;
      readonly body: unknown;
      readonly headers: Readonly<Record<string, string | undefined>>;
      readonly sentAt: number;
      readonly receivedAt: number;
    }
  /** `status` 0: no HTTP answer (`reason` is the socket error, or `timeout`). */
  | {
      readonly ok: false;
      readonly status: number;
      readonly reason: string;
      readonly headers: Readonly<Record<string, string | undefined>>;
    };

/** A list read page by page. */
export type ListAnswer =
  | {
      readonly ok: true;
      readonly items: readonly Record<string, unknown>[] /** More pages existed than were read. */;
      readonly truncated: boolean;
    }
  | Extract<ApiAnswer, { ok: false }>;

/** The calls the checks make. */
export interface DoctorApi {
  readonly apiUrl: string;
  /** `GET <apiUrl>/<resource>?<qs>`. */
  get(resource: string, qs?: Readonly<Record<string, string | number>>): Promise<ApiAnswer>;
  /** Every item of a list, following `Link: rel="next"`, at most `maxPages` pages. */
  list(resource: string, qs: Readonly<Record<string, string | number>>, maxPages: number): Promise<ListAnswer>;
}

interface SdkResponse {
  statusCode?: number;
  body?: unknown;
  headers?: Record<string, unknown>;
  message?: string;
}

function headersOf(r: SdkResponse | undefined): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(r?.headers ?? {}))
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v === undefined ? undefined : String(v);
  return out;
}

/** The URL of the next page, from a `Link` header. */
export function nextLink(link: string | undefined): string | undefined {
  return link
    ?.split(',')
    .map((part) => /<([^>]+)>\s*;\s*rel="?next"?/.exec(part)?.[1])
    .find((u) => u !== undefined);
}

/** Why a call failed, in a few words: `HTTP 401: …`, `ECONNREFUSED`, `timeout`. */
function reasonOf(err: SdkResponse & { body?: { code?: unknown; message?: unknown } }): string {
  const status = typeof err.statusCode === 'number' ? err.statusCode : 0;
  if (status > 0) {
    const message =
      typeof err.body === 'object' &&
      err.body !== null &&
      typeof (err.body as { message?: unknown }).message === 'string'
        ? (err.body as { message: string }).message
        : undefined;
    return `HTTP ${status}${message ? `: ${message}` : ''}`;
  }
  const code = typeof err.body?.code === 'string' ? err.body.code : undefined;
  return code ?? (err.message ?? 'no answer').split('\n')[0]!;
}

/** A doctor API for `token` at `apiUrl`; each call gets up to `timeoutMs`. */
export function createDoctorApi(token: string, apiUrl: string, timeoutMs = 10_000): DoctorApi {
  const sdkRequest = createSdkRequest({ token, apiUrl });
  const send = async (options: Record<string, unknown>): Promise<ApiAnswer> => {
    const sentAt = Date.now();
    try {
      const request = sdkRequest({
        method: 'GET',
        timeout: timeoutMs,
        ...options,
      });
      const r = await withDeadline(request, timeoutMs + 1000, 'the call');
      return {
        ok: true,
        status: r.statusCode ?? 200,
        body: r.body,
        headers: headersOf(r),
        sentAt,
        receivedAt: Date.now(),
      };
    } catch (err) {
      const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as SdkResponse;
      const timedOut = /did not finish within|ETIMEDOUT|ESOCKETTIMEDOUT/.test(
        `${e.message ?? ''} ${JSON.stringify(e.body ?? '')}`,
      );
      return {
        ok: false,
        status: typeof e.statusCode === 'number' ? e.statusCode : 0,
        reason:
          timedOut && !(Number(e.statusCode) > 0)
            ? `timeout after ${timeoutMs / 1000} s`
            : reasonOf(e as Parameters<typeof reasonOf>[0]),
        headers: headersOf(e),
      };
    }
  };
  return {
    apiUrl,
    get: (resource, qs) => send({ service: 'hydra', resource, qs }),
    async list(resource, qs, maxPages) {
      const items: Record<string, unknown>[] = [];
      let answer = await send({ service: 'hydra', resource, qs });
      for (let page = 1; ; page++) {
        if (!answer.ok) return answer;
        const body = answer.body as { items?: unknown };
        if (Array.isArray(body?.items)) items.push(...(body.items as Record<string, unknown>[]));
        const next = nextLink(answer.headers['link']);
        if (!next) return { ok: true, items, truncated: false };
        if (page >= maxPages) return { ok: true, items, truncated: true };
        answer = await send({ uri: next });
      }
    },
  };
}
