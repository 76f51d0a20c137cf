/**
 * Webex events as the activities Webex's event socket carries (`conversation.activity`).
 *
 * Activities name things by their uuid (the part inside a REST id), not by REST id. The space is
 * the activity's `target`, with a conversation URL on the emulator's host: the SDK reads the
 * cluster from that host (see the catalog) and rebuilds the REST ids from uuid and cluster.
 * Content is not in them: the client fetches the message or card submission over REST, as it
 * would after a webhook, so there is nothing to encrypt (real Webex encrypts the `displayName`
 * of activities; without an `encryptionKeyUrl` the SDK leaves them as they are).
 */
import { randomUUID } from 'node:crypto';
import type { WebexEvent } from '../events.js';
import { uuidOf } from '../ids.js';
import type { Store } from '../state/store.js';

/** An activity as the socket sends it (a plain JSON object). */
export type Activity = Record<string, unknown> & { id: string; verb: string };

const TAG_ONE_ON_ONE = 'ONE_ON_ONE';

function uuid(id: unknown): string {
  const u = typeof id === 'string' ? uuidOf(id) : undefined;
  if (!u) throw new TypeError(`not a Webex id: ${String(id)}`);
  return u;
}

function person(store: Store, personId: string): Record<string, unknown> {
  const p = store.person(personId);
  const id = uuid(personId);
  return {
    objectType: 'person',
    id,
    entryUUID: id,
    ...(p ? { emailAddress: p.emails[0], displayName: p.displayName, orgId: uuid(p.orgId) } : {}),
  };
}

function conversation(origin: string, roomId: string, roomType: string | undefined): Record<string, unknown> {
  const id = uuid(roomId);
  return {
    objectType: 'conversation',
    id,
    url: `${origin}/conversation/api/v1/conversations/${id}`,
    tags: roomType === 'direct' ? [TAG_ONE_ON_ONE] : [],
  };
}

function roomTypeOf(store: Store, roomId: string): string | undefined {
  return store.room(roomId)?.type;
}

/** What every activity starts with. */
type ActivityBase = { objectType: 'activity'; published: string; actor: Record<string, unknown> };

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** `post` for a new message, `delete` for a deleted one. */
function messageActivity(e: WebexEvent, base: ActivityBase, origin: string, roomId: string): Activity | undefined {
  const { data } = e;
  if (e.event === 'created') {
    const mentions = (e.mentionedPeople ?? []).map((id) => ({ objectType: 'person', id: uuid(id) }));
    const parentId = stringOf(data['parentId']);
    return {
      ...base,
      id: uuid(data.id),
      verb: 'post',
      object: {
        objectType: 'comment',
        id: uuid(data.id),
        ...(mentions.length ? { mentions: { items: mentions } } : {}),
      },
      target: conversation(origin, roomId, e.roomType),
      ...(parentId ? { parent: { id: uuid(parentId), type: 'reply' } } : {}),
    };
  }
  if (e.event === 'deleted') {
    return {
      ...base,
      id: randomUUID(),
      verb: 'delete',
      object: { objectType: 'activity', id: uuid(data.id) },
      target: conversation(origin, roomId, e.roomType),
    };
  }
  return undefined; // an edit: the socket does not carry it as an activity
}

/** `cardAction` for a card submission, with its inputs. */
function cardActivity(e: WebexEvent, base: ActivityBase, store: Store, origin: string, roomId: string): Activity {
  const action = store.action(e.data.id);
  return {
    ...base,
    id: uuid(e.data.id),
    verb: 'cardAction',
    parent: { id: uuid(e.data['messageId']), type: 'reply' },
    object: { objectType: 'submit', ...(action ? { inputs: structuredClone(action.inputs) } : {}) },
    target: conversation(origin, roomId, roomTypeOf(store, roomId)),
  };
}

/** `add` or `leave` for a membership created or deleted. */
function membershipActivity(e: WebexEvent, base: ActivityBase, store: Store, origin: string, roomId: string): Activity {
  return {
    ...base,
    id: randomUUID(),
    verb: e.event === 'created' ? 'add' : 'leave',
    object: person(store, String(e.data['personId'])),
    target: conversation(origin, roomId, stringOf(e.data['roomType']) ?? roomTypeOf(store, roomId)),
  };
}

/** `create` for a new space. */
function roomActivity(e: WebexEvent, base: ActivityBase, origin: string): Activity {
  const id = randomUUID();
  const room = conversation(origin, e.data.id, stringOf(e.data['type']));
  return { ...base, id, verb: 'create', url: `${origin}/conversation/api/v1/activities/${id}`, object: room };
}

/**
 * The activity for `e`, or undefined for events the socket does not carry as an activity
 * (message edits, space updates).
 *
 * @param origin `http://host:port` of the emulator, for the conversation URLs
 */
export function activityFor(e: WebexEvent, store: Store, origin: string): Activity | undefined {
  const { data } = e;
  const published = stringOf(data['created']) ?? new Date().toISOString();
  const base: ActivityBase = { objectType: 'activity', published, actor: person(store, e.actorId) };
  const roomId = stringOf(data['roomId']);
  if (e.resource === 'rooms') return e.event === 'created' ? roomActivity(e, base, origin) : undefined;
  if (!roomId) return undefined;
  if (e.resource === 'messages') return messageActivity(e, base, origin, roomId);
  if (e.resource === 'attachmentActions' && e.event === 'created') return cardActivity(e, base, store, origin, roomId);
  if (e.resource === 'memberships' && (e.event === 'created' || e.event === 'deleted'))
    return membershipActivity(e, base, store, origin, roomId);
  return undefined;
}
