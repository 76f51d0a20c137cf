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

/**
 * The activity for `e`, or undefined for events the socket does not carry as an activity
 * (message edits, space updates).
 *
 * @param origin `http://host:port` of the emulator, for the conversation URLs
 */
export function activityFor(e: WebexEvent, store: Store, origin: string): Activity | undefined {
  const { data } = e;
  const published = typeof data['created'] === 'string' ? data['created'] : new Date().toISOString();
  const actor = person(store, e.actorId);
  const roomId = typeof data['roomId'] === 'string' ? data['roomId'] : undefined;
  const base = { objectType: 'activity', published, actor };
  if (e.resource === 'messages' && e.event === 'created' && roomId) {
    const mentions = (e.mentionedPeople ?? []).map((id) => ({ objectType: 'person', id: uuid(id) }));
    const parentId = typeof data['parentId'] === 'string' ? data['parentId'] : undefined;
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
  if (e.resource === 'messages' && e.event === 'deleted' && roomId) {
    return {
      ...base,
      id: randomUUID(),
      verb: 'delete',
      object: { objectType: 'activity', id: uuid(data.id) },
      target: conversation(origin, roomId, e.roomType),
    };
  }
  if (e.resource === 'attachmentActions' && e.event === 'created' && roomId) {
    const action = store.action(data.id);
    return {
      ...base,
      id: uuid(data.id),
      verb: 'cardAction',
      parent: { id: uuid(data['messageId']), type: 'reply' },
      object: { objectType: 'submit', ...(action ? { inputs: structuredClone(action.inputs) } : {}) },
      target: conversation(origin, roomId, roomTypeOf(store, roomId)),
    };
  }
  if (e.resource === 'memberships' && (e.event === 'created' || e.event === 'deleted') && roomId) {
    const memberId = String(data['personId']);
    return {
      ...base,
      id: randomUUID(),
      verb: e.event === 'created' ? 'add' : 'leave',
      object: person(store, memberId),
      target: conversation(
        origin,
        roomId,
        typeof data['roomType'] === 'string' ? data['roomType'] : roomTypeOf(store, roomId),
      ),
    };
  }
  if (e.resource === 'rooms' && e.event === 'created') {
    const id = randomUUID();
    const room = conversation(origin, data.id, typeof data['type'] === 'string' ? data['type'] : undefined);
    return { ...base, id, verb: 'create', url: `${origin}/conversation/api/v1/activities/${id}`, object: room };
  }
  return undefined;
}
