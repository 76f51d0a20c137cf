/**
 * The control routes that shape the REST API: injected faults, the latency every call waits,
 * and the call counts.
 *
 * - `GET`/`POST`/`DELETE /faults` — list, add (`FaultRule`) and clear fault rules;
 * - `GET`/`DELETE /calls` — call counts per endpoint, and resetting them;
 * - `GET`/`PUT /latency` `{latencyMs}` — the time every REST call waits before it is served.
 */
import type { Router } from 'express';
import type { FaultRule } from '../types.js';
import type { ControlledEmulator } from './controlled.js';
import { badInputAs400, objectBody } from './request.js';

/** Adds `/faults`, `/calls` and `/latency`. */
export function addApiRoutes(router: Router, emulator: ControlledEmulator): void {
  router.get('/faults', (_req, res) => {
    res.json({ items: emulator.faultRules() });
  });

  router.post('/faults', (req, res) => {
    badInputAs400(() => emulator.faults.add(objectBody(req) as unknown as FaultRule));
    res.status(201).json({ items: emulator.faultRules() });
  });

  router.delete('/faults', (_req, res) => {
    emulator.faults.clear();
    res.status(204).end();
  });

  router.get('/calls', (_req, res) => {
    res.json(emulator.calls());
  });

  router.delete('/calls', (_req, res) => {
    emulator.resetCalls();
    res.status(204).end();
  });

  router.get('/latency', (_req, res) => {
    res.json({ latencyMs: emulator.latencyMs });
  });

  router.put('/latency', (req, res) => {
    badInputAs400(() => emulator.setLatency(objectBody(req)['latencyMs'] as number));
    res.json({ latencyMs: emulator.latencyMs });
  });
}
