/**
 * Creating and starting `webex-node-bot-framework` against a Webex (real or emulated), with the
 * SDK adjusted the moment it is created: the governor under every REST call, person look-ups
 * without the SDK's batcher, and — with a webhook URL — the framework's webhook calls turned
 * into "ensure", or — without one (websocket mode) — its own socket listeners switched off.
 */
import { createRequire } from 'node:module';
import type Framework from 'webex-node-bot-framework';
import type { WebexSdk } from 'webex';
import { StartupError } from '../errors.js';
import type { Logger } from '../logging.js';
import { withDeadline } from '../calls/deadline.js';
import type { WebhookRecord } from './webhooks/ensure.js';
import type { WebexCallGovernor } from '../calls/governor.js';
import { governSdkRequests } from './govern-requests.js';
import { leanSdkRequests } from '../calls/lean-http.js';
import { installLeanSdk } from './lean-sdk.js';
import {
  disableFrameworkSocketListeners,
  installDirectPeopleLookup,
  installWebhookAdapter,
  type WebhookRegistration,
} from './patches.js';
import { withSdkConfig } from './sdk.js';
import type { WebhookLock } from './webhooks/lock.js';

const require = createRequire(import.meta.url);

/** Who the bot is. */
export interface BotIdentity {
  readonly id: string;
  readonly displayName: string;
  readonly firstName: string | undefined;
  readonly email: string;
}

/** What {@link createFramework} needs. */
export interface FrameworkOptions {
  readonly token: string;
  readonly apiUrl: string;
  /** Webhook mode: the public URL and the secret. Absent: websocket mode (no webhooks registered). */
  readonly webhook?: { readonly url: string; readonly secret: string } | undefined;
  /** More SDK config (websocket mode: the socket's logger and backoff). */
  readonly sdkConfig?: Record<string, unknown> | undefined;
  readonly log: Logger;
  readonly governor: WebexCallGovernor;
  /** With several instances: the reconciler lock (only its holder registers the webhooks). */
  readonly webhookLock?: WebhookLock | undefined;
}

/** A started framework, with the bot's identity and, in webhook mode, its webhooks. */
export interface StartedFramework {
  readonly framework: Framework;
  readonly bot: BotIdentity;
  /** Empty in websocket mode. */
  readonly webhooks: WebhookRecord[];
  /** Undefined in websocket mode. */
  readonly registration: WebhookRegistration | undefined;
}

/** Describes an SDK error for logs and start-up messages. */
export function describeWebexError(err: unknown): string {
  const e = err as { statusCode?: number; message?: string };
  const status = typeof e?.statusCode === 'number' ? `HTTP ${e.statusCode}` : undefined;
  const message = (e?.message ?? String(err)).split('\n')[0];
  return [status, message].filter(Boolean).join(': ');
}

/** A framework ready to have its handlers attached, then to be started with {@link startFramework}. */
export function createFramework(options: FrameworkOptions): Framework {
  installLeanSdk(); // before the framework's own require('webex')
  const FrameworkClass = require('webex-node-bot-framework') as typeof Framework;
  const framework = new FrameworkClass({
    token: options.token,
    // Without a webhook URL the framework runs in websocket mode.
    webhookUrl: options.webhook?.url,
    webhookSecret: options.webhook?.secret,
    removeWebhooksOnStart: false,
    // No start-up scan of every space: bot objects are made on first contact (the per-space
    // queue keeps concurrent first messages from racing that discovery).
    maxStartupSpaces: 0,
    messageFormat: 'markdown',
  });
  framework.on('log', (message: string) => options.log.debug(`framework: ${message}`));
  return framework;
}

function startupDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return withDeadline(
    promise,
    ms,
    what,
    () => new StartupError('STARTUP_TIMEOUT', `${what} did not finish within ${ms / 1000} s`),
  );
}

/**
 * Starts `framework`, registers (ensures) its two webhooks in webhook mode, and resolves once the
 * bot can handle events (in websocket mode, the caller then opens the event socket).
 *
 * @throws {StartupError} `WEBEX_UNAUTHORIZED` for a rejected token, `WEBHOOKS_FAILED` when the
 *   webhooks cannot be registered, `STARTUP_TIMEOUT`, or `WEBEX_UNREACHABLE`.
 */
export async function startFramework(
  framework: Framework,
  options: FrameworkOptions,
  timeoutMs: number,
): Promise<StartedFramework> {
  // The framework registers two webhooks (firehose all/all, attachmentActions/created); its
  // calls go through the adapter, which resolves `registration` once both exist.
  let registration: WebhookRegistration | undefined;
  const { webhook } = options;
  const adaptSdk = (sdk: WebexSdk): void => {
    governSdkRequests(sdk, options.governor, (sdkRequest) =>
      leanSdkRequests({ apiUrl: options.apiUrl, token: options.token }, sdkRequest),
    );
    if (webhook) registration = installWebhookAdapter(sdk, webhook.secret, options.log, 2, options.webhookLock);
    else disableFrameworkSocketListeners(sdk);
    installDirectPeopleLookup(sdk);
  };
  const sdkOptions = { apiUrl: options.apiUrl, config: options.sdkConfig };
  try {
    await startupDeadline(
      withSdkConfig(sdkOptions, adaptSdk, () => framework.start()),
      timeoutMs,
      'Connecting to Webex',
    );
  } catch (err) {
    throw startError(err, options.apiUrl);
  }
  const webhooks = webhook ? await registered(framework, registration!, webhook.url, timeoutMs) : [];
  return { framework, bot: identityOf(framework), webhooks, registration };
}

/** Why the framework did not start, for the operator. */
function startError(err: unknown, apiUrl: string): StartupError {
  if ((err as { statusCode?: number }).statusCode === 401) {
    return new StartupError(
      'WEBEX_UNAUTHORIZED',
      `Webex rejected WEBEX_BOT_TOKEN (HTTP 401) at ${apiUrl}: check the token (a regenerated token invalidates the old one)`,
      { cause: err },
    );
  }
  if (err instanceof StartupError) return err;
  return new StartupError('WEBEX_UNREACHABLE', `Could not reach Webex at ${apiUrl}: ${describeWebexError(err)}`, {
    cause: err,
  });
}

/** The two webhooks, once registered (ensured); on failure the framework is stopped. */
async function registered(
  framework: Framework,
  registration: WebhookRegistration,
  url: string,
  timeoutMs: number,
): Promise<WebhookRecord[]> {
  try {
    return await startupDeadline(registration.done, timeoutMs, 'Registering the webhooks');
  } catch (err) {
    await framework.stop().catch(() => undefined);
    if (err instanceof StartupError) throw err;
    throw new StartupError(
      'WEBHOOKS_FAILED',
      `Could not register the webhooks for ${url}: ${describeWebexError(err)}`,
      {
        cause: err,
      },
    );
  }
}

/** Who the bot is, as the framework learnt it at start. */
function identityOf(framework: Framework): BotIdentity {
  const person = framework.person;
  return {
    id: person.id,
    displayName: person.displayName,
    firstName: person.firstName ?? person.displayName.split(/\s+/)[0],
    email: framework.email,
  };
}
