/**
 * The control API under `/_emulator` (JSON), for tests in another process and the chat page:
 * create people and spaces, add and remove members, speak (with a file) and submit cards as a
 * person, read transcripts and files, follow events,
 * inject faults, set the latency every REST call waits, read call counts and deliveries,
 * redeliver a delivery, change webhooks, and drive the event sockets of websocket mode. Each
 * group of routes has its own file; bad requests get 400 `{ error }` with the reason, and bodies
 * must be JSON (415 otherwise, `json-only.ts`).
 */
import express, { type Router } from 'express';
import type { Logger } from '../../logging.js';
import { addApiRoutes } from './api-routes.js';
import type { ControlledEmulator } from './controlled.js';
import { controlErrorHandler, unknownEndpoint } from './errors.js';
import { jsonBodiesOnly } from './json-only.js';
import { addMemberRoutes } from './member-routes.js';
import { addSocketRoutes } from './socket-routes.js';
import { addConversationRoutes, addSpaceRoutes } from './space-routes.js';
import type { SseHub } from './sse.js';
import { addWebhookRoutes } from './webhook-routes.js';

/** `GET /events[?kinds=message,delivery]`: the emulator's events as Server-Sent Events. */
function addEventRoute(router: Router, sse: SseHub): void {
  router.get('/events', (req, res) => {
    const raw = req.query['kinds'];
    const kinds =
      typeof raw === 'string'
        ? new Set(
            raw
              .split(',')
              .map((k) => k.trim())
              .filter(Boolean),
          )
        : undefined;
    sse.handle(req, res, kinds);
  });
}

/**
 * Builds the `/_emulator` router.
 *
 * @example
 * app.use('/_emulator', createControlRouter(emulator, sse, log));
 */
export function createControlRouter(emulator: ControlledEmulator, sse: SseHub, log: Logger): Router {
  const router = express.Router();
  router.use(jsonBodiesOnly);
  // Room for a file of a few MB in a message (base64 in the JSON).
  router.use(express.json({ limit: '16mb' }));
  addSpaceRoutes(router, emulator);
  addConversationRoutes(router, emulator);
  addMemberRoutes(router, emulator);
  addEventRoute(router, sse);
  addApiRoutes(router, emulator);
  addWebhookRoutes(router, emulator);
  addSocketRoutes(router, emulator);
  router.use(unknownEndpoint);
  router.use(controlErrorHandler(log));
  return router;
}
