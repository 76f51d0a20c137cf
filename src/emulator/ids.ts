/**
 * Webex-format identifiers and tokens.
 *
 * Webex ids are base64url (no padding) of `ciscospark://us/<TYPE>/<uuid>`; the SDK's people
 * batcher relies on that form (it crashes the process on others), so the emulator mints nothing else.
 * Tokens look like Webex's (`<random>_<cluster>_<org uuid>`): the SDK reads the org id from the
 * last part and warns about tokens of any other form.
 */
import { randomBytes, randomUUID } from 'node:crypto';

/** Resource types that appear in Webex ids. */
export type IdType =
  | 'PEOPLE'
  | 'ROOM'
  | 'MESSAGE'
  | 'MEMBERSHIP'
  | 'WEBHOOK'
  | 'ATTACHMENT_ACTION'
  | 'CONTENT'
  | 'ORGANIZATION'
  | 'APPLICATION';

const PREFIX = 'ciscospark://us/';

/**
 * A new id of `type`.
 *
 * @example
 * mintId('ROOM') // 'Y2lzY29zcGFyazovL3VzL1JPT00v...'
 */
export function mintId(type: IdType, uuid: string = randomUUID()): string {
  return Buffer.from(`${PREFIX}${type}/${uuid}`, 'utf8').toString('base64url');
}

/** The type and uuid inside a Webex id, or undefined if `id` is not one (base64 or base64url). */
export function decodeId(id: string): { type: string; uuid: string } | undefined {
  if (!/^[A-Za-z0-9_\-+/]+=*$/.test(id)) return undefined;
  const text = Buffer.from(id.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
  const m = /^ciscospark:\/\/[a-z0-9]+\/([A-Z_]+)\/([^/]+)$/.exec(text);
  if (!m?.[1] || !m[2]) return undefined;
  return { type: m[1], uuid: m[2] };
}

/** The uuid inside a Webex id (what Webex's own clients and its event socket use), or undefined. */
export function uuidOf(id: string): string | undefined {
  return decodeId(id)?.uuid;
}

/**
 * The id of `personId`'s membership of `roomId`, in Webex's form: the uuid part is
 * `<person uuid>:<room uuid>`, so a membership's id follows from who and where. The SDK builds
 * membership ids that way from socket events, and the framework then fetches them.
 *
 * @example
 * membershipId(aliceId, roomId) // base64url of 'ciscospark://us/MEMBERSHIP/<alice uuid>:<room uuid>'
 */
export function membershipId(personId: string, roomId: string): string {
  const person = uuidOf(personId);
  const room = uuidOf(roomId);
  if (!person || !room) throw new TypeError(`membershipId: not Webex ids (${personId}, ${roomId})`);
  return mintId('MEMBERSHIP', `${person}:${room}`);
}

/** True when `id` is a Webex id of `type`. */
export function isIdOf(id: string, type: IdType): boolean {
  return decodeId(id)?.type === type;
}

/**
 * A bearer token in Webex's format for an organization.
 *
 * @example
 * mintToken('1eb65fdf-9643-417f-9974-ad72cae0e10f') // 'NzE5...Yz_PF84_1eb65fdf-...'
 */
export function mintToken(orgUuid: string): string {
  // Webex's first part is base64 text without separators; keep it alphanumeric so that `_`
  // only ever separates the three parts.
  const random = Buffer.from(randomBytes(48))
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '');
  return `${random.slice(0, 64)}_PF84_${orgUuid}`;
}

/** True when `token` has Webex's three-part form ending with an org uuid. */
export function isRealFormatToken(token: string): boolean {
  return /^[A-Za-z0-9]+_[A-Za-z0-9]+_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(token);
}

/** A tracking id for responses and deliveries, like Webex's `ROUTER_...` ones. */
export function mintTrackingId(prefix = 'EMULATOR'): string {
  return `${prefix}_${randomUUID()}`;
}
