/**
 * The bridge to Webex, and the only module the rest of the bot uses to reach it.
 *
 * `webex-node-bot-framework` keeps doing what it does well — SDK set-up, the bot's identity, one
 * bot object per space (found on first contact), the sender look-up — and stays what dispatches
 * events to handlers. What it gets wrong is replaced around it, one job per file:
 * - `framework-start.ts`: the SDK adjusted at creation (the governor under every call, direct
 *   person look-ups, webhook registration as "ensure"); start-up waits for both webhooks.
 * - `governor/`: timeouts, `Retry-After`, retries that never post twice, the 401 state.
 * - `event-handler.ts`: events come from our verified ingress, are screened, fetched, handed to
 *   the framework, and awaited (the framework does not await handlers; `in-flight.ts`).
 * - `outbox.ts`: replies in order, never twice, within a per-space rate.
 * - `sent-messages.ts`: the bot's own messages, for routing card submissions and threads.
 * - `webhook-watchdog.ts`: inactive or deleted webhooks restored while running.
 * - `space-objects.ts`: the framework's bot objects kept for the most recently active spaces only.
 * - `lean-http.ts`, `lean-sdk.ts`, `people-cache.ts`: the bot's REST calls on Node's http, the
 *   SDK without plugins a bot never uses, the senders looked up once per while.
 * - `transport.ts`: how events arrive — webhooks, or Webex's event socket (`socket/`), whose
 *   events become webhook envelopes for the same pipeline.
 * - `webhook-lock.ts`: with several instances, only the reconciler lock's holder registers and
 *   watches the webhooks; `find-posted.ts`: whether a reply whose answer was lost reached Webex.
 */
import type { Logger } from '../logging.js';
import type { BotMetrics } from '../metrics/types.js';
import { AccessPolicy, type AccessRules } from '../policy/access.js';
import { RefusalNotices } from '../policy/refusals.js';
import { ReplyRateLimiter } from '../policy/reply-rate.js';
import type { KeyValueStore } from '../store/types.js';
import type { WebhookRecord } from './ensure-webhooks.js';
import {
  attachFrameworkCallbacks,
  createEventHandler,
  type EventContext,
  type EventHandler,
  type InboundHandlers,
} from './event-handler.js';
import { createFramework, startFramework, type BotIdentity } from './framework-start.js';
import { DEFAULT_GOVERNOR_POLICY, WebexCallGovernor, type GovernorPolicy } from './governor/governor.js';
import { TokenHealth } from './governor/token-health.js';
import { InFlightEvents } from './in-flight.js';
import { createOutbox } from './outbox.js';
import { SentMessageLedger } from './sent-messages.js';
import { socketSdkConfig, startTransport, type Transport, type TransportOptions } from './transport.js';
import type { WebhookLock } from './webhook-lock.js';
import { findPostedReply } from './find-posted.js';
import { SpaceObjectLimit, type FrameworkBots } from './space-objects.js';
import type { OutgoingMessage } from '../routing/inbound.js';

export type { BotIdentity } from './framework-start.js';
export type { InboundHandlers } from './event-handler.js';
export type { HandleOutcome } from './outcomes.js';
export { describeWebexError } from './framework-start.js';
export type { SocketBackoff, SocketState, TransportOptions } from './transport.js';

/** Options for {@link connectToWebex}. */
export interface ConnectOptions {
  readonly token: string;
  readonly apiUrl: string;
  /** Webhooks (public URL, secret, watchdog) or the event socket. */
  readonly transport: TransportOptions;
  readonly log: Logger;
  readonly handlers: InboundHandlers;
  /** Where refusals (and other shared facts) are remembered. */
  readonly store: KeyValueStore;
  /** Who may use the bot (both empty: everyone). */
  readonly access?: AccessRules;
  /** Answer other bots' messages too (default false). */
  readonly respondToBots?: boolean;
  /** Messages per space per minute the bot may post (default 30). */
  readonly replyRatePerMinute?: number;
  /** Limits of the governor (defaults in `DEFAULT_GOVERNOR_POLICY`). */
  readonly governor?: Partial<GovernorPolicy>;
  /** After a 401, how long calls are refused before one probes again (default 30 s). */
  readonly tokenCooldownMs?: number;
  /** Told when Webex starts or stops accepting the token. */
  readonly onTokenChange?: (accepted: boolean) => void;
  /** How long start-up may take (identity + webhooks) before failing. Default 30 s. The event socket is waited for as long as it takes. */
  readonly startupTimeoutMs?: number;
  /**
   * How long the Webex side of one event may take — fetching it, the framework's look-ups —
   * before the user gets an apology and the space's queue moves on. Default 30 s.
   */
  readonly eventDeadlineMs?: number;
  /**
   * Spaces whose framework bot objects are kept, the most recently active (default 2,000); the
   * framework finds any other space again on its next event (`space-objects.ts`).
   */
  readonly maxSpaceObjects?: number;
  /** Told of every Webex call attempt and retry (default: nothing is measured). */
  readonly metrics?: BotMetrics;
  /** With several instances: the reconciler lock; only its holder registers and watches the webhooks. */
  readonly webhookLock?: WebhookLock;
}

