/**
 * The bot's end of Webex's event socket, over the SDK's own device registration and socket
 * client ("Mercury"): used for websocket mode, where no public URL is needed.
 *
 * - Start: the SDK registers a device (`POST {wdm}/devices`), opens its socket and authorizes;
 *   this resolves once the socket is open. A socket that does not open is retried with backoff
 *   for as long as it takes, with a warning at most once a minute; a token the device service or
 *   the socket refuses (401, close 4401/4403/4400) fails start-up instead.
 * - Events: each `conversation.activity` becomes a webhook envelope (`activity-envelope.ts`) and
 *   goes to `onEnvelope`, in arrival order. What is not an activity the bot can read is logged and
 *   dropped (frames that are not JSON are logged by the socket client, through `socketLogger`).
 * - Drops: the SDK reconnects by itself after a network drop (1006, 1011...); after a close it
 *   does not recover from (the device deleted, the socket replaced) this module refreshes the
 *   device and reconnects, with backoff. `onState` says `reconnecting` meanwhile.
 * - Stop: `stopReceiving()` closes the socket (no reconnect); unregistering the device is the
 *   framework's `stop()`.
 */
import type { WebexSdk } from 'webex';
import { StartupError } from '../errors.js';
import type { Logger } from '../logging.js';
import type { WebhookEnvelope } from '../protocol/envelope.js';
import { Throttle } from '../util/throttle.js';
import { withDeadline } from '../calls/deadline.js';
import { envelopeFromActivity, type SocketSource } from '../protocol/socket-activity.js';

/** Where the socket stands. */
export type SocketState =
  | { readonly kind: 'connected' }
  | { readonly kind: 'connecting' | 'reconnecting'; readonly reason: string };

/** Retry delays of the reconnects this module makes itself. */
export interface SocketBackoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

/** How the socket retries and warns (settings of websocket mode; defaults in brackets). */
export interface SocketOptions {
  /** Delays between reconnect attempts (1 s doubling up to 32 s, as the SDK's). */
  readonly backoff?: SocketBackoff | undefined;
  /** Repeated warnings (socket down, attempts failing) at most this often (1 minute). */
  readonly warnEveryMs?: number | undefined;
}

/** A time the socket was down: events sent to the bot then were not pushed on it. */
export interface SocketGap {
  /** Epoch ms from which events may have been missed: the drop, less the longest a dead socket goes unnoticed. */
  readonly from: number;
  /** Epoch ms the socket was open again. */
  readonly to: number;
}

/** What the socket is handed: each event, each change of its state, and each gap after a reconnect. */
export interface SocketSink {
  /** Takes each event, in arrival order (the next waits until this one's promise settles). */
  readonly onEnvelope: (envelope: WebhookEnvelope) => Promise<void>;
  readonly onState?: ((state: SocketState) => void) | undefined;
  /** Told once the socket is open again after a drop, with the time it may have missed events in. */
  readonly onGap?: ((gap: SocketGap) => void) | undefined;
}

/** Options of {@link openEventSocket}. */
export interface EventSocketOptions extends SocketOptions, SocketSink {
  /** The framework's SDK instance. */
  readonly sdk: WebexSdk;
  /**
   * The device this bot registered before (its URL at the device service), to be reused rather than
   * a new one registered (Webex refuses "excessive device registrations"); a device that no longer
   * exists is registered anew.
   */
  readonly deviceUrl?: string | undefined;
  /** Names the envelopes (the framework only processes events carrying its socket's name). */
  readonly sourceName: string;
  readonly log: Logger;
}

/** An open event socket. */
export interface EventSocket {
  /** The device's URL at the device service (keep it to reuse the device after a restart). */
  readonly deviceUrl: string | undefined;
  /** What names the envelopes it carries (the device's id, the framework's event source name). */
  readonly source: { readonly id: string; readonly name: string };
  /** Closes the socket for good: no event arrives after this resolves. The device stays registered. */
  stopReceiving(): Promise<void>;
}

/** The SDK internals this module uses (the SDK ships no types). */
interface Mercury {
  readonly connected: boolean;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  on<Args extends unknown[]>(event: string, listener: (...args: Args) => void): void;
  _attemptConnection(url: string | undefined, callback: (err?: unknown) => void): void;
}
interface SdkInternals {
  mercury: Mercury;
  device: { readonly url?: string; refresh(): Promise<void>; set(attributes: { url: string }): void; clear(): void };
  services: { getClusterId(url: string): string | undefined };
}

/** Close codes before open that no retry can fix (bad request, bad token, not entitled). */
const REFUSED_CODES: Readonly<Record<number, string>> = {
  4400: 'refused the request',
  4401: 'rejected the token',
  4403: 'refused the account',
};

