/**
 * The control API of websocket mode, under `/_emulator`: devices and their sockets, the frames
 * pushed on them, and the failures a test needs — sockets cut off or refused, an activity sent
 * twice, a malformed frame.
 *
 * - `GET /devices` — registered devices with their open socket count;
 * - `POST /sockets/drop` `{deviceId?}` — cut sockets off (clients see 1006 and reconnect);
 * - `PUT /sockets` `{refuse: boolean}` — refuse new sockets (503) or take them again;
 * - `GET /socket-frames` — the frames pushed (or missed);
 * - `POST /socket-frames/:frameId/resend` `{copies?}` — send a frame's activity again;
 * - `POST /devices/:deviceId/raw-frames` `{text}` — send `text` as it is.
 */
import type { Router } from 'express';
import type { ControlledEmulator } from '../emulator.js';

/** A control request that cannot be served as sent (the router's error handler answers it). */
type Fail = (status: number, message: string) => never;

function body(b: unknown, fail: Fail): Record<string, unknown> {
  if (b === undefined) return {};
  if (typeof b !== 'object' || b === null || Array.isArray(b)) fail(400, 'The body must be a JSON object');
  return b as Record<string, unknown>;
}

/** Adds the websocket-mode routes to the control router. */
export function addSocketRoutes(router: Router, emulator: ControlledEmulator, fail: Fail): void {
  router.get('/devices', (_req, res) => {
    res.json({ items: emulator.devices() });
  });

  router.post('/sockets/drop', (req, res) => {
    const deviceId = body(req.body, fail)['deviceId'];
    if (deviceId !== undefined && typeof deviceId !== 'string') fail(400, 'deviceId must be a string');
    res.json({ dropped: emulator.dropSockets(deviceId) });
  });

  router.put('/sockets', (req, res) => {
    const refuse = body(req.body, fail)['refuse'];
    if (typeof refuse !== 'boolean') fail(400, 'refuse must be true or false');
    emulator.refuseSockets(refuse);
    res.json({ refusing: emulator.refusingSockets });
  });

  router.get('/socket-frames', (_req, res) => {
    res.json({ items: emulator.socketFrames() });
  });

  router.post('/socket-frames/:frameId/resend', (req, res) => {
    const copies = body(req.body, fail)['copies'] ?? 1;
    try {
      res.status(201).json({ items: emulator.resendFrame(String(req.params['frameId']), copies as number) });
    } catch (err) {
      if (err instanceof TypeError) fail(400, err.message);
      throw err;
    }
  });

  router.post('/devices/:deviceId/raw-frames', (req, res) => {
    const text = body(req.body, fail)['text'];
    if (typeof text !== 'string') fail(400, 'text must be a string');
    res.status(201).json({ sockets: emulator.sendRawFrame(String(req.params['deviceId']), text) });
  });
}
