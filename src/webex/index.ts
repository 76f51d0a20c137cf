/**
 * The seam: the only door to `webex-node-bot-framework` and the `webex` SDK. Nothing outside
 * `src/webex/` imports either library; what we take from them, what we replace and why, and
 * every patch point are listed in `contract.ts` (read it first).
 *
 * {@link connectToWebex} creates and starts the framework (the SDK adjusted the moment it is
 * created), and resolves with a {@link WebexSession}: who the bot is, the REST calls the bot makes
 * ({@link WebexApi}), the hand-over of events to the framework for dispatch
 * ({@link FrameworkDispatch}), and, by transport, the registered webhooks and their watchdog or
 * the event socket.
 */
import { TokenHealth } from '../calls/token-health.js';
import { DEFAULT_GOVERNOR_POLICY, type GovernorPolicy, WebexCallGovernor } from '../calls/governor.js';
import type { Logger } from '../logging.js';
import type { BotMetrics } from '../metrics/types.js';
import { type WebexApi, webexApi } from './api.js';
import { ContentClient } from './contents.js';
import { type FrameworkDispatch, frameworkDispatch } from './dispatch.js';
import {
  type EventSocket,
  openEventSocket,
  type SocketOptions,
  type SocketSink,
  socketLogger,
} from './event-socket.js';
import { type BotIdentity, createFramework, startFramework } from './framework.js';
import { SocketProxyAgent } from './proxy-agents.js';
import { type FrameworkBots, SpaceObjectLimit } from './space-objects.js';
import type { WebhookRecord } from './webhooks/ensure.js';
import type { WebhookLock } from './webhooks/lock.js';
import { startWebhookWatchdog, type WatchdogOptions, type WebhookWatchdog } from './webhooks/watchdog.js';

export type { ListPage, WebexApi, WebexMembership } from './api.js';
export type { ContentClient, ContentInfo, OpenContent } from './contents.js';
export { UploadFile } from './upload.js';
export type { FrameworkDispatch, HandOver, Submitter } from './dispatch.js';
export type { EventSocket, SocketBackoff, SocketGap, SocketOptions, SocketSink, SocketState } from './event-socket.js';
export { type BotIdentity, describeWebexError } from './framework.js';
export { createSdkRequest, type SdkRequest } from './sdk.js';
export type { WebhookRecord } from './webhooks/ensure.js';
export type { WebhookLock } from './webhooks/lock.js';
export type { WatchdogOptions, WebhookWatchdog } from './webhooks/watchdog.js';

/** Options of {@link connectToWebex}. */
export interface ConnectOptions {
  readonly token: string;
  readonly apiUrl: string;
  readonly log: Logger;
  /** Webhook mode: the public URL, the secret, and (several instances) the reconciler lock. Absent: websocket mode. */
  readonly webhook?:
    | { readonly url: string; readonly secret: string; readonly lock?: WebhookLock | undefined }
    | undefined;
  /** Websocket mode: how the socket retries and warns. */
  readonly socket?: SocketOptions | undefined;
  /** Limits of the governor (defaults in `DEFAULT_GOVERNOR_POLICY`). */
  readonly governor?: Partial<GovernorPolicy> | undefined;
  /** After a 401, how long calls are refused before one probes again (default 30 s). */
  readonly tokenCooldownMs?: number | undefined;
  /** Told when Webex starts or stops accepting the token. */
  readonly onTokenChange?: ((accepted: boolean) => void) | undefined;
  /** How long start-up may take (identity + webhooks) before failing. Default 30 s. */
  readonly startupTimeoutMs?: number | undefined;
  /** Spaces whose framework bot objects are kept, the most recently active (default 2,000; `space-objects.ts`). */
  readonly maxSpaceObjects?: number | undefined;
  /** Told of every Webex call attempt and retry. */
  readonly metrics?: BotMetrics | undefined;
}

/** A connected bot (see the file's comment). */
export interface WebexSession {
  readonly bot: BotIdentity;
  readonly api: WebexApi;
  /** Downloads of received files: the token only to the API, a size cap, through the governor. */
  readonly contents: ContentClient;
  readonly dispatch: FrameworkDispatch;
  /** Webhook mode: the webhooks registered (ensured) at start-up; none in websocket mode. */
  readonly webhooks: readonly WebhookRecord[];
  /** Webhook mode: starts the watchdog that keeps the webhooks registered and active. */
  watchWebhooks(
    deps: { lastDeliveryAt: () => number; isHolder?: () => boolean },
    options?: WatchdogOptions,
  ): WebhookWatchdog;
  /**
   * Websocket mode: registers a device (or reuses `deviceUrl`, the one a previous run registered)
   * and opens Webex's event socket; resolves once it is open.
   */
  openEventSocket(sink: SocketSink, deviceUrl?: string): Promise<EventSocket>;
  /** Stops the framework (websocket mode: the device is unregistered). Webhooks stay registered. */
  close(): Promise<void>;
}

