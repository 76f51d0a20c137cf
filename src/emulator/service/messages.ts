/**
 * Messages: post, edit, delete and read, with Webex's rules and the events each produces.
 */
import { badRequest, forbidden, notFound } from '../errors.js';
import { mintId } from '../ids.js';
import { renderMarkdown, type ResolveMention } from '../messages/markdown.js';
import { checkAttachments, checkSize, MAX_MESSAGE_EDITS, optionalString } from '../messages/rules.js';
import type { ContentRecord } from '../state/store.js';
import type { Message, Person } from '../types.js';
import { attachContent, storeUpload, type Upload } from './contents.js';
import type { Core } from './core.js';
import { directRoomFor } from './spaces.js';

/** Files uploaded with a message (multipart `POST /v1/messages`), and the origin their URLs are given under. */
export interface MessageUploads {
  readonly files: readonly Upload[];
  /** `http://host:port` as the client addressed the emulator. */
  readonly origin: string;
}

function resolver(core: Core): ResolveMention {
  return (kind, value) => {
    const p = kind === 'personId' ? core.store.person(value) : core.store.personByEmail(value);
    return p ? { id: p.id, displayName: p.displayName } : undefined;
  };
}

/**
 * True when `reader` may read `message`: members of its space may, except that a bot only sees
 * group-space messages that mention it or that it wrote (as in Webex).
 */
export function canRead(core: Core, reader: Person, message: Message): boolean {
  if (!core.store.isMember(message.roomId, reader.id)) return false;
  if (reader.type !== 'bot' || message.roomType !== 'group') return true;
  return message.personId === reader.id || (message.mentionedPeople ?? []).includes(reader.id);
}

/** The message if `reader` may read it; 404 otherwise. */
export function readMessage(core: Core, reader: Person, id: string): Message {
  const m = core.store.message(id);
  if (!m || !canRead(core, reader, m)) throw notFound('Could not find a message with the provided id');
  return m;
}

/**
 * The file `id` (`GET /v1/contents/{id}`) if `reader` may read the message it came with (a
 * member of its space; a bot only what it may read of a group space); 404 otherwise, as for a
 * message.
 */
export function readContent(core: Core, reader: Person, id: string): ContentRecord {
  const record = core.store.content(id);
  const message = record ? core.store.message(record.messageId) : undefined;
  if (!record || !message || !canRead(core, reader, message))
    throw notFound('Could not find a file with the provided id');
  return record;
}

/** Content fields shared by post and edit: text, markdown and what Webex derives from them. */
function content(
  core: Core,
  body: Record<string, unknown>,
): Pick<Message, 'text' | 'markdown' | 'html' | 'mentionedPeople' | 'mentionedGroups'> {
  const text = optionalString(body, 'text');
  const markdown = optionalString(body, 'markdown');
  checkSize('text', text);
  checkSize('markdown', markdown);
  checkSize('html', optionalString(body, 'html'));
  if (markdown === undefined) return text === undefined ? {} : { text };
  const r = renderMarkdown(markdown, resolver(core));
  return {
    text: text ?? r.text,
    markdown,
    html: r.html,
    ...(r.mentionedPeople.length ? { mentionedPeople: r.mentionedPeople } : {}),
    ...(r.mentionedGroups.length ? { mentionedGroups: r.mentionedGroups } : {}),
  };
}

/** The space a new message goes to: by `roomId`, or the direct space with `toPersonId`/`toPersonEmail`. */
function targetRoom(core: Core, actor: Person, body: Record<string, unknown>): string {
  const roomId = optionalString(body, 'roomId');
  const toPersonId = optionalString(body, 'toPersonId');
  const toPersonEmail = optionalString(body, 'toPersonEmail');
  const given = [roomId, toPersonId, toPersonEmail].filter((v) => v !== undefined).length;
  if (given !== 1) throw badRequest('Exactly one of roomId, toPersonId or toPersonEmail must be given');
  if (roomId !== undefined) {
    if (!core.store.room(roomId) || !core.store.isMember(roomId, actor.id))
      throw notFound('Could not find a room with the provided roomId');
    return roomId;
  }
  const other = toPersonId !== undefined ? core.store.person(toPersonId) : core.store.personByEmail(toPersonEmail!);
  if (!other) throw notFound(`Could not find the person ${toPersonId ?? toPersonEmail}`);
  if (other.id === actor.id) throw badRequest('You cannot send a direct message to yourself');
  return directRoomFor(core, actor.id, other.id).id;
}

/** The uploaded files of a message: at most one (Webex: "only one file may be included"). */
function checkUploads(body: Record<string, unknown>, uploads: MessageUploads | undefined): readonly Upload[] {
  if (body['files'] !== undefined)
    throw badRequest(
      'files as URLs are not supported by the Webex emulator (Webex downloads a public URL; the emulator reaches no network): upload the file in a multipart/form-data request instead',
    );
  const files = uploads?.files ?? [];
  if (files.length > 1) throw badRequest(`Only one file per message is supported (got ${files.length})`);
  return files;
}

