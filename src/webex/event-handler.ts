/**
 * Handling one verified webhook event, through the framework: guard the sender, fetch the message
 * or card submission (the webhook holds ids only), hand it to the framework, and await the
 * skill handler the framework starts.
 *
 * Guards run as early as the facts allow, so that nothing is fetched for an event the bot will not
 * act on: its own messages and other bots' are dropped from the webhook's own data; senders
 * outside `ALLOWED_DOMAINS`/`ALLOWED_EMAILS` get at most one polite refusal per space per hour,
 * for messages (checked from the webhook) and card submissions (checked once the framework has
 * looked the submitter up). A card submission is only acted on when the submitted message is a
 * card the bot sent, and goes to the skill owning that card.
 *
 * When Webex fails while an event is handled (after the governor's retries), the user gets an
 * apology with the event's correlation id, and the error is logged with it.
 */
import { createRequire } from 'node:module';
import type Framework from 'webex-node-bot-framework';
import type { ReplyJournal } from '../events/reply-journal.js';
import type { Logger } from '../logging.js';
import type { WebhookEnvelope } from '../protocol/envelope.js';
import { domainOf, type AccessPolicy } from '../policy/access.js';
import type { RefusalNotices } from '../policy/refusals.js';
import { REFUSAL_TEXT } from '../policy/refusals.js';
import { isBotSender } from '../policy/senders.js';
import { apologyText, type DispatchOutcome } from '../routing/dispatcher.js';
import type { EventScope, InboundMessage, InboundSubmission, Outbox } from '../routing/inbound.js';
import { withDeadline } from './deadline.js';
import type { BotIdentity } from './framework-start.js';
import type { InFlightEvents } from './in-flight.js';
import { toInboundMessage, toInboundSubmission } from './inbound-mapping.js';
import type { HandleOutcome } from './outcomes.js';
import type { BotOutbox } from './outbox.js';
import type { BotMessage, SentMessageLedger } from './sent-messages.js';
import type { SpaceObjectLimit } from './space-objects.js';

const require = createRequire(import.meta.url);

/** Handlers the connection calls for each inbound message or card submission. */
export interface InboundHandlers {
  message(message: InboundMessage, scope: EventScope): Promise<DispatchOutcome>;
  submission(submission: InboundSubmission, scope: EventScope): Promise<DispatchOutcome>;
}

/** Who the bot serves. */
export interface SenderGuards {
  readonly access: AccessPolicy;
  /** Answer other bots too (off by default: two bots answering each other never stop). */
  readonly respondToBots: boolean;
  readonly refusals: RefusalNotices;
}

/** What one event carries into the framework callback. */
export interface EventContext {
  readonly scope: EventScope;
  /** For a card submission: the bot's card message that was submitted. */
  readonly card?: BotMessage;
}

/** What {@link createEventHandler} needs. */
export interface EventHandlerDeps {
  readonly framework: Framework;
  readonly bot: BotIdentity;
  readonly handlers: InboundHandlers;
  readonly outbox: BotOutbox;
  readonly sentMessages: SentMessageLedger;
  readonly inFlight: InFlightEvents<EventContext>;
  readonly guards: SenderGuards;
  /** Longest time for the Webex side of one event (fetching it, the framework's look-ups). */
  readonly eventDeadlineMs: number;
  /** The bound on the framework's bot objects, told of each event's space. */
  readonly spaces: SpaceObjectLimit;
}

/** Processes one event to completion; rejects when Webex could not be asked for its content. `journal`: see `ReplyJournal`. */
export type EventHandler = (
  envelope: WebhookEnvelope,
  scope: { eventId: string; log: Logger; journal?: ReplyJournal },
) => Promise<HandleOutcome>;

const isGone = (err: unknown): boolean => (err as { statusCode?: number }).statusCode === 404;

/** Sends `markdown` to a space, best effort (an apology or a refusal must not fail the event again). */
async function tell(outbox: Outbox, roomId: string, markdown: string, log: Logger, what: string): Promise<void> {
  try {
    await outbox.send({ roomId, markdown });
  } catch (err) {
    log.warn(`could not send the ${what}`, { err });
  }
}