/** Keeps `TokenHealth` told, and probes the token (`people/me`) once per cool-down while it is rejected. */
function watchToken(options: ConnectOptions, probe: () => Promise<unknown>): { health: TokenHealth; stop(): void } {
  const { log } = options;
  const cooldownMs = options.tokenCooldownMs ?? 30_000;
  // While the token is rejected no event is taken, so nothing would ever find out that it works again.
  let timer: NodeJS.Timeout | undefined;
  const health = new TokenHealth(cooldownMs, (accepted) => {
    if (accepted) {
      log.info('Webex accepts the bot token again');
      clearInterval(timer);
      timer = undefined;
    } else {
      log.error(
        'Webex rejected the bot token (HTTP 401): the bot cannot answer until the token is fixed (WEBEX_BOT_TOKEN; regenerating a token invalidates the old one)',
      );
      timer ??= setInterval(() => void probe().catch(() => undefined), cooldownMs);
      timer.unref();
    }
    options.onTokenChange?.(accepted);
  });
  return { health, stop: () => clearInterval(timer) };
}

/**
 * Connects to Webex: creates and starts the framework and, in webhook mode, registers (ensures)
 * the webhooks; resolves once the bot knows who it is.
 *
 * @throws {StartupError} `WEBEX_UNAUTHORIZED`, `WEBEX_UNREACHABLE`, `WEBHOOKS_FAILED`, `STARTUP_TIMEOUT`.
 * @example
 * const session = await connectToWebex({ token, apiUrl: 'https://webexapis.com/v1', log });
 * await session.api.postMessage({ toPersonEmail: 'ada@example.com', markdown: 'Hello' });
 */
export async function connectToWebex(options: ConnectOptions): Promise<WebexSession> {
  const { log } = options;
  // The probe runs a cool-down after a 401, when the framework exists.
  const token = watchToken(options, () => framework.webex.people.get('me'));
  const governor = new WebexCallGovernor(
    { ...DEFAULT_GOVERNOR_POLICY, ...options.governor },
    { log, token: token.health, metrics: options.metrics },
  );
  const frameworkOptions = {
    token: options.token,
    apiUrl: options.apiUrl,
    webhook: options.webhook,
    sdkConfig: options.webhook ? undefined : socketSdkConfig(options.socket, log),
    log,
    governor,
    webhookLock: options.webhook?.lock,
  };
  const framework = createFramework(frameworkOptions);
  const spaces = new SpaceObjectLimit(framework as unknown as FrameworkBots, options.maxSpaceObjects);
  const dispatch = frameworkDispatch(framework, spaces, log);
  const started = await startFramework(framework, frameworkOptions, options.startupTimeoutMs ?? 30_000).catch(
    (err: unknown) => {
      token.stop();
      throw err;
    },
  );
  const api = webexApi(framework.webex, options.apiUrl);
  return {
    bot: started.bot,
    api,
    contents: new ContentClient({ apiUrl: options.apiUrl, token: options.token, governor }),
    dispatch,
    webhooks: started.webhooks,
    watchWebhooks(deps, watchdog) {
      const registration = started.registration;
      if (!registration) throw new Error('watchWebhooks: the bot runs in websocket mode (no webhooks)');
      return startWebhookWatchdog({ api: registration.api, specs: registration.specs, log, ...deps }, watchdog);
    },
    openEventSocket(sink, deviceUrl) {
      return openEventSocket({
        deviceUrl,
        sdk: framework.webex,
        // The framework processes only events that carry the name of its own event source.
        sourceName: (framework.webhook ? framework.webhook.name : undefined) ?? 'webex sdk socket event',
        log,
        ...options.socket,
        ...sink,
      });
    },
    async close() {
      token.stop();
      await framework.stop();
    },
  };
}

/**
 * SDK config for websocket mode: the socket client logs into the bot's log, with the bot's
 * backoff, and connects through the proxy the environment names for the socket's host (the
 * framework's own `httpsProxy` option puts its agent where the socket client never reads it).
 */
function socketSdkConfig(socket: SocketOptions | undefined, log: Logger): Record<string, unknown> {
  const backoff = socket?.backoff
    ? { backoffTimeReset: socket.backoff.initialMs, backoffTimeMax: socket.backoff.maxMs }
    : {};
  return {
    defaultMercuryOptions: { logger: socketLogger(log), agent: new SocketProxyAgent() },
    mercury: backoff,
  };
}
