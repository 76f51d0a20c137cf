/**
 * The only outgoing HTTP the emulator does: POSTing webhook bodies, and only to this machine.
 *
 * A target whose host is not `127.0.0.1`, `localhost` or `::1` fails without any connection
 * attempt, and host names are resolved by a lookup that only ever answers loopback addresses,
 * so no DNS query leaves the process either.
 */
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';

/** Outcome of one POST. */
export type PostResult =
  | { ok: true; status: number }
  | {
      ok: false;
      status?: number;
      error?: string /** Not worth retrying (e.g. not a loopback target). */;
      permanent?: boolean;
    };

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** True when `url` points at this machine. */
export function isLoopbackUrl(url: string): boolean {
  try {
    return LOOPBACK_HOSTS.has(new URL(url).hostname.toLowerCase());
  } catch {
    return false;
  }
}

/** Resolves any name to loopback only (the emulator only ever resolves `localhost`). */
const loopbackLookup = ((_hostname: string, options: unknown, callback: (...args: unknown[]) => void) => {
  const cb = typeof options === 'function' ? (options as typeof callback) : callback;
  const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all === true;
  if (all)
    cb(null, [
      { address: '127.0.0.1', family: 4 },
      { address: '::1', family: 6 },
    ]);
  else cb(null, '127.0.0.1', 4);
}) as unknown as LookupFunction;

/** A target the emulator may POST to. */
interface Target {
  url: URL;
  host: string;
  client: typeof http | typeof https;
}

/** The parsed target, or the permanent failure of a target the emulator never posts to. */
function checkTarget(targetUrl: string): Target | PostResult {
  let url: URL;
  try {
    url = new URL(targetUrl);
  } catch {
    return { ok: false, error: `invalid targetUrl ${JSON.stringify(targetUrl)}`, permanent: true };
  }
  const host = url.hostname.toLowerCase();
  if (!LOOPBACK_HOSTS.has(host)) {
    return {
      ok: false,
      error: `not delivered: targetUrl host ${host} is not loopback (the emulator only delivers to 127.0.0.1, localhost or ::1)`,
      permanent: true,
    };
  }
  const client = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined;
  if (!client) return { ok: false, error: `unsupported protocol ${url.protocol}`, permanent: true };
  return { url, host, client };
}

/**
 * POSTs `body` to a loopback `targetUrl`; resolves (never rejects) with the outcome.
 * The whole exchange, answer included, must finish within `timeoutMs`.
 */
export function postToLoopback(
  targetUrl: string,
  body: Buffer,
  headers: Record<string, string>,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<PostResult> {
  const target = checkTarget(targetUrl);
  if ('ok' in target) return Promise.resolve(target);
  const { url, host, client } = target;
  if (signal.aborted) return Promise.resolve({ ok: false, error: 'cancelled: emulator stopping' });
  return new Promise<PostResult>((resolve) => {
    let settled = false;
    const finish = (r: PostResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(r);
    };
    const req = client.request({
      method: 'POST',
      protocol: url.protocol,
      hostname: host === '[::1]' ? '::1' : host,
      port: url.port || (url.protocol === 'https:' ? 443 : 80),
      path: `${url.pathname}${url.search}`,
      headers: { ...headers, 'content-length': String(body.length) },
      agent: false,
      lookup: loopbackLookup,
      // A local HTTPS receiver typically has a self-signed certificate.
      ...(url.protocol === 'https:' ? { rejectUnauthorized: false } : {}),
    });
    const timer = setTimeout(() => {
      finish({ ok: false, error: `timeout after ${timeoutMs} ms` });
      req.destroy();
    }, timeoutMs);
    const onAbort = (): void => {
      finish({ ok: false, error: 'cancelled: emulator stopping' });
      req.destroy();
    };
    signal.addEventListener('abort', onAbort);
    req.on('error', (err: NodeJS.ErrnoException) =>
      finish({ ok: false, error: err.code ? `${err.code}: ${err.message}` : err.message }),
    );
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      res.on('error', () => undefined);
      res.resume();
      res.on('end', () =>
        finish(status >= 200 && status < 300 ? { ok: true, status } : { ok: false, status, error: `HTTP ${status}` }),
      );
    });
    req.end(body);
  });
}
