/**
 * Running an action at most once per key, on any {@link KeyValueStore}: the side effect of an
 * event handler that may run again (after a crash, on another instance after a takeover) happens
 * once, and the run again gets the first run's result.
 *
 * A key's record is `{"running": <token>}` while the action runs (a claim that lasts `leaseMs`:
 * if the process dies, the key is free again after it) and `{"done": true, "result": …}` after,
 * for `ttlMs`.
 */
import { randomUUID } from 'node:crypto';
import { BotError } from '../errors.js';
import { isRecord } from '../util/is-record.js';
import type { KeyValueStore } from './types.js';

/** Options of {@link once}. */
export interface OnceOptions {
  /** How long the result is kept (and the action not run again). */
  readonly ttlMs: number;
  /**
   * How long a run may take before the key counts as abandoned (its process died) and another
   * call may run the action (default 60 s).
   */
  readonly leaseMs?: number;
}

const DEFAULT_LEASE_MS = 60_000;

const isDone = (record: unknown): record is { done: true; result?: unknown } =>
  isRecord(record) && record['done'] === true;

/**
 * Runs `fn` unless a run for `key` has already finished, and returns its result (JSON data; a
 * later call gets a copy of it). Of concurrent calls one runs `fn`, the others wait for its
 * result. If `fn` throws, the key is released (a later call runs it) and the error is rethrown.
 *
 * @throws {TypeError} when `fn`'s result is not JSON data (it ran, and will not run again).
 * @throws {BotError} `STATE_FAILED` when another run held the key for more than twice its lease.
 * @example
 * const id = await once(store, `create:${actionId}`, () => createRecord(), { ttlMs: 86_400_000 });
 */
export async function once<T>(
  store: KeyValueStore,
  key: string,
  fn: () => T | Promise<T>,
  options: OnceOptions,
): Promise<T> {
  if (typeof fn !== 'function') throw new TypeError(`once("${key}"): pass the function to run`);
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const token = randomUUID();
  const giveUpAt = Date.now() + 2 * leaseMs;
  let pauseMs = 10;
  for (;;) {
    if (await store.claim(key, { running: token }, { ttlMs: leaseMs }))
      return run(store, key, fn, token, options.ttlMs);
    const record = await store.get(key);
    if (isDone(record)) return record.result as T;
    if (record === undefined) continue; // released, or its lease ran out: try again
    if (Date.now() > giveUpAt)
      throw new BotError('STATE_FAILED', `once("${key}"): another run has held it for more than ${2 * leaseMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
    pauseMs = Math.min(pauseMs * 2, 250);
  }
}

async function run<T>(
  store: KeyValueStore,
  key: string,
  fn: () => T | Promise<T>,
  token: string,
  ttlMs: number,
): Promise<T> {
  let result: T;
  try {
    result = await fn();
  } catch (err) {
    // Released only if still ours (not taken over after the lease ran out).
    await store
      .update(key, (current) => (isRecord(current) && current['running'] === token ? undefined : current))
      .catch(() => undefined);
    throw err;
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(result);
  } catch {
    json = undefined;
  }
  if (json === undefined && result !== undefined) {
    await store.set(key, { done: true }, { ttlMs });
    throw new TypeError(`once("${key}"): the result is not JSON data (the action ran, and will not run again)`);
  }
  await store.set(key, json === undefined ? { done: true } : { done: true, result: JSON.parse(json) }, { ttlMs });
  return json === undefined ? (undefined as T) : (JSON.parse(json) as T);
}
