/**
 * The bridge to Webex, and the only module that uses `webex-node-bot-framework`.
 *
 * The framework keeps doing what it does well: SDK set-up, the bot's identity, one bot object
 * per space (found on first contact), the sender look-up, and `bot.say`. This module replaces
 * what it gets wrong (see the field notes):
 * - **Registration**: the framework's webhook calls go through an adapter on its SDK instance:
 *   its "list" sees nothing to delete, its "remove" deletes nothing (so `stop()` is safe), and
 *   its "create" becomes {@link ensureWebhook}. Start-up waits for both webhooks.
 * - **Dispatch**: events come from our own verified ingress, not the framework's handler. For
 *   each event we fetch the message or action ourselves (errors are not swallowed), hand it to
 *   the framework, and a single catch-all `hears` forwards to our dispatcher. The framework
 *   does not await handlers, so each event's handler promise is kept in `pending` and awaited
 *   here: `handle()` resolves only when the skill is done.
 */
import { createRequire } from 'node:module';
import type Framework from 'webex-node-bot-framework';
import type { WebexSdk } from 'webex';
import { StartupError } from '../errors.js';
import type { Logger } from '../logging.js';
import type { DispatchOutcome } from '../routing/dispatcher.js';
import type { EventScope, InboundMessage, InboundSubmission, Outbox } from '../routing/inbound.js';
import { apologyText } from '../routing/dispatcher.js';
import type { Person } from '../skill-kit/types.js';
import type { WebhookRecord } from './ensure-webhooks.js';
import { installDirectPeopleLookup, installWebhookAdapter, type WebhookRegistration } from './sdk-adapters.js';
import type { WebhookEnvelope } from '../protocol/envelope.js';
import { withDeadline } from './deadline.js';
import { withSdkConfig } from './sdk.js';
import { SentMessageLedger, type BotMessage } from './sent-messages.js';

const require = createRequire(import.meta.url);

/** Who the bot is. */
export interface BotIdentity {
  readonly id: string;
  readonly displayName: string;
  readonly firstName: string | undefined;
  readonly email: string;
}

/** Handlers the connection calls for each inbound message or card submission. */
export interface InboundHandlers {
  message(message: InboundMessage, scope: EventScope): Promise<DispatchOutcome>;
  submission(submission: InboundSubmission, scope: EventScope): Promise<DispatchOutcome>;
}

/** How handling a webhook event ended. */
export type HandleOutcome =
  | DispatchOutcome
  | { kind: 'own-message' }
  | { kind: 'not-dispatched'; reason: string }
  | { kind: 'framework-event' };

/** Options for {@link connectToWebex}. */
export interface ConnectOptions {
  readonly token: string;
  readonly apiUrl: string;
  readonly webhookUrl: string;
  readonly webhookSecret: string;
  readonly log: Logger;
  readonly handlers: InboundHandlers;
  /** How long start-up may take (identity + webhooks) before failing. Default 30 s. */
  readonly startupTimeoutMs?: number;
  /**
   * How long the Webex side of one event may take — fetching it, the framework's look-ups —
   * before the user gets an apology and the space's queue moves on. Default 30 s.
   */
  readonly eventDeadlineMs?: number;
}

/** A running connection. */
export interface WebexConnection {
  readonly bot: BotIdentity;
  readonly webhooks: readonly WebhookRecord[];
  /**
   * Processes one verified webhook event to completion (fetch, framework, skill handler).
   * Rejects when Webex could not be asked for the event's content.
   */
  handle(envelope: WebhookEnvelope, scope: { eventId: string; log: Logger }): Promise<HandleOutcome>;
  /** Stops the framework. Webhooks stay registered, so events sent meanwhile are redelivered later. */
  close(): Promise<void>;
}

type FrameworkCtor = typeof Framework;
type Bot = Framework.Bot;

function toPerson(p: Framework.Person | undefined, fallbackId: string, fallbackEmail?: string): Person {
  return {
    id: p?.id ?? fallbackId,
    displayName: p?.displayName ?? fallbackEmail ?? 'someone',
    email: p?.emails?.[0] ?? fallbackEmail ?? '',
  };
}

function startupDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return withDeadline(promise, ms, what, () => new StartupError('STARTUP_TIMEOUT', `${what} did not finish within ${ms / 1000} s`));
}

/** Describes an SDK error for logs and start-up messages. */
export function describeWebexError(err: unknown): string {
  const e = err as { statusCode?: number; message?: string };
  const status = typeof e?.statusCode === 'number' ? `HTTP ${e.statusCode}` : undefined;
  const message = (e?.message ?? String(err)).split('\n')[0];
  return [status, message].filter(Boolean).join(': ');
}

