/**
 * Turning what the framework hands its handlers (a bot object per space, a trigger with the
 * message or card submission and the sender it looked up) into the plain data routing works on.
 */
import type Framework from 'webex-node-bot-framework';
import type { InboundMessage, InboundSubmission, SubmittedCardMessage } from '../routing/inbound.js';
import type { Person } from '../skill-kit/types.js';

/** The sender as skills see it, with fallbacks for what Webex did not say. */
export function toPerson(p: Framework.Person | undefined, fallbackId: string, fallbackEmail?: string): Person {
  return {
    id: p?.id ?? fallbackId,
    displayName: p?.displayName ?? fallbackEmail ?? 'someone',
    email: p?.emails?.[0] ?? fallbackEmail ?? '',
  };
}

function spaceOf(bot: Framework.Bot): Pick<InboundMessage, 'roomType' | 'roomTitle'> {
  return { roomType: bot.room.type === 'group' ? 'group' : 'direct', roomTitle: bot.room.title };
}

/** The message of a framework trigger. */
export function toInboundMessage(
  bot: Framework.Bot,
  trigger: Framework.Trigger,
  message: Framework.Message,
): InboundMessage {
  return {
    id: message.id,
    roomId: message.roomId,
    ...spaceOf(bot),
    parentId: message.parentId,
    text: message.text ?? '',
    html: message.html,
    created: message.created ?? new Date().toISOString(),
    person: toPerson(trigger.person, message.personId, message.personEmail),
  };
}

/** The card submission of a framework trigger, with the bot's card message it came from. */
export function toInboundSubmission(
  bot: Framework.Bot,
  trigger: Framework.Trigger,
  action: Framework.AttachmentAction,
  card: SubmittedCardMessage,
): InboundSubmission {
  return {
    id: action.id,
    messageId: action.messageId,
    card,
    roomId: action.roomId,
    ...spaceOf(bot),
    inputs: action.inputs ?? {},
    created: action.created ?? new Date().toISOString(),
    person: toPerson(trigger.person, action.personId),
  };
}
