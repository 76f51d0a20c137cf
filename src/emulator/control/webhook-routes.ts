/**
 * The control routes of webhooks and their deliveries.
 *
 * - `GET /deliveries` — every delivery with its attempts;
 * - `POST /deliveries/:deliveryId/redeliver` `{copies?, concurrent?}` — repeat a delivery;
 * - `GET /webhooks` — every webhook (no secrets);
 * - `PATCH /webhooks/:webhookId` `{status?, targetUrl?, secret?}`, `DELETE /webhooks/:webhookId` —
 *   change or delete a webhook behind its owner's back, as Webex (marking it inactive) or a
 *   colleague might.
 */
import type { Router } from 'express';
import { publicWebhook } from '../service/webhooks.js';
import type { RedeliverOptions, WebhookChange } from '../types.js';
import type { ControlledEmulator } from './controlled.js';
import { badInputAs400, objectBody } from './request.js';

/** The change a `PATCH /webhooks/:webhookId` body asks for (checked by `alterWebhook`). */
function webhookChange(b: Record<string, unknown>): WebhookChange {
  const change: WebhookChange = {};
  if (b['status'] !== undefined) change.status = b['status'] as WebhookChange['status'];
  if (b['targetUrl'] !== undefined) change.targetUrl = b['targetUrl'] as string;
  if ('secret' in b) change.secret = b['secret'] as string | null;
  return change;
}

/** Adds `/deliveries` and `/webhooks`. */
export function addWebhookRoutes(router: Router, emulator: ControlledEmulator): void {
  router.get('/deliveries', (_req, res) => {
    res.json({ items: emulator.deliveries() });
  });

  router.post('/deliveries/:deliveryId/redeliver', async (req, res) => {
    const options = objectBody(req) as RedeliverOptions;
    const copies = await badInputAs400(() => emulator.redeliver(String(req.params['deliveryId']), options));
    res.status(201).json({ items: copies });
  });

  router.get('/webhooks', (_req, res) => {
    res.json({ items: emulator.webhooks().map(publicWebhook) });
  });

  router.patch('/webhooks/:webhookId', (req, res) => {
    const change = webhookChange(objectBody(req));
    res.json(publicWebhook(badInputAs400(() => emulator.alterWebhook(String(req.params['webhookId']), change))));
  });

  router.delete('/webhooks/:webhookId', (req, res) => {
    emulator.removeWebhook(String(req.params['webhookId']));
    res.status(204).end();
  });
}