/**
 * Screens a sender: `undefined` when the bot serves them, else the outcome (the refusal, if due,
 * is sent here).
 */
async function screen(
  sender: { email?: string | undefined; type?: string | undefined; id?: string | undefined },
  roomId: string,
  guards: SenderGuards,
  outbox: Outbox,
  log: Logger,
): Promise<HandleOutcome | undefined> {
  if (!guards.respondToBots && isBotSender(sender)) {
    log.debug('ignored: the sender is a bot', { personId: sender.id });
    return { kind: 'ignored', reason: 'the sender is another bot' };
  }
  if (guards.access.allows(sender.email)) return undefined;
  const tellNow = await guards.refusals.shouldTell(roomId);
  log.info('sender not allowed to use the bot', {
    personId: sender.id,
    domain: domainOf(sender.email),
    refusalSent: tellNow,
  });
  if (tellNow) await tell(outbox, roomId, REFUSAL_TEXT, log, 'refusal');
  return { kind: 'refused' };
}

/**
 * Registers the framework callbacks: one catch-all `hears` for messages and the
 * `attachmentAction` event for card submissions, each forwarding the event it was handed to our
 * handlers and leaving the handler's promise in the in-flight entry.
 */
export function attachFrameworkCallbacks(
  framework: Framework,
  deps: Pick<EventHandlerDeps, 'handlers' | 'inFlight' | 'guards'>,
  log: Logger,
): void {
  framework.hears(/[\s\S]*/, (bot, trigger) => {
    const message = trigger.message;
    const entry = message ? deps.inFlight.get(message.id) : undefined;
    if (!message || !entry) {
      log.warn('framework dispatched a message this bot did not hand it', { messageId: message?.id });
      return;
    }
    entry.result = deps.handlers.message(toInboundMessage(bot, trigger, message), entry.context.scope);
  });

  framework.on('attachmentAction', (bot: Framework.Bot, trigger: Framework.Trigger) => {
    const action = trigger.attachmentAction;
    const entry = action ? deps.inFlight.get(action.id) : undefined;
    const card = entry?.context.card;
    if (!action || !entry || !card?.card) {
      log.warn('framework dispatched a card submission this bot did not hand it', { actionId: action?.id });
      return;
    }
    const { scope } = entry.context;
    // The submitter is known only now (the framework looked them up): screen them before any skill.
    entry.result = (async (): Promise<HandleOutcome> => {
      const person = trigger.person;
      const verdict = await screen(
        { email: person?.emails?.[0], type: person?.type, id: action.personId },
        action.roomId,
        deps.guards,
        scope.outbox,
        scope.log,
      );
      if (verdict) return verdict;
      return deps.handlers.submission(
        toInboundSubmission(bot, trigger, action, { content: card.card!, threadRoot: card.threadRoot }),
        scope,
      );
    })();
  });
}