/**
 * Posts a message as `actor` (`POST /v1/messages`) and publishes `messages/created`; `uploads`
 * holds the file of a multipart post.
 *
 * @example
 * postMessage(core, alice, { roomId, markdown: `<@personId:${botId}|Skill Bot> help` });
 */
export function postMessage(
  core: Core,
  actor: Person,
  body: Record<string, unknown>,
  uploads?: MessageUploads,
): Message {
  const { store } = core;
  const files = checkUploads(body, uploads);
  const roomId = targetRoom(core, actor, body);
  const fields = content(core, body);
  const attachments = checkAttachments(body['attachments']);
  if (fields.text === undefined && fields.markdown === undefined && !attachments && files.length === 0) {
    throw badRequest('A message needs text, markdown, a file or an attachment');
  }
  const parentId = optionalString(body, 'parentId');
  if (parentId !== undefined) {
    const parent = store.message(parentId);
    if (!parent || parent.roomId !== roomId) throw badRequest('parentId must be the id of a message in the same space');
    if (parent.parentId)
      throw badRequest('parentId must be the id of a thread root message: replies cannot have replies');
  }
  const room = store.room(roomId)!;
  const fileUrls = files.map((f) => storeUpload(core, roomId, f, uploads!.origin));
  const message: Message = {
    id: mintId('MESSAGE'),
    ...(parentId ? { parentId } : {}),
    roomId,
    roomType: room.type,
    ...fields,
    ...(fileUrls.length > 0 ? { files: fileUrls } : {}),
    personId: actor.id,
    personEmail: actor.emails[0] ?? '',
    ...(attachments ? { attachments } : {}),
    created: store.now(),
  };
  for (const url of fileUrls) attachContent(core, url, message.id);
  store.addMessage(message);
  store.touchRoom(roomId, message.created);
  publish(core, 'created', message);
  core.bus.emit({ kind: 'message', message });
  return message;
}

/**
 * Edits a message (`PUT /v1/messages/{id}`) and publishes `messages/updated`: the author only, not a
 * message with files or a card (Webex: "currently unsupported"), and at most {@link MAX_MESSAGE_EDITS} times.
 */
export function editMessage(core: Core, actor: Person, id: string, body: Record<string, unknown>): Message {
  const original = readMessage(core, actor, id);
  if (original.personId !== actor.id) throw forbidden('Only the author of a message can edit it');
  if (original.attachments?.length || original.files?.length)
    throw badRequest(
      'Editing a message with files or attachments (a card) is currently unsupported: delete it and post a new one',
    );
  if (core.store.editCount(id) >= MAX_MESSAGE_EDITS)
    throw badRequest(`The edit limit has been reached: a message can be edited at most ${MAX_MESSAGE_EDITS} times`);
  const roomId = optionalString(body, 'roomId');
  if (roomId === undefined) throw badRequest('roomId is required to edit a message');
  if (roomId !== original.roomId) throw badRequest('roomId does not match the space of the message');
  const fields = content(core, body);
  if (fields.text === undefined && fields.markdown === undefined) throw badRequest('An edit needs text or markdown');
  const { text: _t, markdown: _m, html: _h, mentionedPeople: _p, mentionedGroups: _g, updated: _u, ...rest } = original;
  const message: Message = { ...rest, ...fields, updated: core.store.now() };
  core.store.replaceMessage(message);
  publish(core, 'updated', message);
  core.bus.emit({ kind: 'message-updated', message });
  return message;
}

/** Deletes a message (`DELETE /v1/messages/{id}`): its author only; publishes `messages/deleted`. */
export function deleteMessage(core: Core, actor: Person, id: string): void {
  const message = readMessage(core, actor, id);
  if (message.personId !== actor.id) throw forbidden('You can only delete your own messages');
  core.store.deleteMessage(id);
  publish(core, 'deleted', message);
  core.bus.emit({ kind: 'message-deleted', messageId: message.id, roomId: message.roomId });
}

function publish(core: Core, event: 'created' | 'updated' | 'deleted', m: Message): void {
  core.bus.publish({
    resource: 'messages',
    event,
    actorId: m.personId,
    data: {
      id: m.id,
      roomId: m.roomId,
      roomType: m.roomType,
      ...(m.parentId ? { parentId: m.parentId } : {}),
      personId: m.personId,
      personEmail: m.personEmail,
      ...(event !== 'deleted' && m.mentionedPeople ? { mentionedPeople: m.mentionedPeople } : {}),
      ...(event !== 'deleted' && m.mentionedGroups ? { mentionedGroups: m.mentionedGroups } : {}),
      created: m.created,
      ...(event === 'updated' && m.updated ? { updated: m.updated } : {}),
    },
    audience: core.store.membersOf(m.roomId).map((x) => x.personId),
    roomType: m.roomType,
    mentionedPeople: m.mentionedPeople ?? [],
    hasFiles: (m.files?.length ?? 0) > 0,
  });
}