const describe = (err: unknown): string => {
  const e = err as { code?: unknown; reason?: unknown; statusCode?: unknown; message?: unknown };
  if (typeof e?.code === 'number')
    return `closed ${e.code}${typeof e.reason === 'string' && e.reason ? ` (${e.reason})` : ''}`;
  if (typeof e?.statusCode === 'number')
    return `HTTP ${e.statusCode}${typeof e.message === 'string' ? `: ${e.message.split('\n')[0]}` : ''}`;
  return typeof e?.message === 'string' ? e.message.split('\n')[0]! : String(err);
};

/**
 * How long a socket can be dead before the SDK notices: it pings 15 s after each pong and gives a
 * pong 14 s. Events in that time before a drop may have been lost too.
 */
const UNNOTICED_MS = 30_000;

/** How long closing the socket may take (the SDK's close can wait forever on a socket still opening). */
const CLOSE_DEADLINE_MS = 5000;

/**
 * A logger for the SDK's socket client, so that what it reports (frames that are not JSON, missed
 * pongs) reaches the bot's log: warnings and errors as warnings, the rest at debug.
 */
export function socketLogger(log: Logger): Record<string, (...args: unknown[]) => void> {
  const scoped = log.child({ source: 'webex-socket' });
  const text = (args: unknown[]) =>
    args.map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
  const debug = (...args: unknown[]) => scoped.debug(text(args));
  const warn = (...args: unknown[]) => scoped.warn(text(args));
  return { error: warn, warn, log: debug, info: debug, debug, trace: debug };
}

/**
 * Connects the event socket and resolves once it is open.
 *
 * @throws {StartupError} `WEBEX_UNAUTHORIZED` when Webex refuses the token or the account.
 */
