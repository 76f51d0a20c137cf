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

/** Waits that end early, all at once, when the bot stops. */
class Sleeps {
  private readonly wakers = new Set<() => void>();

  /** Resolves after `ms`, or at {@link wakeAll}. */
  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      this.wakers.add(done);
    });
  }

  wakeAll(): void {
    for (const wake of [...this.wakers]) wake();
  }
}

/**
 * One event socket: opening it (with retries), its events into `onEnvelope` in order, its drops
 * and reconnects, and its close.
 */
class SocketConnection implements EventSocket {
  private readonly log: Logger;
  private readonly mercury: Mercury;
  private readonly device: SdkInternals['device'];
  private readonly services: SdkInternals['services'];
  private readonly backoff: SocketBackoff;
  private readonly warnings: Throttle;
  private readonly dropWarnings: Throttle;
  private readonly sleeps = new Sleeps();
  /** A device of an earlier run, set on the SDK to be refreshed rather than a new one registered. */
  private reused = false;
  private stopping = false;
  private connectedOnce = false;
  private failedAttempts = 0;
  private reconnecting: Promise<void> | undefined;
  private refuse: ((err: Error) => void) | undefined;
  private tail: Promise<void> = Promise.resolve();
  private droppedAt: number | undefined;

  constructor(private readonly options: EventSocketOptions) {
    this.log = options.log;
    const internal = (options.sdk as unknown as { internal: SdkInternals }).internal;
    ({ mercury: this.mercury, device: this.device, services: this.services } = internal);
    // A device registered before is refreshed (PUT) instead of a new one registered; gone (404), the SDK registers anew.
    if (options.deviceUrl && !this.device.url) {
      this.device.set({ url: options.deviceUrl });
      this.reused = true;
    }
    this.backoff = options.backoff ?? { initialMs: 1000, maxMs: 32_000 };
    this.warnings = new Throttle(options.warnEveryMs ?? 60_000);
    this.dropWarnings = new Throttle(options.warnEveryMs ?? 60_000);
  }

  get deviceUrl(): string | undefined {
    return this.device.url;
  }

  get source(): SocketSource {
    return { id: this.device.url?.split('/').pop() ?? 'socket', name: this.options.sourceName };
  }

  /** Listens to the socket client, then opens the socket; rejects (closed) when start-up must fail. */
  async open(): Promise<void> {
    this.watchAttempts();
    this.mercury.on('event:conversation.activity', (frame: ActivityFrame) => this.onActivity(frame));
    this.mercury.on('online', () => this.onOnline());
    this.mercury.on('offline', (event: { code?: number; reason?: string }) => this.onOffline(event));
    this.mercury.on('offline.permanent', () => this.recover());
    this.mercury.on('offline.replaced', () => this.recover());

    this.state({ kind: 'connecting', reason: 'connecting to the Webex event socket' });
    const refused = new Promise<never>((_, reject) => (this.refuse = reject));
    refused.catch(() => undefined);
    const connect = this.connectFirst();
    try {
      await Promise.race([connect, refused]);
    } catch (err) {
      await this.close();
      await connect.catch(() => undefined);
      throw err;
    }
    this.refuse = undefined;
    this.log.info('the Webex event socket is connected', { device: this.device.url });
  }

  async stopReceiving(): Promise<void> {
    if (this.stopping) return;
    await this.close();
    await this.reconnecting;
    await this.tail;
  }

  private async close(): Promise<void> {
    this.stopping = true;
    this.sleeps.wakeAll();
    await withDeadline(this.mercury.disconnect(), CLOSE_DEADLINE_MS, 'Closing the Webex event socket').catch(
      (err: unknown) => this.log.warn('could not close the Webex event socket cleanly', { err }),
    );
  }

  /** A warning at most once per interval; the ones in between go to debug. */
  private warn(throttle: Throttle, message: string, meta: Record<string, unknown>): void {
    const held = throttle.take();
    if (held === undefined) this.log.debug(message, meta);
    else this.log.warn(message, held > 0 ? { ...meta, sameWarningsHeldBack: held } : meta);
  }

  private state(s: SocketState): void {
    this.options.onState?.(s);
  }

  /** Every attempt to open the socket, by the SDK's own retries too, passes through here. */
  private watchAttempts(): void {
    const attempt = this.mercury._attemptConnection.bind(this.mercury);
    this.mercury._attemptConnection = (url, callback) =>
      attempt(url, (err?: unknown) => {
        if (err && !this.stopping) this.onFailedAttempt(err);
        callback(err);
      });
  }

  private onFailedAttempt(err: unknown): void {
    this.failedAttempts += 1;
    const code = (err as { code?: number }).code;
    const refused = typeof code === 'number' ? REFUSED_CODES[code] : undefined;
    if (refused && !this.connectedOnce && this.refuse)
      this.refuse(
        new StartupError(
          'WEBEX_UNAUTHORIZED',
          `Webex's event socket ${refused} (close ${code}): check WEBEX_BOT_TOKEN`,
        ),
      );
    const reason = `could not open the socket (${describe(err)})`;
    this.state({ kind: this.connectedOnce ? 'reconnecting' : 'connecting', reason });
    this.warn(this.warnings, 'the Webex event socket did not open: retrying with backoff', {
      attempt: this.failedAttempts,
      reason: describe(err),
    });
  }

