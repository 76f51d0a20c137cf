/**
 * What {@link startBot} is given: the slice of the configuration it reads (the settings are
 * declared once, in `src/config/settings.ts`), the token to use, a logger, and tuning — seams
 * that are not settings (stores handed in, shorter timeouts for tests).
 */
import type { AssistantProvider } from './assistant/provider.js';
import type { AssistantConfig } from './assistant/settings.js';
import type { StreamWriterOptions } from './assistant/stream-writer.js';
import type { GovernorPolicy } from './calls/governor.js';
import type { Config } from './config.js';
import type { Logger } from './logging.js';
import type { Clock } from './schedule/clock.js';
import type { KeyValueStore } from './store/types.js';
import type { SocketOptions } from './webex/index.js';

/** The settings a bot reads, as `loadConfig` returns them (the assistant's: `ASSISTANT_*`). */
export type BotConfig = AssistantConfig &
  Pick<
    Config,
    | 'transport'
    | 'apiUrl'
    | 'webhookUrl'
    | 'webhookSecret'
    | 'webhookSecretPrevious'
    | 'access'
    | 'respondToBots'
    | 'replyRatePerMinute'
    | 'maxFileBytes'
    | 'eventQueueLimit'
    | 'webhookCheckIntervalMs'
    | 'port'
    | 'host'
    | 'skillsDir'
    | 'cardsDir'
    | 'stateDir'
    | 'redisUrl'
    | 'redisLeaseMs'
    | 'metrics'
    | 'notifyToken'
    | 'adminEmails'
    | 'timeZone'
  >;

/** Not settings: what tests and embedders may adjust (defaults in brackets). */
export interface BotTuning {
  /** The store of skills' state, kept open and closed by the caller [a file store in `STATE_DIR`, or Redis]. */
  readonly stateStore?: KeyValueStore | undefined;
  /** Where event claims and refusals are remembered [in memory, or Redis]. */
  readonly eventStore?: KeyValueStore | undefined;
  /** Longest a client may take to send one request [10 s]. */
  readonly requestTimeoutMs?: number | undefined;
  /** Longest start-up may take (identity, webhooks) [30 s]. */
  readonly startupTimeoutMs?: number | undefined;
  /** Longest the Webex side of one event may take before the user gets an apology [30 s]. */
  readonly eventDeadlineMs?: number | undefined;
  /** Spaces whose framework bot objects are kept [2,000]. */
  readonly maxSpaceObjects?: number | undefined;
  /** Limits of the Webex call governor. */
  readonly governor?: Partial<GovernorPolicy> | undefined;
  /** After a 401, how long Webex calls are refused before one probes again [30 s]. */
  readonly tokenCooldownMs?: number | undefined;
  /** With no webhook delivery for this long, the watchdog checks this often [1 minute]. */
  readonly watchdogQuietMs?: number | undefined;
  /**
   * Keep events in the event journal in `STATE_DIR` (durable before their 200, across restarts)
   * [true with no Redis]. False keeps them in memory only: for tests and embedders that do not
   * own a folder.
   */
  readonly eventJournal?: boolean | undefined;
  /** How the event socket retries and warns (websocket mode). */
  readonly socket?: SocketOptions | undefined;
  /** The clock of jobs, questions, confirmations and `now()` [the system clock]; tests move their own. */
  readonly clock?: Clock | undefined;
  /** The assistant's model and streaming, other than the settings' (tests: a `ScriptedProvider`). */
  readonly assistant?: AssistantTuning | undefined;
}

/** What tests and embedders may hand the assistant (see {@link BotTuning.assistant}). */
export interface AssistantTuning {
  /** The model [the OpenAI-compatible one of `ASSISTANT_BASE_URL`]; given, it turns the assistant on. */
  readonly provider?: AssistantProvider | undefined;
  /** How answers stream [an edit at most every k × 1 s, 80 bytes apart]. */
  readonly writer?: StreamWriterOptions | undefined;
}

/** Everything {@link startBot} needs. */
export interface BotSettings {
  readonly config: BotConfig;
  /** The bot's token: `WEBEX_BOT_TOKEN`, or the built-in emulator's (then `config.apiUrl` is the emulator's). */
  readonly token: string;
  readonly log: Logger;
  readonly tuning?: BotTuning | undefined;
}
