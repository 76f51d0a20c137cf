/**
 * Reading control requests: the JSON object body, its string fields, and the error a bad one
 * gets (`ControlError`, answered as `{ error }` by `errors.ts`).
 */
import type { Request } from 'express';

/** A control request that cannot be served as sent. */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The body as an object (`{}` when there is none); 400 for any other JSON value. */
export function objectBody(req: Request): Record<string, unknown> {
  const b: unknown = req.body;
  if (b === undefined) return {};
  if (typeof b !== 'object' || b === null || Array.isArray(b))
    throw new ControlError(400, 'The body must be a JSON object');
  return b as Record<string, unknown>;
}

/** A string field of the body; 400 when it has another type (or, if required, is missing or empty). */
export function str(body: Record<string, unknown>, key: string, required: true): string;
export function str(body: Record<string, unknown>, key: string, required?: false): string | undefined;
export function str(body: Record<string, unknown>, key: string, required = false): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) {
    if (required) throw new ControlError(400, `${key} is required`);
    return undefined;
  }
  if (typeof v !== 'string' || (required && v === ''))
    throw new ControlError(400, `${key} must be a ${required ? 'non-empty ' : ''}string`);
  return v;
}

function typeErrorAs400(err: unknown): never {
  if (err instanceof TypeError) throw new ControlError(400, err.message);
  throw err;
}

/**
 * Runs `action`, turning the TypeError the in-process API throws (or rejects with) for bad input
 * into a 400.
 *
 * @example
 * const copies = await badInputAs400(() => emulator.redeliver(id, options));
 */
export function badInputAs400<T>(action: () => T): T {
  let result: T;
  try {
    result = action();
  } catch (err) {
    return typeErrorAs400(err);
  }
  return (result instanceof Promise ? result.catch(typeErrorAs400) : result) as T;
}
