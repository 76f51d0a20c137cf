/**
 * Card submissions (`attachmentActions`): a person presses a card's submit button; the card's
 * author hears it through its `attachmentActions` webhooks.
 */
import { badRequest, notFound } from '../errors.js';
import { mintId } from '../ids.js';
import type { AttachmentAction, Person } from '../types.js';
import { isRecord } from '../../util/is-record.js';
import type { Core } from './core.js';

/** The fields Webex requires of a submission, all three (no defaults): `type: 'submit'`, `messageId`, `inputs`. */
function checkSubmission(body: Record<string, unknown>): { messageId: string; inputs: Record<string, unknown> } {
  const type = body['type'];
  if (type === undefined || type === null) throw badRequest("type is required (it must be 'submit')");
  if (type !== 'submit') throw badRequest(`type must be 'submit' (got ${JSON.stringify(type)})`);
  const messageId = body['messageId'];
  if (typeof messageId !== 'string' || messageId === '') throw badRequest('messageId is required');
  const inputs = body['inputs'];
  if (inputs === undefined || inputs === null)
    throw badRequest("inputs is required: an object with the card's input values (it may be empty)");
  if (!isRecord(inputs)) throw badRequest('inputs must be an object');
  return { messageId, inputs };
}

/**
 * Records a submission of the card in message `messageId` by `actor`
 * (`POST /v1/attachment/actions`) and publishes `attachmentActions/created` to the card's author.
 */
export function submitAction(core: Core, actor: Person, body: Record<string, unknown>): AttachmentAction {
  const { store } = core;
  const { messageId, inputs } = checkSubmission(body);
  const message = store.message(messageId);
  if (!message || !store.isMember(message.roomId, actor.id))
    throw notFound('Could not find a message with the provided messageId');
  if (!message.attachments?.length) throw badRequest('The message has no card to submit');
  const action: AttachmentAction = {
    id: mintId('ATTACHMENT_ACTION'),
    type: 'submit',
    messageId,
    inputs: structuredClone(inputs),
    personId: actor.id,
    roomId: message.roomId,
    created: store.now(),
  };
  store.addAction(action);
  core.bus.publish({
    resource: 'attachmentActions',
    event: 'created',
    actorId: actor.id,
    data: {
      id: action.id,
      type: action.type,
      messageId,
      personId: actor.id,
      roomId: action.roomId,
      created: action.created,
    },
    audience: [message.personId],
  });
  core.bus.emit({ kind: 'attachment-action', action });
  return action;
}

/** The submission if `reader` made it or wrote the card; 404 otherwise. */
export function readAction(core: Core, reader: Person, id: string): AttachmentAction {
  const action = core.store.action(id);
  const cardAuthor = action ? core.store.message(action.messageId)?.personId : undefined;
  if (!action || (action.personId !== reader.id && cardAuthor !== reader.id))
    throw notFound('Could not find an attachment action with the provided id');
  return action;
}
