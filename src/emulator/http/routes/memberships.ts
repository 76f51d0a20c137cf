/**
 * `/v1/memberships`: members of a space (`roomId`, optionally filtered by `personId` or
 * `personEmail`), or the caller's own memberships when no space is given; adding and removing
 * members of group spaces.
 */
import { badRequest, notFound } from '../../errors.js';
import { optionalString } from '../../messages/rules.js';
import { addMember, removeMember } from '../../service/spaces.js';
import type { MembershipRecord } from '../../state/store.js';
import { page } from '../pagination.js';
import { callerOf, type Route } from '../router.js';

/** List, create, get and delete memberships. */
export const membershipRoutes: Route[] = [
  {
    method: 'GET',
    template: '/v1/memberships',
    handle(req) {
      const me = callerOf(req);
      const { store } = req.core;
      const roomId = req.query.get('roomId');
      const personId = req.query.get('personId');
      const personEmail = req.query.get('personEmail')?.toLowerCase();
      // Only a compliance officer may filter by person across spaces, and the emulator has none.
      if (roomId === null && (personId !== null || personEmail !== undefined))
        throw badRequest('roomId is required when filtering memberships by personId or personEmail');
      let list: MembershipRecord[];
      if (roomId !== null) {
        if (!store.room(roomId) || !store.isMember(roomId, me.id))
          throw notFound('Could not find a room with the provided roomId');
        list = store.membersOf(roomId);
      } else {
        list = store.membershipsOf(me.id);
      }
      const views = list
        .filter((m) => personId === null || m.personId === personId)
        .map((m) => store.membershipView(m))
        .filter((m) => personEmail === undefined || m.personEmail.toLowerCase() === personEmail);
      return page(req, views, 100);
    },
  },
  {
    method: 'POST',
    template: '/v1/memberships',
    handle(req) {
      const me = callerOf(req);
      const roomId = optionalString(req.body, 'roomId');
      if (!roomId) throw badRequest('roomId is required');
      const personId = optionalString(req.body, 'personId');
      const personEmail = optionalString(req.body, 'personEmail');
      if ((personId === undefined) === (personEmail === undefined))
        throw badRequest('Exactly one of personId or personEmail must be given');
      const person =
        personId !== undefined ? req.core.store.person(personId) : req.core.store.personByEmail(personEmail!);
      if (!person) throw notFound(`Could not find the person ${personId ?? personEmail}`);
      return { status: 200, body: addMember(req.core, me.id, roomId, person.id) };
    },
  },
  {
    method: 'GET',
    template: '/v1/memberships/{id}',
    handle(req) {
      const me = callerOf(req);
      const m = req.core.store.membership(req.params['id'] ?? '');
      if (!m || !req.core.store.isMember(m.roomId, me.id))
        throw notFound('Could not find a membership with the provided id');
      return { status: 200, body: req.core.store.membershipView(m) };
    },
  },
  {
    method: 'DELETE',
    template: '/v1/memberships/{id}',
    handle(req) {
      removeMember(req.core, callerOf(req).id, req.params['id'] ?? '');
      return { status: 204 };
    },
  },
];