/** Creates the handler of verified webhook events. */
export function createEventHandler(deps: EventHandlerDeps): EventHandler {
  const { framework, bot, guards, eventDeadlineMs } = deps;
  const processFrameworkEvent = require('webex-node-bot-framework/lib/process-event') as (
    fw: unknown,
    body: unknown,
  ) => Promise<unknown>;

  /** Hands an event to the framework and awaits its handler; apologises when none could run. */
  async function handOver(
    id: string,
    roomId: string,
    context: EventContext,
    process: () => Promise<unknown>,
  ): Promise<HandleOutcome> {
    const { scope } = context;
    const result = await deps.inFlight.handOver(
      id,
      context,
      process,
      eventDeadlineMs,
      'Handing the event to the framework',
    );
    if (result.kind === 'handled') return result.outcome;
    if (result.kind === 'failed') {
      if (!result.handlerStarted) await tell(scope.outbox, roomId, apologyText(scope.eventId), scope.log, 'apology');
      throw result.error;
    }
    scope.log.warn('the framework did not pass the event on (it could not set up the space)', { roomId });
    await tell(scope.outbox, roomId, apologyText(scope.eventId), scope.log, 'apology');
    return { kind: 'not-dispatched', reason: 'the framework could not set up the space' };
  }

  /** Fetches what an event is about; `undefined` when it no longer exists. Apologises for other failures. */
  async function fetch<T>(
    what: string,
    id: string,
    get: () => Promise<T>,
    roomId: string | undefined,
    scope: EventScope,
  ): Promise<T | undefined> {
    try {
      return await withDeadline(get(), eventDeadlineMs, `Fetching the ${what}`);
    } catch (err) {
      if (isGone(err)) {
        scope.log.info(`ignored: the ${what} no longer exists`, { id });
        return undefined;
      }
      if (roomId) await tell(scope.outbox, roomId, apologyText(scope.eventId), scope.log, 'apology');
      throw err;
    }
  }

  async function onMessage(envelope: WebhookEnvelope, scope: EventScope): Promise<HandleOutcome> {
    const { data } = envelope;
    if (data.personId === bot.id) return { kind: 'own-message' };
    // The webhook says who wrote: screen before fetching anything.
    if (data.personEmail !== undefined && data.roomId !== undefined) {
      const verdict = await screen(
        { email: data.personEmail, id: data.personId },
        data.roomId,
        guards,
        scope.outbox,
        scope.log,
      );
      if (verdict) return verdict;
    }
    const message = await fetch(
      'message',
      data.id,
      () => framework.webex.messages.get(data.id) as Promise<Framework.Message>,
      data.roomId,
      scope,
    );
    if (!message) return { kind: 'ignored', reason: 'the message was deleted' };
    if (message.personId === bot.id) return { kind: 'own-message' };
    if (data.personEmail === undefined) {
      const verdict = await screen(
        { email: message.personEmail, id: message.personId },
        message.roomId,
        guards,
        scope.outbox,
        scope.log,
      );
      if (verdict) return verdict;
    }
    // Messages with only files have no text: nothing for a command to match.
    if (!message.text?.trim()) return { kind: 'not-dispatched', reason: 'the message has no text' };
    return handOver(message.id, message.roomId, { scope }, () => framework.onMessageCreated(message));
  }

  async function onSubmission(envelope: WebhookEnvelope, scope: EventScope): Promise<HandleOutcome> {
    const { data } = envelope;
    const action = await fetch(
      'card submission',
      data.id,
      () => framework.webex.attachmentActions.get(data.id) as Promise<Framework.AttachmentAction>,
      data.roomId,
      scope,
    );
    if (!action) return { kind: 'ignored', reason: 'the card submission no longer exists' };
    // Routed by the card the bot itself sent: a submission on any other message is not the bot's to handle.
    const card = await fetch(
      'submitted card',
      action.messageId,
      () => deps.sentMessages.lookup(action.messageId),
      action.roomId,
      scope,
    );
    if (!card?.card) {
      scope.log.warn('card submission ignored: the message is not a card this bot sent', {
        messageId: action.messageId,
      });
      return { kind: 'ignored', reason: 'the submitted message is not a card of this bot' };
    }
    return handOver(action.id, action.roomId, { scope, card }, () => framework.onAttachmentActions(action));
  }

  return async (envelope, { eventId, log, journal }) => {
    const scope: EventScope = {
      eventId,
      payload: envelope as unknown as Readonly<Record<string, unknown>>,
      log,
      outbox: deps.outbox.forEvent(log, journal),
    };
    deps.spaces.touched(envelope.data.roomId);
    const { resource, event } = envelope;
    if (resource === 'messages' && event === 'created') return onMessage(envelope, scope);
    if (resource === 'attachmentActions' && event === 'created') return onSubmission(envelope, scope);
    // Memberships and rooms: the framework keeps its bot objects up to date (spawn/despawn).
    const firehose = framework.webhook;
    await withDeadline(
      processFrameworkEvent(framework, { ...envelope, name: firehose ? firehose.name : envelope.name }),
      eventDeadlineMs,
      `Handling ${resource}/${event}`,
    );
    return { kind: 'framework-event' };
  };
}
