/**
 * The device service (`/wdm/api/v1/devices`) and client metrics (`/metrics/api/v1/...`), the
 * two services besides the REST API that the SDK calls in websocket mode. The service catalog
 * (`catalog.ts`) tells the SDK where they are.
 */
import { deleteAllDevices, deleteDevice, refreshDevice, registerDevice } from '../../service/devices.js';
import { callerOf, type Route } from '../router.js';

/** Register, refresh and delete devices. */
export const deviceRoutes: Route[] = [
  {
    method: 'POST',
    template: '/wdm/api/v1/devices',
    handle: (req) => ({ status: 200, body: registerDevice(req.core, callerOf(req), req.origin, req.body) }),
  },
  {
    method: 'DELETE',
    template: '/wdm/api/v1/devices',
    handle(req) {
      deleteAllDevices(req.core, callerOf(req));
      return { status: 204 };
    },
  },
  {
    method: 'PUT',
    template: '/wdm/api/v1/devices/{id}',
    handle: (req) => ({ status: 200, body: refreshDevice(req.core, callerOf(req), req.params['id'] ?? '') }),
  },
  {
    method: 'DELETE',
    template: '/wdm/api/v1/devices/{id}',
    handle(req) {
      deleteDevice(req.core, callerOf(req), req.params['id'] ?? '');
      return { status: 204 };
    },
  },
];

/**
 * Client metrics: the SDK reports registration and connection outcomes and does not look at
 * the answer (nor handle a failure). They are accepted and dropped.
 */
export const metricsRoutes: Route[] = [
  { method: 'POST', template: '/metrics/api/v1/clientmetrics', public: true, handle: () => ({ status: 204 }) },
  { method: 'POST', template: '/metrics/api/v1/clientmetrics-prelogin', public: true, handle: () => ({ status: 204 }) },
];
