/**
 * The emulator's express app: the REST API at `/v1` (and the device and metrics services of
 * websocket mode at `/wdm` and `/metrics`), the control API at `/_emulator` and, when given, a
 * page at `/` (the chat playground), all behind the `Host` check (`http/host-guard.ts`). The event sockets are served on the same HTTP server
 * (`upgrade` requests, see `socket/mercury-server.ts`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Express, type Router } from 'express';
import { HostPolicy } from './http/host-guard.js';

/** The pieces the app is made of. */
export interface EmulatorAppParts {
  api: (req: IncomingMessage, res: ServerResponse) => void;
  control: Router;
  /** Served at `/`, after the API and control routes (the chat playground). */
  page?: Router;
  /** The `Host` names served (default: loopback names only); every other request gets 403. */
  hosts?: HostPolicy;
}

/**
 * Builds the express app (not listening).
 *
 * @example
 * const app = createEmulatorApp({ api, control });
 * app.use('/', express.static(pageDir));
 */
export function createEmulatorApp(parts: EmulatorAppParts): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // First of all, so that it covers everything mounted later too (extendApp's routes).
  app.use((parts.hosts ?? new HostPolicy()).middleware());
  app.use('/v1', (req, res) => parts.api(req, res));
  // The device and metrics services of websocket mode share the REST pipeline (token, faults, counts).
  app.use(['/wdm', '/metrics'], (req, res) => parts.api(req, res));
  app.use('/_emulator', parts.control);
  if (parts.page) app.use('/', parts.page);
  return app;
}
