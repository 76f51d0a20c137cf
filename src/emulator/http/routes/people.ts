/**
 * `/v1/people`: the caller (`me`), batched lookups by id (with `notFoundIds`), by email and by name.
 */
import { badRequest, notFound } from '../../errors.js';
import type { Person } from '../../types.js';
import { page } from '../pagination.js';
import { callerOf, type Route } from '../router.js';

/** Webex's limit on ids per batched lookup. */
const MAX_IDS = 85;

/** `GET /v1/people/me`, `GET /v1/people` (by ids, email or name) and `GET /v1/people/{id}`. */
export const peopleRoutes: Route[] = [
  { method: 'GET', template: '/v1/people/me', handle: (req) => ({ status: 200, body: callerOf(req) }) },
  {
    method: 'GET',
    template: '/v1/people',
    handle(req) {
      callerOf(req);
      const { store } = req.core;
      const ids = req.query.get('id');
      const email = req.query.get('email');
      const displayName = req.query.get('displayName');
      if (ids) {
        const list = ids
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        if (list.length > MAX_IDS)
          throw badRequest(`At most ${MAX_IDS} ids can be looked up at once (got ${list.length})`);
        const found: Person[] = [];
        const notFoundIds: string[] = [];
        for (const id of list) {
          const p = store.person(id);
          if (p) found.push(p);
          else notFoundIds.push(id);
        }
        const res = page(req, found, 100);
        return notFoundIds.length ? { ...res, body: { ...(res.body as object), notFoundIds } } : res;
      }
      if (email)
        return page(
          req,
          [store.personByEmail(email)].filter((p): p is Person => p !== undefined),
          100,
        );
      if (displayName) {
        const prefix = displayName.toLowerCase();
        return page(
          req,
          store.allPeople().filter((p) => p.displayName.toLowerCase().startsWith(prefix)),
          100,
        );
      }
      throw badRequest('Email, displayName, or id list should be specified.');
    },
  },
  {
    method: 'GET',
    template: '/v1/people/{id}',
    handle(req) {
      callerOf(req);
      const p = req.core.store.person(req.params['id'] ?? '');
      if (!p) throw notFound('Could not find a person with the provided id');
      return { status: 200, body: p };
    },
  },
];