export async function openEventSocket(options: EventSocketOptions): Promise<EventSocket> {
  const { log } = options;
  const internal = (options.sdk as unknown as { internal: SdkInternals }).internal;
  const { mercury, device, services } = internal;
  // A device registered before is refreshed (PUT) instead of a new one registered; gone (404), the SDK registers anew.
  let reused = false;
  if (options.deviceUrl && !device.url) {
    device.set({ url: options.deviceUrl });
    reused = true;
  }
  const backoff = options.backoff ?? { initialMs: 1000, maxMs: 32_000 };
  const warnings = new Throttle(options.warnEveryMs ?? 60_000);
  const dropWarnings = new Throttle(options.warnEveryMs ?? 60_000);
  let stopping = false;
  let connectedOnce = false;
  let failedAttempts = 0;
  let reconnecting: Promise<void> | undefined;
  let refuse: ((err: Error) => void) | undefined;
  let tail: Promise<void> = Promise.resolve();
  const source = (): SocketSource => ({ id: device.url?.split('/').pop() ?? 'socket', name: options.sourceName });
  // Waits between retries end early when the bot stops.
  const wakers = new Set<() => void>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      wakers.add(done);
    });
  const close = async (): Promise<void> => {
    stopping = true;
    for (const wake of [...wakers]) wake();
    await withDeadline(mercury.disconnect(), CLOSE_DEADLINE_MS, 'Closing the Webex event socket').catch(
      (err: unknown) => log.warn('could not close the Webex event socket cleanly', { err }),
    );
  };

  /** A warning at most once per interval; the ones in between go to debug. */
  const warn = (throttle: Throttle, message: string, meta: Record<string, unknown>): void => {
    const held = throttle.take();
    if (held === undefined) log.debug(message, meta);
    else log.warn(message, held > 0 ? { ...meta, sameWarningsHeldBack: held } : meta);
  };
  const state = (s: SocketState): void => options.onState?.(s);

  // Every attempt to open the socket, by the SDK's own retries too, passes through here.
  const attempt = mercury._attemptConnection.bind(mercury);
  mercury._attemptConnection = (url, callback) =>
    attempt(url, (err?: unknown) => {
      if (err && !stopping) {
        failedAttempts += 1;
        const code = (err as { code?: number }).code;
        const refused = typeof code === 'number' ? REFUSED_CODES[code] : undefined;
        if (refused && !connectedOnce && refuse)
          refuse(
            new StartupError(
              'WEBEX_UNAUTHORIZED',
              `Webex's event socket ${refused} (close ${code}): check WEBEX_BOT_TOKEN`,
            ),
          );
        const reason = `could not open the socket (${describe(err)})`;
        state({ kind: connectedOnce ? 'reconnecting' : 'connecting', reason });
        warn(warnings, 'the Webex event socket did not open: retrying with backoff', {
          attempt: failedAttempts,
          reason: describe(err),
        });
      }
      callback(err);
    });

  mercury.on('event:conversation.activity', (frame: { id?: string; data?: { activity?: unknown } }) => {
    if (stopping) return;
    const result = envelopeFromActivity(frame?.data?.activity, (url) => services.getClusterId(url), source());
    if (result.kind === 'malformed') {
      log.warn('event from the socket dropped: it is not an activity the bot can read', {
        reason: result.reason,
        frameId: frame?.id,
      });
      return;
    }
    if (result.kind === 'skipped') {
      log.debug('socket activity ignored', { verb: result.verb });
      return;
    }
    // One at a time, in arrival order: the pipeline claims each before the next (per-space order).
    tail = tail
      .then(() => options.onEnvelope(result.envelope))
      .catch((err: unknown) => log.error('an event from the socket could not be accepted', { err }));
  });

  let droppedAt: number | undefined;
  mercury.on('online', () => {
    failedAttempts = 0;
    warnings.reset();
    dropWarnings.reset();
    if (connectedOnce) log.info('the Webex event socket is connected again');
    connectedOnce = true;
    state({ kind: 'connected' });
    if (droppedAt !== undefined) options.onGap?.({ from: droppedAt - UNNOTICED_MS, to: Date.now() });
    droppedAt = undefined;
  });

  mercury.on('offline', (event: { code?: number; reason?: string }) => {
    if (stopping) return;
    droppedAt ??= Date.now();
    const reason = `the socket closed (${event?.code ?? '?'}${event?.reason ? ` ${event.reason}` : ''})`;
    state({ kind: 'reconnecting', reason });
    warn(
      dropWarnings,
      'the Webex event socket closed: reconnecting (messages sent meanwhile are looked for once it is back)',
      {
        code: event?.code,
        reason: event?.reason,
      },
    );
  });

  // Closes the SDK does not recover from by itself: refresh the device (a deleted one is
  // registered anew) and connect again, with backoff, until it works or the bot stops.
  const recover = (): void => {
    if (stopping || reconnecting) return;
    reconnecting = (async () => {
      let delay = backoff.initialMs;
      while (!stopping && !mercury.connected) {
        try {
          await device.refresh();
          await mercury.connect();
        } catch (err) {
          if (stopping) break;
          warn(warnings, 'could not reconnect the Webex event socket: retrying with backoff', {
            reason: describe(err),
            retryInMs: delay,
          });
          await sleep(delay);
          delay = Math.min(delay * 2, backoff.maxMs);
        }
      }
    })().finally(() => (reconnecting = undefined));
  };
  mercury.on('offline.permanent', recover);
  mercury.on('offline.replaced', recover);

  state({ kind: 'connecting', reason: 'connecting to the Webex event socket' });
  const refused = new Promise<never>((_, reject) => (refuse = reject));
  refused.catch(() => undefined);
  const connect = (async () => {
    let delay = backoff.initialMs;
    for (;;) {
      if (stopping) throw new Error('stopped');
      try {
        // A remembered device is refreshed (PUT; gone: registered anew) first: the socket
        // client takes a device with a URL as registered and would not ask for its socket URL.
        if (reused) await device.refresh();
        // Registers the device first (the SDK waits for the service catalog), then opens the socket.
        await mercury.connect();
        return;
      } catch (err) {
        if (stopping) throw err;
        const status = (err as { statusCode?: number }).statusCode;
        if (status === 401)
          throw new StartupError(
            'WEBEX_UNAUTHORIZED',
            'Webex rejected WEBEX_BOT_TOKEN (HTTP 401) when registering the device for the event socket: check the token',
            { cause: err },
          );
        // A device remembered from an earlier run that cannot be refreshed: register a new one instead.
        if (reused && device.url === options.deviceUrl) {
          log.info('the device of an earlier run could not be reused: registering a new one', {
            reason: describe(err),
          });
          device.clear();
          reused = false;
          continue;
        }
        const reason = `could not register the device (${describe(err)})`;
        state({ kind: 'connecting', reason });
        warn(warnings, 'could not register a device for the Webex event socket: retrying with backoff', {
          reason: describe(err),
          retryInMs: delay,
        });
        await sleep(delay);
        delay = Math.min(delay * 2, backoff.maxMs);
      }
    }
  })();
  try {
    await Promise.race([connect, refused]);
  } catch (err) {
    await close();
    await connect.catch(() => undefined);
    throw err;
  }
  refuse = undefined;
  log.info('the Webex event socket is connected', { device: device.url });

  return {
    get deviceUrl() {
      return device.url;
    },
    get source() {
      return source();
    },
    async stopReceiving() {
      if (stopping) return;
      await close();
      await reconnecting;
      await tail;
    },
  };
}
