/**
 * The outbound governor: every Webex call the bot makes — the framework's and the SDK's reads,
 * registration, replies — goes through {@link WebexCallGovernor.call}, which applies one policy:
 *
 * - each attempt has a timeout (the SDK has none);
 * - 429: wait as `Retry-After` says (bounded, with jitter) and retry, whatever the method: a 429
 *   means Webex did nothing;
 * - 5xx, resets and timeouts: retried with backoff for idempotent methods only; a POST is retried
 *   only when it provably never reached Webex (connection refused, name not resolved...), so a
 *   reply is never posted twice by a retry here;
 * - 401: no retry; the token is marked rejected (see {@link TokenHealth});
 * - everything within a time budget per call.
 *
 * The retry loop is written here rather than taken from a retry library: the decisions (per
 * failure kind, per method, the wait from each answer's `Retry-After`) are the whole of it, and
 * a library would only have run the loop around them.
 */
import { isBotError, TokenRejectedError } from '../errors.js';
import { eventLogOr } from '../log-context.js';
import type { Logger } from '../logging.js';
import { NO_METRICS, type BotMetrics, type WebexCallStatus, type WebexRetryReason } from '../metrics/types.js';
import { withDeadline } from './deadline.js';
import { classifyFailure, isIdempotent, type CallFailure } from './failure.js';
import { backoffWait, DEFAULT_RATE_LIMIT_WAITS, rateLimitWait, type RateLimitWaits } from './retry-after.js';
import type { TokenHealth } from './token-health.js';

/** The governor's limits. */
export interface GovernorPolicy {
  /** Longest wait for one attempt's answer. */
  readonly callTimeoutMs: number;
  /** Longest time for one call, all attempts and waits included. */
  readonly budgetMs: number;
  /** Retries after 5xx or network errors (idempotent methods, or a request that never left). */
  readonly maxRetries: number;
  /** Retries after 429s. */
  readonly maxRateLimitRetries: number;
  /** Backoff between retries after 5xx or network errors. */
  readonly backoff: { readonly initialMs: number; readonly maxMs: number };
  /** Waits after 429s. */
  readonly rateLimit: RateLimitWaits;
}

/** Defaults: 10 s per attempt, 30 s per call, 3 retries, 5 after 429s. */
export const DEFAULT_GOVERNOR_POLICY: GovernorPolicy = {
  callTimeoutMs: 10_000,
  budgetMs: 30_000,
  maxRetries: 3,
  maxRateLimitRetries: 5,
  backoff: { initialMs: 250, maxMs: 4000 },
  rateLimit: DEFAULT_RATE_LIMIT_WAITS,
};

/** What is being called, for logs: `GET`, `/messages/{id}`. */
export interface CallDescription {
  readonly method: string;
  readonly route: string;
}

/** Collaborators of the governor (replaceable in tests). */
export interface GovernorDeps {
  readonly log: Logger;
  readonly token: TokenHealth;
  readonly random?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  /** Told of every attempt and retry (default: nothing is measured). */
  readonly metrics?: Pick<BotMetrics, 'webexCall' | 'webexRetry'>;
}

/** The status of a failed attempt, for metrics: the HTTP status, `timeout`, or `network_error`. */
export function failureStatus(failure: CallFailure): WebexCallStatus {
  switch (failure.kind) {
    case 'rate-limited':
      return '429';
    case 'unauthorized':
      return '401';
    case 'final':
      return String(failure.status);
    default: {
      const http = /^HTTP (\d{3})$/.exec(failure.reason);
      if (http) return http[1]!;
      return failure.reason === 'timeout' || failure.reason === 'ETIMEDOUT' || failure.reason === 'ESOCKETTIMEDOUT'
        ? 'timeout'
        : 'network_error';
    }
  }
}

/** The status of a successful attempt: the SDK's answer carries `statusCode`. */
function successStatus(result: unknown): WebexCallStatus {
  const code =
    typeof result === 'object' && result !== null ? (result as { statusCode?: unknown }).statusCode : undefined;
  return typeof code === 'number' ? String(code) : 'ok';
}

const RETRY_REASONS: Record<string, WebexRetryReason> = {
  'rate-limited': 'rate_limited',
  transient: 'transient',
  'not-sent': 'not_sent',
};

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Applies {@link GovernorPolicy} to Webex calls. */
export class WebexCallGovernor {
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly metrics: Pick<BotMetrics, 'webexCall' | 'webexRetry'>;

  constructor(
    readonly policy: GovernorPolicy,
    private readonly deps: GovernorDeps,
  ) {
    this.random = deps.random ?? Math.random;
    this.sleep = deps.sleep ?? realSleep;
    this.now = deps.now ?? Date.now;
    this.metrics = deps.metrics ?? NO_METRICS;
  }

