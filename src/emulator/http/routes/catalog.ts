/**
 * Service discovery (u2c) as the SDK asks for it. With a real-format token, the SDK fetches
 * `GET <u2c>/limited/catalog?orgId=...&format=hostmap` and then, authorized,
 * `GET <u2c>/catalog?format=hostmap`; `createWebexClient` points u2c at the emulator's `/v1`.
 * Answering with an empty host map keeps every service where the SDK's config put it (the REST
 * API at the emulator) and keeps the SDK quiet and offline.
 */
import type { Route } from '../router.js';

const EMPTY_HOSTMAP = { serviceLinks: {}, hostCatalog: {}, format: 'hostmap' };

/** The two u2c catalog requests of the SDK (public: no token needed). */
export const catalogRoutes: Route[] = [
  { method: 'GET', template: '/v1/limited/catalog', public: true, handle: () => ({ status: 200, body: EMPTY_HOSTMAP }) },
  { method: 'GET', template: '/v1/catalog', public: true, handle: () => ({ status: 200, body: EMPTY_HOSTMAP }) },
];
