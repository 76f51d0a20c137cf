/**
 * `/v1/rooms`: the caller's spaces (a direct space is titled with the other member's name).
 */
import { badRequest, notFound } from '../../errors.js';
import { optionalString } from '../../messages/rules.js';
import { createRoom } from '../../service/spaces.js';
import type { RoomRecord } from '../../state/store.js';
import { page } from '../pagination.js';
import { callerOf, type Route } from '../router.js';

const SORTS: Record<string, (a: RoomRecord, b: RoomRecord) => number> = {
  id: (a, b) => a.id.localeCompare(b.id),
  lastactivity: (a, b) => b.lastActivity.localeCompare(a.lastActivity),
  created: (a, b) => b.created.localeCompare(a.created),
};

/** `GET /v1/rooms`, `POST /v1/rooms` (group spaces) and `GET /v1/rooms/{id}`. */
export const roomRoutes: Route[] = [
  {
    method: 'GET',
    template: '/v1/rooms',
    handle(req) {
      const me = callerOf(req);
      const { store } = req.core;
      const type = req.query.get('type');
      if (type !== null && type !== 'direct' && type !== 'group')
        throw badRequest(`type must be 'direct' or 'group' (got ${JSON.stringify(type)})`);
      const sortBy = (req.query.get('sortBy') ?? 'lastactivity').toLowerCase();
      const sort = Object.hasOwn(SORTS, sortBy) ? SORTS[sortBy] : undefined; // not `constructor`, `__proto__`...
      if (!sort) throw badRequest(`sortBy must be one of ${Object.keys(SORTS).join(', ')}`);
      const rooms = store
        .membershipsOf(me.id)
        .map((m) => store.room(m.roomId)!)
        .filter((r) => type === null || r.type === type)
        .sort(sort);
      // Only the page's spaces are turned into views (a bot may be in tens of thousands).
      const answer = page(req, rooms, 100);
      const { items } = answer.body as { items: RoomRecord[] };
      return { ...answer, body: { items: items.map((r) => store.roomView(r, me.id)) } };
    },
  },
  {
    method: 'POST',
    template: '/v1/rooms',
    handle(req) {
      const me = callerOf(req);
      const title = optionalString(req.body, 'title');
      if (title === undefined || title.trim() === '') throw badRequest('title is required');
      if (req.body['teamId'] !== undefined)
        throw badRequest('teamId is not supported by the Webex emulator (teams are not emulated)');
      const room = createRoom(req.core, { type: 'group', title, memberIds: [me.id] });
      return { status: 200, body: room };
    },
  },
  {
    method: 'GET',
    template: '/v1/rooms/{id}',
    handle(req) {
      const me = callerOf(req);
      const room = req.core.store.room(req.params['id'] ?? '');
      if (!room || !req.core.store.isMember(room.id, me.id))
        throw notFound('Could not find a room with the provided id');
      return { status: 200, body: req.core.store.roomView(room, me.id) };
    },
  },
];
