/**
 * `/v1/messages`: list a space's messages (newest first), post, read, edit and delete.
 */
import { badRequest, forbidden, notFound } from '../../errors.js';
import { canRead, deleteMessage, editMessage, postMessage, readMessage } from '../../service/messages.js';
import { page } from '../pagination.js';
import { callerOf, type Route } from '../router.js';

/** List, create, get, edit (`PUT`) and delete messages. */
export const messageRoutes: Route[] = [
  {
    method: 'GET',
    template: '/v1/messages',
    handle(req) {
      const me = callerOf(req);
      const { store } = req.core;
      const roomId = req.query.get('roomId');
      if (!roomId) throw badRequest('roomId is required');
      const room = store.room(roomId);
      if (!room || !store.isMember(roomId, me.id)) throw notFound('Could not find a room with the provided roomId');
      const mentioned = req.query.get('mentionedPeople');
      if (mentioned !== null && mentioned !== 'me' && mentioned !== me.id) {
        throw badRequest('mentionedPeople can only be me or the id of the caller');
      }
      if (mentioned === null && me.type === 'bot' && room.type === 'group') {
        throw forbidden('Bots must include mentionedPeople=me to list messages in group spaces');
      }
      const parentId = req.query.get('parentId');
      const before = req.query.get('before');
      if (before !== null && Number.isNaN(Date.parse(before)))
        throw badRequest('before must be an ISO 8601 date and time');
      const beforeMessageId = req.query.get('beforeMessage');
      let beforeTime = before !== null ? new Date(before).toISOString() : undefined;
      if (beforeMessageId !== null) {
        const bm = store.message(beforeMessageId);
        if (!bm || bm.roomId !== roomId) throw badRequest('beforeMessage must be the id of a message in the space');
        if (!beforeTime || bm.created < beforeTime) beforeTime = bm.created;
      }
      const list = store
        .messagesIn(roomId)
        .filter((m) => canRead(req.core, me, m))
        .filter((m) => mentioned === null || (m.mentionedPeople ?? []).includes(me.id))
        .filter((m) => parentId === null || m.parentId === parentId)
        .filter((m) => beforeTime === undefined || m.created < beforeTime)
        .reverse();
      return page(req, list, 50, mentioned !== null ? 100 : undefined);
    },
  },
  {
    method: 'POST',
    template: '/v1/messages',
    handle: (req) => ({
      status: 200,
      body: postMessage(
        req.core,
        callerOf(req),
        req.body,
        req.uploads.length > 0 ? { files: req.uploads, origin: req.origin } : undefined,
      ),
    }),
  },
  {
    method: 'GET',
    template: '/v1/messages/{id}',
    handle: (req) => ({ status: 200, body: readMessage(req.core, callerOf(req), req.params['id'] ?? '') }),
  },
  {
    method: 'PUT',
    template: '/v1/messages/{id}',
    handle: (req) => ({ status: 200, body: editMessage(req.core, callerOf(req), req.params['id'] ?? '', req.body) }),
  },
  {
    method: 'DELETE',
    template: '/v1/messages/{id}',
    handle(req) {
      deleteMessage(req.core, callerOf(req), req.params['id'] ?? '');
      return { status: 204 };
    },
  },
];
