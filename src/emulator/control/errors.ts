/**
 * How the control API answers what it cannot serve: 404 for an unknown endpoint, and
 * `{ error }` with the status and reason for a bad request; 500 (logged) for anything unexpected.
 */
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../../logging.js';
import { ApiError } from '../errors.js';
import { ControlError } from './request.js';

/** The last route: no control endpoint matched. */
export function unknownEndpoint(req: Request, res: Response): void {
  res.status(404).json({ error: `No control endpoint ${req.method} ${req.originalUrl}` });
}

/**
 * The error handler of the control router.
 *
 * @example
 * router.use(controlErrorHandler(log));
 */
export function controlErrorHandler(
  log: Logger,
): (err: unknown, req: Request, res: Response, next: NextFunction) => void {
  return (err, _req, res, _next) => {
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
  };
}