  private onActivity(frame: ActivityFrame): void {
    if (this.stopping) return;
    const result = envelopeFromActivity(frame?.data?.activity, (url) => this.services.getClusterId(url), this.source);
    if (result.kind === 'malformed') {
      this.log.warn('event from the socket dropped: it is not an activity the bot can read', {
        reason: result.reason,
        frameId: frame?.id,
      });
      return;
    }
    if (result.kind === 'skipped') {
      this.log.debug('socket activity ignored', { verb: result.verb });
      return;
    }
    // One at a time, in arrival order: the pipeline claims each before the next (per-space order).
    this.tail = this.tail
      .then(() => this.options.onEnvelope(result.envelope))
      .catch((err: unknown) => this.log.error('an event from the socket could not be accepted', { err }));
  }

  private onOnline(): void {
    this.failedAttempts = 0;
    this.warnings.reset();
    this.dropWarnings.reset();
    if (this.connectedOnce) this.log.info('the Webex event socket is connected again');
    this.connectedOnce = true;
    this.state({ kind: 'connected' });
    if (this.droppedAt !== undefined) this.options.onGap?.({ from: this.droppedAt - UNNOTICED_MS, to: Date.now() });
    this.droppedAt = undefined;
  }

  private onOffline(event: { code?: number; reason?: string }): void {
    if (this.stopping) return;
    this.droppedAt ??= Date.now();
    const reason = `the socket closed (${event?.code ?? '?'}${event?.reason ? ` ${event.reason}` : ''})`;
    this.state({ kind: 'reconnecting', reason });
    this.warn(
      this.dropWarnings,
      'the Webex event socket closed: reconnecting (messages sent meanwhile are looked for once it is back)',
      {
        code: event?.code,
        reason: event?.reason,
      },
    );
  }

  /**
   * Closes the SDK does not recover from by itself: refresh the device (a deleted one is
   * registered anew) and connect again, with backoff, until it works or the bot stops.
   */
  private recover(): void {
    if (this.stopping || this.reconnecting) return;
    this.reconnecting = this.reconnect().finally(() => (this.reconnecting = undefined));
  }

  private async reconnect(): Promise<void> {
    let delay = this.backoff.initialMs;
    while (!this.stopping && !this.mercury.connected) {
      try {
        await this.device.refresh();
        await this.mercury.connect();
      } catch (err) {
        if (this.stopping) break;
        this.warn(this.warnings, 'could not reconnect the Webex event socket: retrying with backoff', {
          reason: describe(err),
          retryInMs: delay,
        });
        await this.sleeps.sleep(delay);
        delay = Math.min(delay * 2, this.backoff.maxMs);
      }
    }
  }

  /** The first connect: registers (or refreshes) the device and opens the socket, retrying until it works. */
  private async connectFirst(): Promise<void> {
    let delay = this.backoff.initialMs;
    for (;;) {
      if (this.stopping) throw new Error('stopped');
      try {
        // A remembered device is refreshed (PUT; gone: registered anew) first: the socket
        // client takes a device with a URL as registered and would not ask for its socket URL.
        if (this.reused) await this.device.refresh();
        // Registers the device first (the SDK waits for the service catalog), then opens the socket.
        await this.mercury.connect();
        return;
      } catch (err) {
        if (this.stopping) throw err;
        if (this.afterFailedConnect(err, delay) === 'at-once') continue;
        await this.sleeps.sleep(delay);
        delay = Math.min(delay * 2, this.backoff.maxMs);
      }
    }
  }

  /**
   * What follows a failed first connect: throws when no retry can help (a refused token); a
   * remembered device that cannot be refreshed is dropped and a new one registered at once;
   * anything else is retried after `delay`.
   */
  private afterFailedConnect(err: unknown, delay: number): 'at-once' | 'after-backoff' {
    const status = (err as { statusCode?: number }).statusCode;
    if (status === 401)
      throw new StartupError(
        'WEBEX_UNAUTHORIZED',
        'Webex rejected WEBEX_BOT_TOKEN (HTTP 401) when registering the device for the event socket: check the token',
        { cause: err },
      );
    // A device remembered from an earlier run that cannot be refreshed: register a new one instead.
    if (this.reused && this.device.url === this.options.deviceUrl) {
      this.log.info('the device of an earlier run could not be reused: registering a new one', {
        reason: describe(err),
      });
      this.device.clear();
      this.reused = false;
      return 'at-once';
    }
    const reason = `could not register the device (${describe(err)})`;
    this.state({ kind: 'connecting', reason });
    this.warn(this.warnings, 'could not register a device for the Webex event socket: retrying with backoff', {
      reason: describe(err),
      retryInMs: delay,
    });
    return 'after-backoff';
  }
}

/** A `conversation.activity` frame of the socket client. */
type ActivityFrame = { id?: string; data?: { activity?: unknown } } | undefined;

/**
 * Connects the event socket and resolves once it is open.
 *
 * @throws {StartupError} `WEBEX_UNAUTHORIZED` when Webex refuses the token or the account.
 */
export async function openEventSocket(options: EventSocketOptions): Promise<EventSocket> {
  const socket = new SocketConnection(options);
  await socket.open();
  return socket;
}