/** A running connection. */
export interface WebexConnection {
  readonly bot: BotIdentity;
  readonly transport: TransportOptions['kind'];
  /** Registered at start-up in webhook mode; none in websocket mode. */
  readonly webhooks: readonly WebhookRecord[];
  /** Processes one verified webhook event to completion (fetch, framework, skill handler). */
  readonly handle: EventHandler;
  /** Checks the webhooks now (the watchdog also does it on its own schedule); nothing in websocket mode. */
  checkWebhooks(): Promise<void>;
  /** Whether the bot's message with `message`'s content was posted since `since` and is not in `known` (see `find-posted.ts`). */
  findPosted(
    message: Readonly<Record<string, unknown>>,
    since: number,
    known: ReadonlySet<string>,
  ): Promise<{ id: string } | undefined | 'unknown'>;
  /** Stops taking events (websocket mode: closes the socket), so that the ones in flight can drain. */
  stopReceiving(): Promise<void>;
  /**
   * Stops the watchdog and the framework (websocket mode: the device is unregistered). Webhooks
   * stay registered, so events sent meanwhile are redelivered later.
   */
  close(): Promise<void>;
}

/**
 * Connects to Webex: starts the framework, then the transport — webhooks registered (ensured)
 * and watched, or the event socket open — and resolves once the bot can handle events.
 *
 * @throws {StartupError} see `startFramework`.
 */
export async function connectToWebex(options: ConnectOptions): Promise<WebexConnection> {
  const { log } = options;
  const cooldownMs = options.tokenCooldownMs ?? 30_000;
  // While the token is rejected no event is taken, so nothing would ever find out that it works
  // again: one probe (`people/me`) per cool-down does.
  let probe: NodeJS.Timeout | undefined;
  const token = new TokenHealth(cooldownMs, (accepted) => {
    if (accepted) {
      log.info('Webex accepts the bot token again');
      clearInterval(probe);
      probe = undefined;
    } else {
      log.error(
        'Webex rejected the bot token (HTTP 401): the bot cannot answer until the token is fixed (WEBEX_BOT_TOKEN; regenerating a token invalidates the old one)',
      );
      probe ??= setInterval(() => void framework.webex.people.get('me').catch(() => undefined), cooldownMs);
      probe.unref();
    }
    options.onTokenChange?.(accepted);
  });
  const governor = new WebexCallGovernor(
    { ...DEFAULT_GOVERNOR_POLICY, ...options.governor },
    { log, token, ...(options.metrics ? { metrics: options.metrics } : {}) },
  );
  const { transport } = options;
  const frameworkOptions = {
    token: options.token,
    apiUrl: options.apiUrl,
    webhook: transport.kind === 'webhook' ? { url: transport.webhookUrl, secret: transport.webhookSecret } : undefined,
    sdkConfig: socketSdkConfig(transport, log),
    log,
    governor,
    webhookLock: options.webhookLock,
  };
  const framework = createFramework(frameworkOptions);
  const inFlight = new InFlightEvents<EventContext>();
  const guards = {
    access: new AccessPolicy(options.access ?? { domains: [], emails: [] }),
    respondToBots: options.respondToBots ?? false,
    refusals: new RefusalNotices(options.store),
  };
  attachFrameworkCallbacks(framework, { handlers: options.handlers, inFlight, guards }, log);

  const started = await startFramework(framework, frameworkOptions, options.startupTimeoutMs ?? 30_000);
  const { bot } = started;
  const sentMessages = new SentMessageLedger(
    (id) => framework.webex.messages.get(id),
    () => bot.id,
  );
  const listRecent = async (roomId: string, max: number) =>
    (await framework.webex.messages.list({ roomId, max })).items;
  const outbox = createOutbox({
    webex: { create: (message) => framework.webex.messages.create(message), listRecent },
    ledger: sentMessages,
    rate: new ReplyRateLimiter({ perMinute: options.replyRatePerMinute ?? 30 }),
    botId: () => bot.id,
  });
  const handle = createEventHandler({
    framework,
    bot,
    handlers: options.handlers,
    outbox,
    sentMessages,
    inFlight,
    guards,
    eventDeadlineMs: options.eventDeadlineMs ?? 30_000,
    spaces: new SpaceObjectLimit(framework as unknown as FrameworkBots, options.maxSpaceObjects),
  });
  let events: Transport;
  try {
    // With several instances only the reconciler lock's holder watches the webhooks.
    const lock = options.webhookLock;
    events = await startTransport(
      started,
      transport.kind === 'webhook' && lock ? { ...transport, isHolder: () => lock.held() } : transport,
      log,
    );
  } catch (err) {
    await framework.stop().catch(() => undefined);
    throw err;
  }

  return {
    bot,
    transport: events.kind,
    webhooks: events.webhooks,
    handle,
    checkWebhooks: () => events.checkWebhooks(),
    stopReceiving: () => events.stopReceiving(),
    findPosted: (message, since, known) =>
      findPostedReply(listRecent, bot.id, message as unknown as OutgoingMessage, since, (id) => known.has(id)),
    async close() {
      events.close();
      clearInterval(probe);
      await framework.stop();
    },
  };
}
