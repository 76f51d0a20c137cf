/**
 * Processing one taken event: **screen → enrich → dispatch**.
 *
 * - **Screen** as early as the facts allow, so that nothing is fetched for an event the bot will
 *   not act on: its own messages and other bots' are dropped from the webhook's own data; senders
 *   outside `ALLOWED_DOMAINS`/`ALLOWED_EMAILS` get at most one polite refusal per space per hour,
 *   for messages (checked from the webhook) and card submissions (checked once the framework has
 *   looked the submitter up).
 * - **Enrich**: the webhook holds ids only, so the message or the card submission is fetched
 *   (`WebexApi`); a submission is acted on only when the submitted message is a card the bot sent.
 * - **Dispatch**: the framework dispatches the event (`src/webex/dispatch.ts`) to the routing
 *   layer (`src/routing/dispatcher.ts`), which runs the skill's handler; replies go out through
 *   the outbox. A membership event (the bot added or removed, a person joining or leaving) goes
 *   the same way: its actor screened (the access policy), the framework tells what it meant,
 *   and every skill's lifecycle handler runs (`src/routing/lifecycle.ts`); room events go to the
 *   framework for its own bookkeeping.
 *
 * When Webex fails while an event is handled (after the governor's retries), the user gets an
 * apology with the event's correlation id, and the error is logged with it.
 */
import { withDeadline } from '../calls/deadline.js';
import type { Logger } from '../logging.js';
import type { BotOutbox } from '../outbound/outbox.js';
import type { SentMessageLedger } from '../outbound/sent-messages.js';
import { type AccessPolicy, domainOf } from '../policy/access.js';
import { REFUSAL_TEXT, type RefusalNotices } from '../policy/refusals.js';
import { isBotSender } from '../policy/senders.js';
import type { WebhookEnvelope } from '../protocol/envelope.js';
import { apologyText, type DispatchOutcome } from '../routing/dispatcher.js';
import type { EventScope, InboundMessage, InboundSubmission, Outbox } from '../routing/inbound.js';
import type { LifecycleEvent, LifecycleOutcome } from '../routing/lifecycle.js';
import type { Person } from '../skill-kit/types.js';
import type { FrameworkDispatch, HandOver, WebexApi } from '../webex/index.js';
import type { EventProcessor, EventTrace } from './types.js';

/** How handling one event ended. */
export type EventOutcome =
  | DispatchOutcome
  /** The bot's own message, echoed back by Webex. */
  | { readonly kind: 'own-message' }
  /** Not for the bot to act on (another bot, a message deleted meanwhile...). */
  | { readonly kind: 'ignored'; readonly reason: string }
  /** The sender is not allowed to use the bot (`ALLOWED_DOMAINS` / `ALLOWED_EMAILS`). */
  | { readonly kind: 'refused' }
  /** No handler ran; `reason` says why. */
  | { readonly kind: 'not-dispatched'; readonly reason: string }
  /** A membership or room event, for the framework's own bookkeeping. */
  | { readonly kind: 'framework-event' }
  /** A membership event that ran skills' lifecycle handlers. */
  | LifecycleOutcome;

/** What skills are reached through (replaced as a whole when skills are reloaded). */
export interface Routes {
  handleMessage(message: InboundMessage, scope: EventScope): Promise<DispatchOutcome>;
  handleSubmission(submission: InboundSubmission, scope: EventScope): Promise<DispatchOutcome>;
  handleLifecycle(event: LifecycleEvent, scope: EventScope): Promise<LifecycleOutcome>;
}

/** Who the bot serves. */
export interface SenderGuards {
  readonly access: AccessPolicy;
  /** Answer other bots too (off by default: two bots answering each other never stop). */
  readonly respondToBots: boolean;
  readonly refusals: RefusalNotices;
}

/** What {@link createEventProcessor} needs. */
export interface ProcessEventDeps {
  /** The bot's person id. */
  readonly botId: string;
  readonly api: Pick<WebexApi, 'getMessage' | 'getAttachmentAction'> & Partial<Pick<WebexApi, 'getPerson'>>;
  readonly dispatch: FrameworkDispatch;
  /** The routes of the moment (a reload of skills replaces them). */
  readonly routes: () => Routes;
  readonly outbox: BotOutbox;
  readonly sentMessages: SentMessageLedger;
  readonly guards: SenderGuards;
  /** Longest time for the Webex side of one event (fetching it, the framework's look-ups). */
  readonly eventDeadlineMs: number;
}

const isGone = (err: unknown): boolean => (err as { statusCode?: number }).statusCode === 404;

