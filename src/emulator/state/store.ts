/**
 * The emulator's in-memory data: people and their tokens, spaces, memberships, messages,
 * card submissions and webhooks. It holds data and answers queries; the rules live in `service/`.
 */
import { randomUUID } from 'node:crypto';
import { mintId } from '../ids.js';
import type { AttachmentAction, Membership, Message, Person, Room, RoomState, Webhook } from '../types.js';

/** A person and the token that authenticates as them. */
export interface PersonRecord {
  person: Person;
  token: string;
}

/** A space as stored; a direct space has no title of its own. */
export interface RoomRecord {
  id: string;
  type: 'direct' | 'group';
  title: string;
  isLocked: boolean;
  lastActivity: string;
  creatorId: string;
  created: string;
}

/** A membership as stored (person details are joined in on read). */
export interface MembershipRecord {
  id: string;
  roomId: string;
  personId: string;
  isModerator: boolean;
  isMonitor: boolean;
  isRoomHidden: boolean;
  created: string;
}

/** A file posted with a message: what `GET /v1/contents/{id}` serves. */
export interface ContentRecord {
  id: string;
  /** The space of the message it was posted with (only its members may read it). */
  roomId: string;
  /** The message it belongs to (set once the message exists). */
  messageId: string;
  /** The file name as uploaded (served in `Content-Disposition`). */
  name: string;
  /** The media type as uploaded (`application/octet-stream` when none was given). */
  type: string;
  bytes: Buffer;
  created: string;
}

/** A webhook plus what only the emulator knows about it. */
export interface WebhookRecord {
  webhook: Webhook;
  ownerId: string;
  consecutiveFailures: number;
}

const clone = <T>(v: T): T => structuredClone(v);

/** The inner map of `index` under `key`, created when missing. */
function indexed<V>(index: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let inner = index.get(key);
  if (!inner) {
    inner = new Map();
    index.set(key, inner);
  }
  return inner;
}

/** In-memory state of one emulator. */
export class Store {
  /** The single organization everybody belongs to. */
  readonly orgUuid = randomUUID();
  readonly orgId = mintId('ORGANIZATION', this.orgUuid);
  /** The "application" that webhook envelopes name as `appId`. */
  readonly appId = mintId('APPLICATION');

  private readonly people = new Map<string, PersonRecord>();
  private readonly peopleByEmail = new Map<string, string>();
  private readonly peopleByToken = new Map<string, string>();
  private readonly rooms = new Map<string, RoomRecord>();
  private readonly memberships = new Map<string, MembershipRecord>();
  /** The same memberships by space and by person (personId/roomId → record), each in creation order. */
  private readonly membershipsByRoom = new Map<string, Map<string, MembershipRecord>>();
  private readonly membershipsByPerson = new Map<string, Map<string, MembershipRecord>>();
  private readonly messages = new Map<string, Message>();
  /** How many times each message has been edited (Webex allows a limited number of edits). */
  private readonly messageEdits = new Map<string, number>();
  private readonly roomMessageIds = new Map<string, string[]>();
  private readonly actions = new Map<string, AttachmentAction>();
  private readonly hooks = new Map<string, WebhookRecord>();
  private readonly contents = new Map<string, ContentRecord>();
  private lastTime = 0;

  /** An ISO timestamp, strictly later than the previous one (so ordering by time is total). */
  now(): string {
    this.lastTime = Math.max(Date.now(), this.lastTime + 1);
    return new Date(this.lastTime).toISOString();
  }

  // ---- people ----

  addPerson(record: PersonRecord): void {
    this.people.set(record.person.id, record);
    this.peopleByEmail.set(record.person.emails[0]!.toLowerCase(), record.person.id);
    this.peopleByToken.set(record.token, record.person.id);
  }

  person(id: string): Person | undefined {
    const r = this.people.get(id);
    return r ? clone(r.person) : undefined;
  }

  personByEmail(email: string): Person | undefined {
    const id = this.peopleByEmail.get(email.toLowerCase());
    return id ? this.person(id) : undefined;
  }

  personByToken(token: string): Person | undefined {
    const id = this.peopleByToken.get(token);
    return id ? this.person(id) : undefined;
  }

  tokenOf(personId: string): string | undefined {
    return this.people.get(personId)?.token;
  }

  allPeople(): Person[] {
    return [...this.people.values()].map((r) => clone(r.person));
  }

  // ---- rooms and memberships ----

  addRoom(room: RoomRecord): void {
    this.rooms.set(room.id, { ...room });
    this.roomMessageIds.set(room.id, []);
  }

  room(id: string): RoomRecord | undefined {
    const r = this.rooms.get(id);
    return r ? { ...r } : undefined;
  }

  allRooms(): RoomRecord[] {
    return [...this.rooms.values()].map((r) => ({ ...r }));
  }

  touchRoom(id: string, at: string): void {
    const r = this.rooms.get(id);
    if (r) r.lastActivity = at;
  }

  addMembership(m: MembershipRecord): void {
    const record = { ...m };
    this.memberships.set(m.id, record);
    indexed(this.membershipsByRoom, m.roomId).set(m.personId, record);
    indexed(this.membershipsByPerson, m.personId).set(m.roomId, record);
  }

  removeMembership(id: string): void {
    const m = this.memberships.get(id);
    if (!m) return;
    this.memberships.delete(id);
    this.membershipsByRoom.get(m.roomId)?.delete(m.personId);
    this.membershipsByPerson.get(m.personId)?.delete(m.roomId);
  }

