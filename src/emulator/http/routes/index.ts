/**
 * Every REST endpoint of the emulator (the `/v1` API, and the device and metrics services of
 * websocket mode), in matching order (`/v1/people/me` before `/v1/people/{id}`).
 */
import type { Route } from '../router.js';
import { attachmentActionRoutes } from './attachment-actions.js';
import { catalogRoutes } from './catalog.js';
import { contentRoutes } from './contents.js';
import { deviceRoutes, metricsRoutes } from './devices.js';
import { membershipRoutes } from './memberships.js';
import { messageRoutes } from './messages.js';
import { peopleRoutes } from './people.js';
import { roomRoutes } from './rooms.js';
import { webhookRoutes } from './webhooks.js';

/** The route table of the REST API. */
export const apiRoutes: Route[] = [
  ...catalogRoutes,
  ...peopleRoutes,
  ...roomRoutes,
  ...membershipRoutes,
  ...messageRoutes,
  ...contentRoutes,
  ...attachmentActionRoutes,
  ...webhookRoutes,
  ...deviceRoutes,
  ...metricsRoutes,
];
