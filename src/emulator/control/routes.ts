/**
 * The control API under `/_emulator` (JSON), for tests in another process and the chat page:
 * create people and spaces, speak and submit cards as a person, read transcripts, follow events,
 * inject faults, set the latency every REST call waits, read call counts and deliveries,
 * redeliver a delivery, and drive the event sockets of websocket mode (`socket-routes.ts`).
 * Bad requests get 400 `{ error }` with the reason; bodies must be JSON (415 otherwise, `json-only.ts`).
 */
import type { Logger } from '../../logging.js';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { ApiError } from '../errors.js';
import type { ControlledEmulator } from '../emulator.js';
import { publicWebhook } from '../service/webhooks.js';
import type { DeliveryRecord, RedeliverOptions, SayInput, WebhookChange } from '../types.js';
import { jsonBodiesOnly } from './json-only.js';
import { addSocketRoutes } from './socket-routes.js';
import type { SseHub } from './sse.js';

/** A control request that cannot be served as sent. */
class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function objectBody(req: Request): Record<string, unknown> {
  const b: unknown = req.body;
  if (b === undefined) return {};
  if (typeof b !== 'object' || b === null || Array.isArray(b))
    throw new ControlError(400, 'The body must be a JSON object');
  return b as Record<string, unknown>;
}

