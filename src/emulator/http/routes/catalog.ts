/**
 * Service discovery (u2c) as the SDK asks for it. With a real-format token, the SDK fetches
 * `GET <u2c>/limited/catalog?orgId=...&format=hostmap` and then, authorized,
 * `GET <u2c>/catalog?format=hostmap`; `createWebexClient` points u2c at the emulator's `/v1`.
 *
 * The host map names the services of websocket mode, all on the emulator's own host and port:
 * - `wdm`, the device service (registration before the event socket opens);
 * - `metrics`, where the SDK reports connection outcomes;
 * - `conversation`, with a host entry whose id is the cluster anchor `urn:TEAM:us-east-2_a:…`:
 *   the SDK finds the cluster of each socket event by the host of its conversation URL, and
 *   builds the REST ids (`ciscospark://us/...`) from it. Without that entry every event is
 *   dropped inside the SDK.
 * REST (`hydra`) is not in it, so REST calls stay where the SDK's config put them.
 * See docs/websocket-mode.md.
 */
import type { ApiRequest, Route } from '../router.js';

/** The cluster the emulator's conversation URLs belong to: the one Webex's REST ids call `us`. */
export const EMULATOR_CLUSTER_ID = 'urn:TEAM:us-east-2_a:conversation';

/** The host map for a client that reached the emulator at `origin` (`http://host:port`). */
export function hostmapFor(origin: string): Record<string, unknown> {
  const { hostname } = new URL(origin);
  return {
    format: 'hostmap',
    serviceLinks: {
      wdm: `${origin}/wdm/api/v1`,
      conversation: `${origin}/conversation/api/v1`,
      metrics: `${origin}/metrics/api/v1`,
    },
    hostCatalog: {
      [hostname]: [{ host: hostname, ttl: -1, priority: 5, id: EMULATOR_CLUSTER_ID }],
    },
  };
}

const answer = (req: ApiRequest) => ({ status: 200, body: hostmapFor(req.origin) });

/** The two u2c catalog requests of the SDK (public: no token needed). */
export const catalogRoutes: Route[] = [
  { method: 'GET', template: '/v1/limited/catalog', public: true, handle: answer },
  { method: 'GET', template: '/v1/catalog', public: true, handle: answer },
];
