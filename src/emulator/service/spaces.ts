/**
 * Spaces and memberships: creating spaces, adding and removing members, with the Webex events
 * each change produces (`rooms/created`, `memberships/created`, `memberships/deleted`).
 */
import { ApiError, badRequest, notFound } from '../errors.js';
import { membershipId, mintId } from '../ids.js';
import type { MembershipRecord, RoomRecord } from '../state/store.js';
import type { Membership, Room } from '../types.js';
import type { Core } from './core.js';

/** Input of {@link createRoom}. */
export interface NewRoom {
  type: 'direct' | 'group';
  title?: string;
  /** The first one is the creator. */
  memberIds: string[];
}

/**
 * Creates a space with its members and publishes `rooms/created`, then `memberships/created`
 * for each member (the creator is the actor), each told to those already in the space. Returns
 * the space as its creator sees it.
 */
export function createRoom(core: Core, input: NewRoom): Room {
  const { store } = core;
  const memberIds = checkedMembers(core, input);
  const creatorId = memberIds[0]!;
  const now = store.now();
  const room: RoomRecord = {
    id: mintId('ROOM'),
    type: input.type,
    title: input.type === 'group' ? (input.title?.trim() ?? 'New Space') : '',
    isLocked: false,
    lastActivity: now,
    creatorId,
    created: now,
  };
  store.addRoom(room);
  const memberships = memberIds.map((personId) => {
    const m: MembershipRecord = {
      id: membershipId(personId, room.id),
      roomId: room.id,
      personId,
      isModerator: false,
      isMonitor: false,
      isRoomHidden: false,
      created: store.now(),
    };
    store.addMembership(m);
    return m;
  });
  core.bus.publish({
    resource: 'rooms',
    event: 'created',
    actorId: creatorId,
    data: {
      id: room.id,
      type: room.type,
      isLocked: room.isLocked,
      lastActivity: room.lastActivity,
      creatorId,
      created: room.created,
    },
    // Webex tells of a space only those in it: the others are added after it exists.
    audience: [creatorId],
  });
  core.bus.emit({ kind: 'room-created', room: store.roomState(room, core.botId) });
  // Each membership is news to the members so far (a bot added with the space hears of its own
  // membership, not of the creator's, which came before it was in the space).
  for (const [i, m] of memberships.entries())
    announceMembership(core, 'created', m, creatorId, memberIds.slice(0, i + 1));
  core.log.debug('room created', { roomId: room.id, type: room.type });
  return store.roomView(room, creatorId);
}

/** The distinct members of a new space, once the request is found sound (else a 4xx with the reason). */
function checkedMembers(core: Core, input: NewRoom): string[] {
  const { store } = core;
  if (input.type !== 'direct' && input.type !== 'group')
    throw badRequest(`type must be 'direct' or 'group' (got ${JSON.stringify(input.type ?? null)})`);
  if (!Array.isArray(input.memberIds) || input.memberIds.length === 0)
    throw badRequest('memberIds must list at least one person id');
  const memberIds = [...new Set(input.memberIds)];
  for (const id of memberIds)
    if (typeof id !== 'string' || !store.person(id)) throw notFound(`No person with id ${String(id)}`);
  if (input.title !== undefined && (typeof input.title !== 'string' || input.title.trim() === ''))
    throw badRequest('title must be a non-empty string');
  if (input.type === 'direct') {
    if (memberIds.length !== 2) throw badRequest('A direct space has exactly two different members');
    if (store.directRoomBetween(memberIds[0]!, memberIds[1]!))
      throw new ApiError(409, 'A direct space between these two people already exists');
  }
  return memberIds;
}

/** The direct space between two people, created (with its events) when missing. */
export function directRoomFor(core: Core, actorId: string, otherId: string): RoomRecord {
  const existing = core.store.directRoomBetween(actorId, otherId);
  if (existing) return existing;
  const room = createRoom(core, { type: 'direct', memberIds: [actorId, otherId] });
  return core.store.room(room.id)!;
}

/** Adds a person to a group space the actor is in (`POST /v1/memberships`). */
export function addMember(core: Core, actorId: string, roomId: string, personId: string): Membership {
  const { store } = core;
  const room = store.room(roomId);
  if (!room || !store.isMember(roomId, actorId)) throw notFound('Could not find a room with the provided roomId');
  if (room.type === 'direct') throw badRequest('People cannot be added to a direct space');
  if (!store.person(personId)) throw notFound('Could not find the person to add');
  if (store.isMember(roomId, personId)) throw new ApiError(409, 'That person is already a member of the space');
  const m: MembershipRecord = {
    id: membershipId(personId, roomId),
    roomId,
    personId,
    isModerator: false,
    isMonitor: false,
    isRoomHidden: false,
    created: store.now(),
  };
  store.addMembership(m);
  announceMembership(
    core,
    'created',
    m,
    actorId,
    store.membersOf(roomId).map((x) => x.personId),
  );
  return store.membershipView(m);
}

/** Removes a membership of a group space the actor is in (`DELETE /v1/memberships/{id}`). */
export function removeMember(core: Core, actorId: string, id: string): void {
  const { store } = core;
  const m = store.membership(id);
  if (!m || !store.isMember(m.roomId, actorId)) throw notFound('Could not find a membership with the provided id');
  if (store.room(m.roomId)?.type === 'direct') throw badRequest('Memberships of a direct space cannot be deleted');
  const audience = store.membersOf(m.roomId).map((x) => x.personId);
  const view = store.membershipView(m);
  store.removeMembership(m.id);
  announceMembership(core, 'deleted', m, actorId, audience, view);
}

function announceMembership(
  core: Core,
  event: 'created' | 'deleted',
  m: MembershipRecord,
  actorId: string,
  audience: string[],
  view: Membership = core.store.membershipView(m),
): void {
  core.bus.publish({
    resource: 'memberships',
    event,
    actorId,
    data: {
      id: view.id,
      roomId: view.roomId,
      roomType: view.roomType,
      personId: view.personId,
      personEmail: view.personEmail,
      personDisplayName: view.personDisplayName,
      personOrgId: view.personOrgId,
      isModerator: view.isModerator,
      isMonitor: view.isMonitor,
      created: view.created,
    },
    audience,
    roomType: view.roomType,
  });
  core.bus.emit({ kind: event === 'created' ? 'membership-created' : 'membership-deleted', membership: view });
}