  /**
   * Runs `send` (one attempt, given the time it may take) until it succeeds or the policy says
   * to stop; rejects with the last attempt's error.
   */
  async call<T>(what: CallDescription, send: (timeoutMs: number) => Promise<T>): Promise<T> {
    const { policy, deps } = this;
    const started = this.now();
    const tries: Tries = { retries: 0, rateLimited: 0 };
    for (let attempt = 1; ; attempt++) {
      if (!deps.token.mayCall()) throw new TokenRejectedError(`${what.method} ${what.route}`);
      const timeoutMs = Math.max(1, Math.min(policy.callTimeoutMs, policy.budgetMs - (this.now() - started)));
      const outcome = await this.attempt(what, send, timeoutMs);
      if (outcome.ok) return outcome.result;
      const { failure, error } = outcome;
      this.tellToken(failure);
      if (failure.kind === 'unauthorized') throw error;
      const waitMs = this.waitBeforeRetry(failure, what, tries);
      const elapsed = this.now() - started;
      if (waitMs === undefined || elapsed + waitMs >= policy.budgetMs) {
        if (attempt > 1)
          eventLogOr(deps.log).warn('Webex call failed, giving up', {
            method: what.method,
            route: what.route,
            attempts: attempt,
            failure: describe(failure),
            ms: elapsed,
          });
        throw error;
      }
      eventLogOr(deps.log).warn(
        failure.kind === 'rate-limited' ? 'Webex rate-limited a call; retrying' : 'Webex call failed; retrying',
        { method: what.method, route: what.route, attempt, failure: describe(failure), waitMs },
      );
      this.metrics.webexRetry(what.method, what.route, RETRY_REASONS[failure.kind] ?? 'transient');
      await this.sleep(waitMs);
    }
  }

  /** One attempt, measured: its result, or how it failed. */
  private async attempt<T>(
    what: CallDescription,
    send: (timeoutMs: number) => Promise<T>,
    timeoutMs: number,
  ): Promise<{ ok: true; result: T } | { ok: false; failure: CallFailure; error: unknown }> {
    const attemptStarted = this.now();
    try {
      // The SDK's own timeout covers the wait for an answer; the deadline is a safety net above it.
      const result = await withDeadline(send(timeoutMs), timeoutMs + 1000, `${what.method} ${what.route}`);
      this.metrics.webexCall(what.method, what.route, successStatus(result), (this.now() - attemptStarted) / 1000);
      this.deps.token.passed();
      return { ok: true, result };
    } catch (error) {
      const failure: CallFailure = isBotError(error, 'WEBEX_TIMEOUT')
        ? { kind: 'transient', reason: 'timeout' }
        : classifyFailure(error);
      this.metrics.webexCall(what.method, what.route, failureStatus(failure), (this.now() - attemptStarted) / 1000);
      return { ok: false, failure, error };
    }
  }

  /** What a failure says of the token: rejected (401), fine (Webex answered), or nothing known. */
  private tellToken(failure: CallFailure): void {
    const { token } = this.deps;
    if (failure.kind === 'unauthorized') token.rejected();
    else if (
      failure.kind === 'rate-limited' ||
      failure.kind === 'final' ||
      (failure.kind === 'transient' && /^HTTP/.test(failure.reason))
    )
      token.passed();
    else token.inconclusive();
  }

  /** The wait before trying again (counted in `tries`), or `undefined` when the policy says not to. */
  private waitBeforeRetry(failure: CallFailure, what: CallDescription, tries: Tries): number | undefined {
    const { policy } = this;
    if (failure.kind === 'rate-limited' && tries.rateLimited < policy.maxRateLimitRetries) {
      tries.rateLimited++;
      return rateLimitWait(failure.retryAfter, policy.rateLimit, this.random);
    }
    if (
      (failure.kind === 'not-sent' || (failure.kind === 'transient' && isIdempotent(what.method))) &&
      tries.retries < policy.maxRetries
    ) {
      tries.retries++;
      return backoffWait(tries.retries, policy.backoff, this.random);
    }
    return undefined;
  }
}

/** Retries made so far in one call: after failures, and after 429s (counted apart). */
interface Tries {
  retries: number;
  rateLimited: number;
}

function describe(f: CallFailure): string {
  switch (f.kind) {
    case 'rate-limited':
      return `429 (Retry-After: ${f.retryAfter ?? 'none'})`;
    case 'unauthorized':
      return '401';
    case 'final':
      return `HTTP ${f.status}`;
    default:
      return f.reason;
  }
}