/** Sends `markdown` to a space, best effort (an apology or a refusal must not fail the event again). */
async function tell(outbox: Outbox, roomId: string, markdown: string, log: Logger, what: string): Promise<void> {
  try {
    await outbox.send({ roomId, markdown });
  } catch (err) {
    log.warn(`could not send the ${what}`, { err });
  }
}

/** Screens a sender: `undefined` when the bot serves them, else the outcome (the refusal, if due, is sent here). */
async function screen(
  sender: { email?: string | undefined; type?: string | undefined; id?: string | undefined },
  roomId: string,
  guards: SenderGuards,
  scope: EventScope,
): Promise<EventOutcome | undefined> {
  if (!guards.respondToBots && isBotSender(sender)) {
    scope.log.debug('ignored: the sender is a bot', { personId: sender.id });
    return { kind: 'ignored', reason: 'the sender is another bot' };
  }
  if (guards.access.allows(sender.email)) return undefined;
  const tellNow = await guards.refusals.shouldTell(roomId);
  scope.log.info('sender not allowed to use the bot', {
    personId: sender.id,
    domain: domainOf(sender.email),
    refusalSent: tellNow,
  });
  if (tellNow) await tell(scope.outbox, roomId, REFUSAL_TEXT, scope.log, 'refusal');
  return { kind: 'refused' };
}

/** Processing events with `deps`: one method per step or kind of event. */
class EventProcessing {
  constructor(private readonly deps: ProcessEventDeps) {}

  async process(envelope: WebhookEnvelope, { eventId, log, journal }: EventTrace): Promise<EventOutcome> {
    const scope: EventScope = {
      eventId,
      payload: envelope as unknown as Readonly<Record<string, unknown>>,
      log,
      outbox: this.deps.outbox.forEvent(log, journal),
    };
    const { resource, event } = envelope;
    if (resource === 'messages' && event === 'created') return this.onMessage(envelope, scope);
    if (resource === 'attachmentActions' && event === 'created') return this.onSubmission(envelope, scope);
    if (resource === 'memberships' && (event === 'created' || event === 'deleted'))
      return this.onMembership(envelope, scope);
    // Memberships and rooms: the framework keeps its bot objects up to date (spawn/despawn).
    await this.deps.dispatch.other(envelope, this.deps.eventDeadlineMs);
    return { kind: 'framework-event' };
  }

