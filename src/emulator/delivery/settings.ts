/**
 * Delivery knobs, validated: the emulator-wide `DeliveryOptions` (timeouts, retries, when a
 * webhook goes inactive, twin deliveries) and the options of one `redeliver` call. Bad values
 * throw a TypeError naming the option, so that a test's typo fails loudly.
 */
import { isRecord } from '../../util/is-record.js';
import type { DeliveryOptions, DuplicateOptions, RedeliverOptions } from '../types.js';

/** Twin deliveries with every default filled in. */
export interface DuplicateSettings {
  rate: number;
  /** Probability (0..1) that a twin is sent at the same moment as the original. */
  concurrentProbability: number;
  delayMs: number;
  seed?: number;
}

/** Delivery settings with every default filled in; no `duplicates` means none. */
export type DeliverySettings = Required<Omit<DeliveryOptions, 'duplicates'>> & { duplicates?: DuplicateSettings };

/** Defaults: Webex does not publish its own; these keep a dead bot from being hammered. */
export const DEFAULT_DELIVERY: Readonly<DeliverySettings> = {
  timeoutMs: 5000,
  retryDelaysMs: [500, 2000, 5000],
  inactiveAfterFailures: 5,
};

/** Most copies one `redeliver` call may ask for. */
export const MAX_REDELIVER_COPIES = 100;

const isMs = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isProbability = (v: unknown): v is number => typeof v === 'number' && v >= 0 && v <= 1;

/** Throws when `value` has a key outside `known` (a misspelt option would otherwise be ignored). */
function refuseUnknownKeys(value: Record<string, unknown>, known: readonly string[], what: string): void {
  const unknown = Object.keys(value).filter((k) => !known.includes(k));
  if (unknown.length) throw new TypeError(`${what}: unknown option ${unknown.join(', ')} (known: ${known.join(', ')})`);
}

/** Validates delivery options (throws a TypeError naming the bad one) and fills in defaults. */
export function deliverySettings(options: DeliveryOptions = {}): DeliverySettings {
  const { duplicates, ...rest } = options;
  const s = { ...DEFAULT_DELIVERY, ...rest };
  if (!isMs(s.timeoutMs) || s.timeoutMs === 0)
    throw new TypeError(`delivery.timeoutMs must be a positive number (got ${String(s.timeoutMs)})`);
  if (!Array.isArray(s.retryDelaysMs) || !s.retryDelaysMs.every(isMs))
    throw new TypeError('delivery.retryDelaysMs must be an array of non-negative numbers');
  if (!Number.isInteger(s.inactiveAfterFailures) || s.inactiveAfterFailures < 1) {
    throw new TypeError(
      `delivery.inactiveAfterFailures must be a positive integer (got ${String(s.inactiveAfterFailures)})`,
    );
  }
  const settings: DeliverySettings = { ...s, retryDelaysMs: [...s.retryDelaysMs] };
  if (duplicates !== undefined) settings.duplicates = duplicateSettings(duplicates);
  return settings;
}

/** Validates `delivery.duplicates` and fills in defaults. */
export function duplicateSettings(options: DuplicateOptions): DuplicateSettings {
  if (!isRecord(options)) throw new TypeError('delivery.duplicates must be an object such as { rate: 0.1 }');
  refuseUnknownKeys(options, ['rate', 'concurrent', 'delayMs', 'seed'], 'delivery.duplicates');
  const { rate, concurrent = false, delayMs = 0, seed } = options;
  if (!isProbability(rate))
    throw new TypeError(`delivery.duplicates.rate must be a number from 0 to 1 (got ${String(rate)})`);
  if (typeof concurrent !== 'boolean' && !isProbability(concurrent)) {
    throw new TypeError(
      `delivery.duplicates.concurrent must be a boolean or a probability from 0 to 1 (got ${String(concurrent)})`,
    );
  }
  if (!isMs(delayMs))
    throw new TypeError(`delivery.duplicates.delayMs must be a non-negative number (got ${String(delayMs)})`);
  if (seed !== undefined && !Number.isSafeInteger(seed))
    throw new TypeError(`delivery.duplicates.seed must be an integer (got ${String(seed)})`);
  return {
    rate,
    concurrentProbability: typeof concurrent === 'number' ? concurrent : concurrent ? 1 : 0,
    delayMs,
    seed,
  };
}

/** Validates the options of one `redeliver` call and fills in defaults (one copy, sequential). */
export function redeliverSettings(options: unknown = {}): Required<RedeliverOptions> {
  if (!isRecord(options))
    throw new TypeError('redeliver: options must be an object such as { copies: 2, concurrent: true }');
  refuseUnknownKeys(options, ['copies', 'concurrent'], 'redeliver');
  const { copies = 1, concurrent = false } = options;
  if (!Number.isInteger(copies) || (copies as number) < 1 || (copies as number) > MAX_REDELIVER_COPIES) {
    throw new TypeError(
      `redeliver: copies must be an integer from 1 to ${MAX_REDELIVER_COPIES} (got ${JSON.stringify(copies)})`,
    );
  }
  if (typeof concurrent !== 'boolean')
    throw new TypeError(`redeliver: concurrent must be a boolean (got ${JSON.stringify(concurrent)})`);
  return { copies: copies as number, concurrent };
}