  membership(id: string): MembershipRecord | undefined {
    const m = this.memberships.get(id);
    return m ? { ...m } : undefined;
  }

  /** Memberships of a space, in the order they were created. */
  membersOf(roomId: string): MembershipRecord[] {
    return [...(this.membershipsByRoom.get(roomId)?.values() ?? [])].map((m) => ({ ...m }));
  }

  /** Memberships of a person, in the order they were created. */
  membershipsOf(personId: string): MembershipRecord[] {
    return [...(this.membershipsByPerson.get(personId)?.values() ?? [])].map((m) => ({ ...m }));
  }

  isMember(roomId: string, personId: string): boolean {
    return this.membershipsByRoom.get(roomId)?.has(personId) ?? false;
  }

  /** The direct space between two people, if any (looked up from whichever of them is in fewer spaces). */
  directRoomBetween(a: string, b: string): RoomRecord | undefined {
    const ofA = this.membershipsByPerson.get(a);
    const ofB = this.membershipsByPerson.get(b);
    if (!ofA || !ofB) return undefined;
    const [fewer, other] = ofA.size <= ofB.size ? [ofA, ofB] : [ofB, ofA];
    for (const roomId of fewer.keys()) {
      const r = this.rooms.get(roomId);
      if (r?.type === 'direct' && other.has(roomId)) return { ...r };
    }
    return undefined;
  }

  /**
   * A space as `viewerId` sees it: a direct space is titled with the other member's name.
   * Without a viewer (or a viewer outside the space), the first member's view is used.
   */
  roomView(room: RoomRecord, viewerId?: string): Room {
    let title = room.title;
    if (room.type === 'direct') {
      const ids = this.membersOf(room.id).map((m) => m.personId);
      const viewer = viewerId && ids.includes(viewerId) ? viewerId : ids[0];
      const other = ids.find((id) => id !== viewer);
      title =
        (other && this.people.get(other)?.person.displayName) ??
        (viewer && this.people.get(viewer)?.person.displayName) ??
        'Direct';
    }
    return {
      id: room.id,
      title,
      type: room.type,
      isLocked: room.isLocked,
      lastActivity: room.lastActivity,
      creatorId: room.creatorId,
      created: room.created,
      ownerId: this.orgId,
    };
  }

  /** A space for the control API: as the bot sees it when the bot is a member, plus member ids. */
  roomState(room: RoomRecord, botId: string): RoomState {
    return { ...this.roomView(room, botId), memberIds: this.membersOf(room.id).map((m) => m.personId) };
  }

  membershipView(m: MembershipRecord): Membership {
    const p = this.people.get(m.personId)?.person;
    const room = this.rooms.get(m.roomId);
    return {
      id: m.id,
      roomId: m.roomId,
      personId: m.personId,
      personEmail: p?.emails[0] ?? '',
      personDisplayName: p?.displayName ?? '',
      personOrgId: p?.orgId ?? this.orgId,
      isModerator: m.isModerator,
      isMonitor: m.isMonitor,
      isRoomHidden: m.isRoomHidden,
      roomType: room?.type ?? 'group',
      created: m.created,
    };
  }

  // ---- messages ----

  addMessage(m: Message): void {
    this.messages.set(m.id, clone(m));
    this.roomMessageIds.get(m.roomId)?.push(m.id);
  }

  /** Stores an edited message in place of the original and counts the edit. */
  replaceMessage(m: Message): void {
    if (!this.messages.has(m.id)) return;
    this.messages.set(m.id, clone(m));
    this.messageEdits.set(m.id, this.editCount(m.id) + 1);
  }

  /** How many times the message has been edited (0 for an unknown id). */
  editCount(id: string): number {
    return this.messageEdits.get(id) ?? 0;
  }

  deleteMessage(id: string): void {
    const m = this.messages.get(id);
    if (!m) return;
    this.messages.delete(id);
    this.messageEdits.delete(id);
    // A deleted message's file goes with it.
    for (const [contentId, c] of this.contents) if (c.messageId === id) this.contents.delete(contentId);
    const ids = this.roomMessageIds.get(m.roomId);
    if (ids) ids.splice(ids.indexOf(id), 1);
  }

  message(id: string): Message | undefined {
    const m = this.messages.get(id);
    return m ? clone(m) : undefined;
  }

  /** A space's messages, oldest first. */
  messagesIn(roomId: string): Message[] {
    return (this.roomMessageIds.get(roomId) ?? []).map((id) => clone(this.messages.get(id)!));
  }

  // ---- files ----

  addContent(c: ContentRecord): void {
    this.contents.set(c.id, c);
  }

  /** The stored file (its bytes are shared, not copied: nothing writes to them). */
  content(id: string): ContentRecord | undefined {
    return this.contents.get(id);
  }

  // ---- attachment actions ----

  addAction(a: AttachmentAction): void {
    this.actions.set(a.id, clone(a));
  }

  action(id: string): AttachmentAction | undefined {
    const a = this.actions.get(id);
    return a ? clone(a) : undefined;
  }

  // ---- webhooks ----

  addWebhook(record: WebhookRecord): void {
    this.hooks.set(record.webhook.id, clone(record));
  }

  /** The live record (mutable: delivery updates its failure count and status). */
  webhookRecord(id: string): WebhookRecord | undefined {
    return this.hooks.get(id);
  }

  deleteWebhook(id: string): void {
    this.hooks.delete(id);
  }

  allWebhookRecords(): WebhookRecord[] {
    return [...this.hooks.values()];
  }
}
