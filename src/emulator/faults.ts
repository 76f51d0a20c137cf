/**
 * Fault injection for the REST API: rules that make the next N matching calls answer with an
 * error status (429 with `Retry-After`, 5xx...), answer slowly, or never answer — either instead
 * of serving the call (phase `before`) or after the call took effect (phase `after`).
 */
import { isRecord } from '../util/is-record.js';
import type { FaultPhase, FaultRule } from './types.js';

/** A validated rule with its remaining uses. */
export interface ActiveFault extends FaultRule {
  method: string;
  path: string;
  remaining: number;
  phase: FaultPhase;
}

const PHASES: readonly FaultPhase[] = ['before', 'after'];

/** Normalizes a path: no trailing slash, and `/v1` in front when left out. */
export function normalizeFaultPath(path: string): string {
  let p = path.trim().replace(/\/+$/, '') || '/';
  if (!p.startsWith('/')) p = `/${p}`;
  if (p !== '/v1' && !p.startsWith('/v1/')) p = `/v1${p}`;
  return p;
}

/** Checks a rule; throws a TypeError naming the problem. */
export function validateFault(rule: unknown): ActiveFault {
  if (!isRecord(rule)) throw new TypeError('a fault rule must be an object');
  const r = rule;
  if (typeof r['method'] !== 'string' || !/^([A-Za-z]+|\*)$/.test(r['method']))
    throw new TypeError('fault.method must be an HTTP method or *');
  if (typeof r['path'] !== 'string' || r['path'].trim() === '')
    throw new TypeError('fault.path must be a path such as /v1/messages/{id}');
  const count = r['count'] ?? 1;
  if (!Number.isInteger(count) || (count as number) < 1) throw new TypeError('fault.count must be a positive integer');
  const status = r['status'];
  if (status !== undefined && (!Number.isInteger(status) || (status as number) < 100 || (status as number) > 599))
    throw new TypeError('fault.status must be an HTTP status (100-599)');
  const retryAfter = r['retryAfter'];
  if (retryAfter !== undefined && (typeof retryAfter !== 'number' || !(retryAfter >= 0)))
    throw new TypeError('fault.retryAfter must be a number of seconds');
  const delayMs = r['delayMs'];
  if (delayMs !== undefined && (typeof delayMs !== 'number' || !(delayMs >= 0) || !Number.isFinite(delayMs)))
    throw new TypeError('fault.delayMs must be a non-negative number');
  const hang = r['hang'];
  if (hang !== undefined && typeof hang !== 'boolean') throw new TypeError('fault.hang must be a boolean');
  if (status === undefined && delayMs === undefined && hang !== true)
    throw new TypeError('a fault needs status, delayMs or hang: true');
  const phase = r['phase'] ?? 'before';
  if (!PHASES.includes(phase as FaultPhase))
    throw new TypeError(`fault.phase must be 'before' or 'after' (got ${JSON.stringify(phase)})`);
  return {
    method: r['method'].toUpperCase(),
    path: normalizeFaultPath(r['path']),
    remaining: count as number,
    phase: phase as FaultPhase,
    status: status as number | undefined,
    retryAfter: retryAfter ?? (status === 429 ? 1 : undefined),
    delayMs,
    // Absent rather than false: the control API lists rules as given.
    ...(hang ? { hang: true } : {}),
    body: structuredClone(r['body']),
  };
}

/** The pending fault rules of one emulator. */
export class FaultBook {
  private rules: ActiveFault[] = [];

  /** Adds a rule (see {@link FaultRule}); throws a TypeError when it is invalid. */
  add(rule: FaultRule): void {
    this.rules.push(validateFault(rule));
  }

  clear(): void {
    this.rules = [];
  }

  /** Pending rules, for inspection. */
  list(): ActiveFault[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /** Uses up the first rule matching the call (by exact path or by route template), if any. */
  take(method: string, path: string, template: string): ActiveFault | undefined {
    const i = this.rules.findIndex(
      (r) => (r.method === '*' || r.method === method) && (r.path === path || r.path === template),
    );
    const rule = this.rules[i];
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules.splice(i, 1);
    return { ...rule };
  }
}
