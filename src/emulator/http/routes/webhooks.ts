/**
 * `/v1/webhooks`: each caller lists and manages only their own webhooks.
 */
import { createWebhook, deleteWebhook, ownWebhook, updateWebhook } from '../../service/webhooks.js';
import { page } from '../pagination.js';
import { callerOf, type Route } from '../router.js';

/** List, create, get, update and delete the caller's webhooks. */
export const webhookRoutes: Route[] = [
  {
    method: 'GET',
    template: '/v1/webhooks',
    handle(req) {
      const me = callerOf(req);
      const own = req.core.store
        .allWebhookRecords()
        .filter((r) => r.ownerId === me.id)
        .map((r) => structuredClone(r.webhook));
      return page(req, own, 100);
    },
  },
  {
    method: 'POST',
    template: '/v1/webhooks',
    handle: (req) => ({ status: 200, body: createWebhook(req.core, callerOf(req), req.body) }),
  },
  {
    method: 'GET',
    template: '/v1/webhooks/{id}',
    handle: (req) => ({
      status: 200,
      body: structuredClone(ownWebhook(req.core, callerOf(req), req.params['id'] ?? '').webhook),
    }),
  },
  {
    method: 'PUT',
    template: '/v1/webhooks/{id}',
    handle: (req) => ({ status: 200, body: updateWebhook(req.core, callerOf(req), req.params['id'] ?? '', req.body) }),
  },
  {
    method: 'DELETE',
    template: '/v1/webhooks/{id}',
    handle(req) {
      deleteWebhook(req.core, callerOf(req), req.params['id'] ?? '');
      return { status: 204 };
    },
  },
];
