/**
 * The emulator answers only requests addressed to a loopback name, against DNS rebinding: a web
 * page on `attacker.example` whose name is made to resolve to 127.0.0.1 could otherwise read the
 * control API and post as anyone through the visitor's browser. Such a request still carries its
 * own name in `Host`, so every request (REST API, control API, event stream, page, event sockets)
 * whose `Host` is not `localhost`, `*.localhost`, `127.0.0.1` or `[::1]` (any port), or a name
 * the emulator was told to allow, is refused with 403 and the reason.
 *
 * Written here rather than taken from `host-validation-middleware`: that package lets every IP
 * address and a missing `Host` through, while the emulator wants loopback only; the rule is a few lines.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/** Names every emulator answers to. */
export const LOOPBACK_HOST_NAMES: readonly string[] = Object.freeze(['localhost', '127.0.0.1', '[::1]']);

/** A host name, an IPv4 address or a bracketed IPv6 address, with an optional port. */
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(?::\d{1,5})?$/i;

/** The name in a `Host` header, lower case and without its port; undefined when absent or malformed. */
export function hostNameOf(header: string | undefined): string | undefined {
  return header === undefined ? undefined : HOST_HEADER.exec(header.trim())?.[1]?.toLowerCase();
}

/**
 * Checks the `allowedHosts` option: names (or IP addresses) without scheme or port; a name
 * starting with `.` allows that domain and its subdomains. Throws a TypeError naming the problem.
 *
 * @example
 * checkAllowedHosts(['emulator.internal', '.lab.example']) // → ['emulator.internal', '.lab.example']
 */
export function checkAllowedHosts(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new TypeError('allowedHosts must be an array of host names');
  return value.map((entry: unknown) => {
    const name = typeof entry === 'string' ? entry.trim().toLowerCase() : '';
    const bare = name.startsWith('.') ? name.slice(1) : name;
    // hostNameOf drops a port, so a name with one does not come back equal.
    if (bare === '' || hostNameOf(bare) !== bare)
      throw new TypeError(
        `allowedHosts: ${JSON.stringify(entry)} is not a host name (give a name or address without scheme or port, e.g. "emulator.internal" or "[fd00::1]")`,
      );
    return name;
  });
}

/** Which `Host` values the emulator answers: loopback names, plus the allowed ones. */
export class HostPolicy {
  private readonly extra: readonly string[];

  /** @param allowedHosts names checked by {@link checkAllowedHosts} */
  constructor(allowedHosts: readonly string[] = []) {
    this.extra = allowedHosts;
  }

  /** True when a request with this `Host` header may be served. */
  allows(header: string | undefined): boolean {
    const name = hostNameOf(header);
    if (name === undefined) return false;
    if (LOOPBACK_HOST_NAMES.includes(name) || name.endsWith('.localhost')) return true;
    return this.extra.some((allowed) =>
      allowed.startsWith('.') ? name === allowed.slice(1) || name.endsWith(allowed) : name === allowed,
    );
  }

  /** Why a request with this `Host` is refused. */
  refusal(header: string | undefined): string {
    const given = header === undefined ? 'no Host header' : `Host ${JSON.stringify(header)}`;
    return (
      `The Webex emulator answers only requests addressed to localhost, 127.0.0.1 or [::1] (DNS rebinding ` +
      `protection); this one has ${given}. To reach it under another name, add the name to the emulator's ` +
      'allowedHosts option (EMULATOR_ALLOWED_HOSTS for npm run emulator).'
    );
  }

  /** Express/connect middleware: 403 `{ error }` for a request to another host. */
  middleware(): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
    return (req, res, next) => {
      if (this.allows(req.headers.host)) return next();
      req.resume();
      const body = JSON.stringify({ error: this.refusal(req.headers.host) });
      res.writeHead(403, {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(body),
      });
      res.end(body);
    };
  }

  /** For an `upgrade` request: answers 403 and returns true when its host is refused. */
  refuseUpgrade(req: IncomingMessage, socket: Duplex): boolean {
    if (this.allows(req.headers.host)) return false;
    const body = this.refusal(req.headers.host);
    socket.end(
      `HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    return true;
  }
}
