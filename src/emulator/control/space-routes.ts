/**
 * The control routes of people and spaces: who exists, who writes, who submits a card.
 *
 * - `GET /state` — the bot, the people (no tokens) and the spaces with their member ids;
 * - `POST /people` `{displayName, email, type?}`, `POST /rooms` `{type, title?, memberIds}`;
 * - `GET`/`POST /rooms/:roomId/messages` — the transcript; a person writes (`files: [{name, type?,
 *   base64}]` posts a file with the message);
 * - `POST /attachment-actions` `{personId, messageId, inputs, type?}` — a person submits a card.
 */
import type { Router } from 'express';
import type { SayInput } from '../types.js';
import type { ControlledEmulator } from './controlled.js';
import { ControlError, objectBody, str } from './request.js';

/** Adds `/state`, `/people` and `/rooms`. */
export function addSpaceRoutes(router: Router, emulator: ControlledEmulator): void {
  router.get('/state', (_req, res) => {
    res.json(emulator.state());
  });

  router.post('/people', (req, res) => {
    const b = objectBody(req);
    const type = str(b, 'type');
    if (type !== undefined && type !== 'person' && type !== 'bot')
      throw new ControlError(400, "type must be 'person' or 'bot'");
    const displayName = str(b, 'displayName', true);
    const email = str(b, 'email', true);
    res.status(201).json(emulator.createPerson({ displayName, email, type }));
  });

  router.post('/rooms', (req, res) => {
    const b = objectBody(req);
    const type = str(b, 'type', true);
    if (type !== 'direct' && type !== 'group') throw new ControlError(400, "type must be 'direct' or 'group'");
    const memberIds = b['memberIds'];
    if (!Array.isArray(memberIds) || !memberIds.every((id) => typeof id === 'string'))
      throw new ControlError(400, 'memberIds must be an array of person ids');
    const title = str(b, 'title');
    const room = emulator.createRoom({ type, memberIds, title });
    res.status(201).json(emulator.roomState(room.id));
  });
}

/** What a person says, from a `POST /rooms/:roomId/messages` body. */
function sayInput(roomId: string, b: Record<string, unknown>): SayInput {
  const mention = b['mention'];
  if (mention !== undefined && typeof mention !== 'boolean') throw new ControlError(400, 'mention must be a boolean');
  const attachments = b['attachments'];
  if (attachments !== undefined && !Array.isArray(attachments))
    throw new ControlError(400, 'attachments must be an array');
  const input: SayInput = { personId: str(b, 'personId', true), roomId };
  const text = str(b, 'text');
  const markdown = str(b, 'markdown');
  const parentId = str(b, 'parentId');
  if (text !== undefined) input.text = text;
  if (markdown !== undefined) input.markdown = markdown;
  if (parentId !== undefined) input.parentId = parentId;
  if (mention !== undefined) input.mention = mention;
  if (attachments !== undefined) input.attachments = attachments;
  const files = filesOf(b['files']);
  if (files) input.files = files;
  return input;
}

/** `files: [{ name, type?, base64 }]` of a `POST /rooms/:roomId/messages` body. */
function filesOf(value: unknown): SayInput['files'] {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new ControlError(400, 'files must be an array of { name, type?, base64 }');
  return value.map((f: unknown, i) => {
    if (typeof f !== 'object' || f === null || Array.isArray(f))
      throw new ControlError(400, `files[${i}] must be an object { name, type?, base64 }`);
    const file = f as Record<string, unknown>;
    const base64 = str(file, 'base64', true);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) throw new ControlError(400, `files[${i}].base64 is not base64`);
    return { name: str(file, 'name', true), type: str(file, 'type'), data: Buffer.from(base64, 'base64') };
  });
}

/** Adds the transcript, speaking as a person and submitting a card as one. */
export function addConversationRoutes(router: Router, emulator: ControlledEmulator): void {
  router.get('/rooms/:roomId/messages', (req, res) => {
    res.json({ items: emulator.transcript(String(req.params['roomId'])) });
  });

  router.post('/rooms/:roomId/messages', async (req, res) => {
    res.status(201).json(await emulator.say(sayInput(String(req.params['roomId']), objectBody(req))));
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
}