  /** The outcome of a hand-over; apologises when no handler could run. */
  private async settled(result: HandOver<EventOutcome>, roomId: string, scope: EventScope): Promise<EventOutcome> {
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
  private async fetch<T>(
    what: string,
    id: string,
    get: () => Promise<T>,
    roomId: string | undefined,
    scope: EventScope,
  ): Promise<T | undefined> {
    try {
      return await withDeadline(get(), this.deps.eventDeadlineMs, `Fetching the ${what}`);
    } catch (err) {
      if (isGone(err)) {
        scope.log.info(`ignored: the ${what} no longer exists`, { id });
        return undefined;
      }
      if (roomId) await tell(scope.outbox, roomId, apologyText(scope.eventId), scope.log, 'apology');
      throw err;
    }
  }

  private async onMessage(envelope: WebhookEnvelope, scope: EventScope): Promise<EventOutcome> {
    const { deps } = this;
    const { data } = envelope;
    if (data.personId === deps.botId) return { kind: 'own-message' };
    // The webhook says who wrote: screen before fetching anything.
    if (data.personEmail !== undefined && data.roomId !== undefined) {
      const verdict = await screen({ email: data.personEmail, id: data.personId }, data.roomId, deps.guards, scope);
      if (verdict) return verdict;
    }
    const message = await this.fetch('message', data.id, () => deps.api.getMessage(data.id), data.roomId, scope);
    if (!message) return { kind: 'ignored', reason: 'the message was deleted' };
    if (message.personId === deps.botId) return { kind: 'own-message' };
    if (data.personEmail === undefined) {
      const sender = { email: message.personEmail, id: message.personId };
      const verdict = await screen(sender, message.roomId, deps.guards, scope);
      if (verdict) return verdict;
    }
    // A message with only a file has no text: it is for a skill that takes files.
    if (!message.text?.trim() && !message.files?.length)
      return { kind: 'not-dispatched', reason: 'the message has no text and no file' };
    const result = await deps.dispatch.message(
      message,
      (inbound) => deps.routes().handleMessage(inbound, scope),
      deps.eventDeadlineMs,
    );
    return this.settled(result, message.roomId, scope);
  }

  /**
   * The bot added or removed, a person joining or leaving. The actor is screened first: the
   * bot's own changes run no skill (as its own messages do not); someone the access policy does
   * not allow gets the usual refusal when they add the bot, and silence otherwise. The bot's own
   * removal is not screened (forgetting a space is housekeeping, whoever did it). The framework
   * keeps its bot objects current either way.
   */
  private async onMembership(envelope: WebhookEnvelope, scope: EventScope): Promise<EventOutcome> {
    const { deps } = this;
    const { data, actorId, event } = envelope;
    const ofBot = data.personId === deps.botId;
    const roomId = data.roomId ?? '';
    const actor = await this.actorOf(actorId, scope);
    if (!(event === 'deleted' && ofBot)) {
      const verdict =
        actorId === deps.botId
          ? ({ kind: 'ignored', reason: 'the bot itself made the change' } as const)
          : event === 'created' && ofBot
            ? await screen(actor, roomId, deps.guards, scope)
            : this.quietScreen(actor, scope);
      if (verdict) {
        await deps.dispatch.other(envelope, deps.eventDeadlineMs);
        return verdict;
      }
    }
    const result = await deps.dispatch.membership(
      envelope,
      (inbound) => deps.routes().handleLifecycle({ ...inbound, actor }, scope),
      deps.eventDeadlineMs,
    );
    if (result.kind === 'handled') return result.outcome;
    if (result.kind === 'failed') throw result.error;
    return { kind: 'framework-event' };
  }

  /** Who did a membership change, looked up (for the access check and the handlers' `person`). */
  private async actorOf(actorId: string | undefined, scope: EventScope): Promise<Person & { type?: string }> {
    const id = actorId ?? '';
    const fallback = { id, displayName: 'someone', email: '' };
    if (!id || !this.deps.api.getPerson) return fallback;
    try {
      const p = await withDeadline(this.deps.api.getPerson(id), this.deps.eventDeadlineMs, 'Looking up who did it');
      return { id, displayName: p.displayName ?? p.emails?.[0] ?? 'someone', email: p.emails?.[0] ?? '', type: p.type };
    } catch (err) {
      scope.log.warn('could not look up who changed the membership', { actorId: id, err });
      return fallback;
    }
  }

  /** The access check without a refusal message (for people joining and leaving). */
  private quietScreen(actor: Person & { type?: string }, scope: EventScope): EventOutcome | undefined {
    const { guards } = this.deps;
    if (!guards.respondToBots && isBotSender(actor)) return { kind: 'ignored', reason: 'the actor is another bot' };
    if (guards.access.allows(actor.email || undefined)) return undefined;
    scope.log.info('membership change by someone not allowed to use the bot: no skill runs', {
      personId: actor.id,
      domain: domainOf(actor.email),
    });
    return { kind: 'refused' };
  }

  private async onSubmission(envelope: WebhookEnvelope, scope: EventScope): Promise<EventOutcome> {
    const { deps } = this;
    const { data } = envelope;
    const action = await this.fetch(
      'card submission',
      data.id,
      () => deps.api.getAttachmentAction(data.id),
      data.roomId,
      scope,
    );
    if (!action) return { kind: 'ignored', reason: 'the card submission no longer exists' };
    // Routed by the card the bot itself sent: a submission on any other message is not the bot's to handle.
    const card = await this.fetch(
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
    // Defence in depth: a card's submissions come from the space it was posted in.
    if (card.roomId !== undefined && card.roomId !== action.roomId) {
      scope.log.warn('card submission refused: it names a card of another space', {
        messageId: action.messageId,
        cardRoomId: card.roomId,
        roomId: action.roomId,
      });
      return { kind: 'ignored', reason: 'the submitted card is in another space' };
    }
    const result = await deps.dispatch.submission(
      action,
      { content: card.card, threadRoot: card.threadRoot },
      async (inbound, submitter): Promise<EventOutcome> => {
        // The submitter is known only now (the framework looked them up): screen them before any skill.
        const verdict = await screen(submitter, action.roomId, deps.guards, scope);
        return verdict ?? deps.routes().handleSubmission(inbound, scope);
      },
      deps.eventDeadlineMs,
    );
    return this.settled(result, action.roomId, scope);
  }
}

/** Creates the processor both event queues run each taken event with. */
export function createEventProcessor(deps: ProcessEventDeps): EventProcessor {
  const processing = new EventProcessing(deps);
  return (envelope, trace) => processing.process(envelope, trace);
}