/**
 * Starts the framework against `apiUrl`, registers (ensures) the two webhooks, and resolves
 * once the bot can handle events.
 *
 * @throws {StartupError} `WEBEX_UNAUTHORIZED` for a rejected token, `WEBHOOKS_FAILED` when the
 *   webhooks cannot be registered, `STARTUP_TIMEOUT`, or `WEBEX_UNREACHABLE`.
 */
export async function connectToWebex(options: ConnectOptions): Promise<WebexConnection> {
  const { log } = options;
  const FrameworkClass = require('webex-node-bot-framework') as FrameworkCtor;
  const framework = new FrameworkClass({
    token: options.token,
    webhookUrl: options.webhookUrl,
    webhookSecret: options.webhookSecret,
    removeWebhooksOnStart: false,
    // No start-up scan of every space: bot objects are made on first contact (our per-space
    // queue keeps concurrent first messages from racing that discovery).
    maxStartupSpaces: 0,
    messageFormat: 'markdown',
  });
  framework.debugger = (message: string) => log.debug(`framework: ${message}`);
  framework.on('log', (message: string) => log.debug(`framework: ${message}`));

  // The framework registers two webhooks (firehose all/all, attachmentActions/created); its
  // calls go through the adapter, which resolves `registration` once both exist.
  let registration: WebhookRegistration | undefined;
  const adaptSdk = (sdk: WebexSdk): void => {
    registration = installWebhookAdapter(sdk, options.webhookSecret, log);
    installDirectPeopleLookup(sdk);
  };

  // Card-submission and message events are matched back to the event being handled here
  // (keyed by message or action id); the handler's promise is stored for `dispatch` to await.
  type PendingEvent = { scope: Omit<EventScope, 'outbox'>; card?: BotMessage; result?: Promise<DispatchOutcome> };
  const pending = new Map<string, PendingEvent>();
  const sentMessages = new SentMessageLedger(
    (id) => framework.webex.messages.get(id) as Promise<Framework.Message>,
    () => framework.person.id,
  );

  const outboxFor = (bot: Bot): Outbox => ({
    async send(message) {
      // bot.say sets roomId to the bot's space itself.
      const { roomId: _roomId, ...body } = message;
      const sent = await bot.say({ ...body });
      sentMessages.remember({ id: sent.id, parentId: message.parentId, attachments: message.attachments });
      return { id: sent.id };
    },
  });

  const spaceOf = (bot: Bot) => ({ roomType: bot.room.type === 'group' ? ('group' as const) : ('direct' as const), roomTitle: bot.room.title });

  framework.hears(/[\s\S]*/, (bot, trigger) => {
    const message = trigger.message;
    const entry = message ? pending.get(message.id) : undefined;
    if (!message || !entry) {
      log.warn('framework dispatched a message this bot did not hand it', { messageId: message?.id });
      return;
    }
    const inbound: InboundMessage = {
      id: message.id,
      roomId: message.roomId,
      ...spaceOf(bot),
      parentId: message.parentId,
      text: message.text ?? '',
      html: message.html,
      created: message.created ?? new Date().toISOString(),
      person: toPerson(trigger.person, message.personId, message.personEmail),
    };
    entry.result = options.handlers.message(inbound, { ...entry.scope, outbox: outboxFor(bot) });
  });

  framework.on('attachmentAction', (bot: Bot, trigger: Framework.Trigger) => {
    const action = trigger.attachmentAction;
    const entry = action ? pending.get(action.id) : undefined;
    if (!action || !entry?.card?.card) {
      log.warn('framework dispatched a card submission this bot did not hand it', { actionId: action?.id });
      return;
    }
    const inbound: InboundSubmission = {
      id: action.id,
      messageId: action.messageId,
      card: { content: entry.card.card, threadRoot: entry.card.threadRoot },
      roomId: action.roomId,
      ...spaceOf(bot),
      inputs: action.inputs ?? {},
      created: action.created ?? new Date().toISOString(),
      person: toPerson(trigger.person, action.personId),
    };
    entry.result = options.handlers.submission(inbound, { ...entry.scope, outbox: outboxFor(bot) });
  });

  const timeoutMs = options.startupTimeoutMs ?? 30_000;
  const eventDeadlineMs = options.eventDeadlineMs ?? 30_000;
  try {
    await startupDeadline(
      withSdkConfig({ apiUrl: options.apiUrl }, adaptSdk, () => framework.start()),
      timeoutMs,
      'Connecting to Webex',
    );
  } catch (err) {
    const status = (err as { statusCode?: number }).statusCode;
    if (status === 401) {
      throw new StartupError('WEBEX_UNAUTHORIZED', `Webex rejected WEBEX_BOT_TOKEN (HTTP 401) at ${options.apiUrl}: check the token (a regenerated token invalidates the old one)`, { cause: err });
    }
    if (err instanceof StartupError) throw err;
    throw new StartupError('WEBEX_UNREACHABLE', `Could not reach Webex at ${options.apiUrl}: ${describeWebexError(err)}`, { cause: err });
  }
  let webhooks: WebhookRecord[];
  try {
    webhooks = await startupDeadline(registration!.done, timeoutMs, 'Registering the webhooks');
  } catch (err) {
    await framework.stop().catch(() => undefined);
    if (err instanceof StartupError) throw err;
    throw new StartupError('WEBHOOKS_FAILED', `Could not register the webhooks for ${options.webhookUrl}: ${describeWebexError(err)}`, { cause: err });
  }

  const person = framework.person;
  const bot: BotIdentity = {
    id: person.id,
    displayName: person.displayName,
    firstName: person.firstName ?? person.displayName.split(/\s+/)[0],
    email: framework.email,
  };
  const processFrameworkEvent = require('webex-node-bot-framework/lib/process-event') as (fw: unknown, body: unknown) => Promise<unknown>;

  /** Best-effort apology when an event could not even be fetched. */
  const apologise = async (roomId: string | undefined, eventId: string, scopeLog: Logger): Promise<void> => {
    if (!roomId) return;
    try {
      await framework.webex.messages.create({ roomId, markdown: apologyText(eventId) });
    } catch (err) {
      scopeLog.warn('could not send the apology either', { err: describeWebexError(err) });
    }
  };

  /**
   * Hands one event to the framework and awaits the skill handler it triggers. When the event
   * cannot reach a handler (Webex failed while the framework looked up the space or the sender),
   * the user gets the apology with the correlation id rather than silence.
   */
  async function dispatch(key: string, roomId: string, entry: PendingEvent, deliver: () => Promise<unknown>): Promise<HandleOutcome> {
    const { scope } = entry;
    pending.set(key, entry);
    try {
      await withDeadline(deliver(), eventDeadlineMs, 'Handing the event to the framework');
      if (entry.result) return await entry.result;
    } catch (err) {
      if (!entry.result) await apologise(roomId, scope.eventId, scope.log);
      throw err;
    } finally {
      pending.delete(key);
    }
    scope.log.warn('the framework did not pass the event on (it could not set up the space)', { roomId });
    await apologise(roomId, scope.eventId, scope.log);
    return { kind: 'not-dispatched', reason: 'the framework could not set up the space' };
  }

  return {
    bot,
    webhooks,
    async handle(envelope, { eventId, log: eventLog }) {
      const scope = { eventId, payload: envelope as unknown as Readonly<Record<string, unknown>>, log: eventLog };
      const { resource, event, data } = envelope;
      if (resource === 'messages' && event === 'created') {
        if (data.personId === bot.id) return { kind: 'own-message' };
        let message: Framework.Message;
        try {
          message = (await withDeadline(framework.webex.messages.get(data.id), eventDeadlineMs, 'Fetching the message')) as Framework.Message;
        } catch (err) {
          await apologise(data.roomId, eventId, eventLog);
          throw err;
        }
        if (message.personId === bot.id) return { kind: 'own-message' };
        // Messages with only files have no text: nothing for a command to match.
        if (!message.text?.trim()) return { kind: 'not-dispatched', reason: 'the message has no text' };
        return dispatch(message.id, message.roomId, { scope }, () => framework.onMessageCreated(message));
      }
      if (resource === 'attachmentActions' && event === 'created') {
        let action: Framework.AttachmentAction;
        try {
          action = (await withDeadline(framework.webex.attachmentActions.get(data.id), eventDeadlineMs, 'Fetching the card submission')) as Framework.AttachmentAction;
        } catch (err) {
          await apologise(data.roomId, eventId, eventLog);
          throw err;
        }
        // Routed by the card the bot itself sent: a submission on any other message is not ours to handle.
        let card: BotMessage | undefined;
        try {
          card = await withDeadline(sentMessages.lookup(action.messageId), eventDeadlineMs, 'Looking up the submitted card');
        } catch (err) {
          await apologise(action.roomId, eventId, eventLog);
          throw err;
        }
        if (!card?.card) {
          eventLog.warn('card submission ignored: the message is not a card the bot sent', { messageId: action.messageId });
          return { kind: 'not-dispatched', reason: 'the submitted message is not a card of this bot' };
        }
        return dispatch(action.id, action.roomId, { scope, card }, () => framework.onAttachmentActions(action));
      }
      // Memberships and rooms: the framework keeps its bot objects up to date (spawn/despawn).
      const firehose = framework.webhook;
      await withDeadline(processFrameworkEvent(framework, { ...envelope, name: firehose ? firehose.name : envelope.name }), eventDeadlineMs, `Handling ${resource}/${event}`);
      return { kind: 'framework-event' };
    },
    async close() {
      await framework.stop();
    },
  };
}