function str(body: Record<string, unknown>, key: string, required: true): string;
function str(body: Record<string, unknown>, key: string, required?: false): string | undefined;
function str(body: Record<string, unknown>, key: string, required = false): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) {
    if (required) throw new ControlError(400, `${key} is required`);
    return undefined;
  }
  if (typeof v !== 'string' || (required && v === ''))
    throw new ControlError(400, `${key} must be a ${required ? 'non-empty ' : ''}string`);
  return v;
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
  router.use(express.json({ limit: '1mb' }));

  router.get('/state', (_req, res) => {
    res.json(emulator.state());
  });

  router.post('/people', (req, res) => {
    const b = objectBody(req);
    const type = str(b, 'type');
    if (type !== undefined && type !== 'person' && type !== 'bot')
      throw new ControlError(400, "type must be 'person' or 'bot'");
    res.status(201).json(
      emulator.createPerson({
        displayName: str(b, 'displayName', true),
        email: str(b, 'email', true),
        ...(type ? { type } : {}),
      }),
    );
  });

  router.post('/rooms', (req, res) => {
    const b = objectBody(req);
    const type = str(b, 'type', true);
    if (type !== 'direct' && type !== 'group') throw new ControlError(400, "type must be 'direct' or 'group'");
    const memberIds = b['memberIds'];
    if (!Array.isArray(memberIds) || !memberIds.every((id) => typeof id === 'string'))
      throw new ControlError(400, 'memberIds must be an array of person ids');
    const title = str(b, 'title');
    const room = emulator.createRoom({
      type,
      memberIds: memberIds as string[],
      ...(title !== undefined ? { title } : {}),
    });
    res.status(201).json(emulator.roomState(room.id));
  });

  router.get('/rooms/:roomId/messages', (req, res) => {
    res.json({ items: emulator.transcript(String(req.params['roomId'])) });
  });

  router.post('/rooms/:roomId/messages', async (req, res) => {
    const b = objectBody(req);
    const mention = b['mention'];
    if (mention !== undefined && typeof mention !== 'boolean') throw new ControlError(400, 'mention must be a boolean');
    const attachments = b['attachments'];
    if (attachments !== undefined && !Array.isArray(attachments))
      throw new ControlError(400, 'attachments must be an array');
    const input: SayInput = { personId: str(b, 'personId', true), roomId: String(req.params['roomId']) };
    const text = str(b, 'text');
    const markdown = str(b, 'markdown');
    const parentId = str(b, 'parentId');
    if (text !== undefined) input.text = text;
    if (markdown !== undefined) input.markdown = markdown;
    if (parentId !== undefined) input.parentId = parentId;
    if (mention !== undefined) input.mention = mention;
    if (attachments !== undefined) input.attachments = attachments as unknown[];
    res.status(201).json(await emulator.say(input));
  });

  router.post('/attachment-actions', async (req, res) => {
    const b = objectBody(req);
    const personId = str(b, 'personId', true);
    const messageId = str(b, 'messageId', true);
    if (b['type'] !== undefined && b['type'] !== 'submit') throw new ControlError(400, "type must be 'submit'");
    const inputs = b['inputs'];
    if (inputs === undefined || inputs === null)
      throw new ControlError(400, "inputs is required: an object with the card's input values (it may be empty)");
    if (typeof inputs !== 'object' || Array.isArray(inputs)) throw new ControlError(400, 'inputs must be an object');
    res.status(201).json(await emulator.submitCard({ personId, messageId, inputs: inputs as Record<string, unknown> }));
  });

  router.get('/events', (req, res) => {
    const kinds =
      typeof req.query['kinds'] === 'string'
        ? new Set(
            req.query['kinds']
              .split(',')
              .map((k) => k.trim())
              .filter(Boolean),
          )
        : undefined;
    sse.handle(req, res, kinds);
  });

  router.get('/faults', (_req, res) => {
    res.json({ items: emulator.faultRules() });
  });

  router.post('/faults', (req, res) => {
    try {
      emulator.faults.add(objectBody(req) as never);
    } catch (err) {
      if (err instanceof TypeError) throw new ControlError(400, err.message);
      throw err;
    }
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
    try {
      emulator.setLatency(objectBody(req)['latencyMs'] as number);
    } catch (err) {
      if (err instanceof TypeError) throw new ControlError(400, err.message);
      throw err;
    }
    res.json({ latencyMs: emulator.latencyMs });
  });

  router.get('/deliveries', (_req, res) => {
    res.json({ items: emulator.deliveries() });
  });

  router.post('/deliveries/:deliveryId/redeliver', async (req, res) => {
    let copies: DeliveryRecord[];
    try {
      copies = await emulator.redeliver(String(req.params['deliveryId']), objectBody(req) as RedeliverOptions);
    } catch (err) {
      if (err instanceof TypeError) throw new ControlError(400, err.message);
      throw err;
    }
    res.status(201).json({ items: copies });
  });

  router.get('/webhooks', (_req, res) => {
    res.json({ items: emulator.webhooks().map(publicWebhook) });
  });

  addSocketRoutes(router, emulator, (status, message) => {
    throw new ControlError(status, message);
  });

  // Webhooks changed behind the bot's back: marked inactive, pointed elsewhere, secret changed or removed, deleted.
  router.patch('/webhooks/:webhookId', (req, res) => {
    const b = objectBody(req);
    const change: WebhookChange = {};
    if (b['status'] !== undefined) change.status = b['status'] as WebhookChange['status'];
    if (b['targetUrl'] !== undefined) change.targetUrl = b['targetUrl'] as string;
    if ('secret' in b) change.secret = b['secret'] as string | null;
    try {
      res.json(publicWebhook(emulator.alterWebhook(String(req.params['webhookId']), change)));
    } catch (err) {
      if (err instanceof TypeError) throw new ControlError(400, err.message);
      throw err;
    }
  });

  router.delete('/webhooks/:webhookId', (req, res) => {
    emulator.removeWebhook(String(req.params['webhookId']));
    res.status(204).end();
  });

  router.use((req, res) => {
    res.status(404).json({ error: `No control endpoint ${req.method} ${req.originalUrl}` });
  });

  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof ControlError || err instanceof ApiError) {
      const status = err instanceof ControlError ? err.status : err.statusCode;
      res.status(status).json({ error: err.message });
      return;
    }
    const e = err as { type?: string; status?: number; message?: string };
    if (e.type === 'entity.parse.failed') {
      res.status(400).json({ error: `The body is not valid JSON: ${e.message ?? ''}` });
      return;
    }
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      res.status(e.status).json({ error: e.message ?? 'Bad request' });
      return;
    }
    log.error('emulator control request failed', { err });
    res.status(500).json({ error: 'The emulator failed to handle this control request' });
  });

  return router;
}
