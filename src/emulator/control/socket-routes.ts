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
import type { ControlledEmulator } from './controlled.js';
import { badInputAs400, ControlError, objectBody } from './request.js';

/** Adds the websocket-mode routes to the control router. */
export function addSocketRoutes(router: Router, emulator: ControlledEmulator): void {
  router.get('/devices', (_req, res) => {
    res.json({ items: emulator.devices() });
  });

  router.post('/sockets/drop', (req, res) => {
    const deviceId = objectBody(req)['deviceId'];
    if (deviceId !== undefined && typeof deviceId !== 'string')
      throw new ControlError(400, 'deviceId must be a string');
    res.json({ dropped: emulator.dropSockets(deviceId) });
  });

  router.put('/sockets', (req, res) => {
    const refuse = objectBody(req)['refuse'];
    if (typeof refuse !== 'boolean') throw new ControlError(400, 'refuse must be true or false');
    emulator.refuseSockets(refuse);
    res.json({ refusing: emulator.refusingSockets });
  });

  router.get('/socket-frames', (_req, res) => {
    res.json({ items: emulator.socketFrames() });
  });

  router.post('/socket-frames/:frameId/resend', (req, res) => {
    const copies = objectBody(req)['copies'] ?? 1;
    const frames = badInputAs400(() => emulator.resendFrame(String(req.params['frameId']), copies as number));
    res.status(201).json({ items: frames });
  });

  router.post('/devices/:deviceId/raw-frames', (req, res) => {
    const text = objectBody(req)['text'];
    if (typeof text !== 'string') throw new ControlError(400, 'text must be a string');
    res.status(201).json({ sockets: emulator.sendRawFrame(String(req.params['deviceId']), text) });
  });
}
