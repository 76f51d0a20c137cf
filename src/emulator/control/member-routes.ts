/**
 * The control routes of members and files: who is added to or removed from a space (the bot
 * included: that is how it is added to a space), and the files posted with messages.
 *
 * - `POST /rooms/:roomId/members` `{personId, actorId}` — `actorId` adds `personId` to the group space;
 * - `DELETE /rooms/:roomId/members/:personId?actorId=…` — `actorId` removes them (themselves: they leave);
 * - `GET`/`HEAD /contents/:contentId` — a file posted with a message, with its name, type and size
 *   in the headers (for the chat page, which has no token; the control API serves this machine only).
 */
import type { Router } from 'express';
import contentDisposition from 'content-disposition';
import type { ControlledEmulator } from './controlled.js';
import { ControlError, objectBody, str } from './request.js';

/** Adds `/rooms/:roomId/members` and `/contents/:contentId`. */
export function addMemberRoutes(router: Router, emulator: ControlledEmulator): void {
  router.post('/rooms/:roomId/members', (req, res) => {
    const b = objectBody(req);
    const membership = emulator.addMember({
      roomId: String(req.params['roomId']),
      personId: str(b, 'personId', true),
      actorId: str(b, 'actorId', true),
    });
    res.status(201).json(membership);
  });

  router.delete('/rooms/:roomId/members/:personId', (req, res) => {
    const actorId = req.query['actorId'];
    if (typeof actorId !== 'string' || actorId === '')
      throw new ControlError(400, 'actorId is required (a query parameter): the member who removes the person');
    emulator.removeMember({ roomId: String(req.params['roomId']), personId: String(req.params['personId']), actorId });
    res.status(204).end();
  });

  router.get('/contents/:contentId', (req, res) => {
    const file = emulator.file(String(req.params['contentId']));
    if (!file) throw new ControlError(404, `No file with id ${String(req.params['contentId'])}`);
    res.setHeader('Content-Type', file.type);
    res.setHeader('Content-Disposition', contentDisposition(file.name, { type: 'attachment' }));
    res.setHeader('Content-Length', String(file.bytes.length));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.end(file.bytes);
  });
}
