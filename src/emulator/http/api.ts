/**
 * The REST API request pipeline under `/v1`, in Webex's manner:
 * count the call → added latency, if any → injected fault, if any → bearer token (401) → JSON body (400/413) → route
 * → after-phase fault, if any (the call took effect; its answer is delayed, replaced or dropped).
 * Every answer carries a `TrackingID` header; errors carry Webex's error body.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { ApiError, errorBody, STATUS_MESSAGES } from '../errors.js';
import type { ActiveFault, FaultBook } from '../faults.js';
import { mintTrackingId } from '../ids.js';
import type { Core } from '../service/core.js';
import type { TimerSet } from '../timers.js';
import type { ApiCallEvent, FaultPhase, Person } from '../types.js';
import { isRecord } from '../../util/is-record.js';
import type { CallCounter } from './calls.js';
import { callConcerns } from './concerns.js';
import type { Latency } from './latency.js';
import { normalizePath, type ApiResponse, type Router } from './router.js';

/** Largest request body accepted (a card with its data fits many times over). */
const BODY_LIMIT = 1024 * 1024;

/** What the pipeline needs from the emulator. */
export interface ApiDeps {
  core: Core;
  router: Router;
  faults: FaultBook;
  calls: CallCounter;
  timers: TimerSet;
  /** Every call waits this long before it is served (a round trip to Webex). */
  latency: Latency;
  /** Used for `Link` URLs when the request has no usable Host header. */
  fallbackOrigin: () => string;
}

function send(res: ServerResponse, r: ApiResponse): void {
  if (res.headersSent || res.destroyed) return;
  for (const [k, v] of Object.entries(r.headers ?? {})) res.setHeader(k, v);
  if (r.status === 204 || r.body === undefined) {
    res.statusCode = r.status;
    res.end();
    return;
  }
  const json = JSON.stringify(r.body);
  res.statusCode = r.status;
  res.setHeader('Content-Type', 'application/json;charset=UTF-8');
  res.setHeader('Content-Length', Buffer.byteLength(json));
  res.end(json);
}

function errorAnswer(
  status: number,
  message: string,
  trackingId: string,
  headers: Record<string, string> = {},
): ApiResponse {
  return { status, body: errorBody(message, trackingId), headers };
}

function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > BODY_LIMIT) tooLarge = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function trackingIdOf(req: IncomingMessage): string {
  const given = req.headers['trackingid'];
  return typeof given === 'string' && /^[\w.:-]{1,200}$/.test(given) ? given : mintTrackingId();
}

function originOf(req: IncomingMessage, fallback: () => string): string {
  const host = req.headers.host;
  return host && /^[A-Za-z0-9.\-[\]:]+$/.test(host) ? `http://${host}` : fallback();
}

/**
 * The `/v1` request handler (usable as express middleware or a plain node handler).
 *
 * @example
 * app.use('/v1', createApiHandler(deps));
 */
export function createApiHandler(deps: ApiDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const { core, router, faults, calls, timers, latency } = deps;
  return (req, res) => {
    const started = performance.now();
    const url = new URL(
      (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/',
      'http://emulator.invalid',
    );
    const path = normalizePath(url.pathname);
    const method = (req.method ?? 'GET').toUpperCase();
    const match = router.match(method, path);
    const route = match.template ?? path;
    calls.count(`${method} ${route}`);
    const trackingId = trackingIdOf(req);
    res.setHeader('TrackingID', trackingId);
    let caller: Person | undefined;
    let fault: ApiCallEvent['fault'];
    let faultPhase: FaultPhase | undefined;
    let servedStatus: number | undefined;
    let requestBody: Record<string, unknown> = {};
    let responseBody: unknown;
    res.on('close', () => {
      const status = res.headersSent ? res.statusCode : 0;
      // What the call did (an after-phase fault hides it from the client, not from the viewer).
      const concerns = callConcerns({
        method,
        route,
        params: match.params,
        query: url.searchParams,
        requestBody,
        status: servedStatus ?? status,
        responseBody,
      });
      core.bus.emit({
        kind: 'api-call',
        method,
        route,
        path: url.pathname + url.search,
        status,
        ...(caller ? { callerId: caller.id } : {}),
        ...concerns,
        trackingId,
        ms: Math.round(performance.now() - started),
        ...(fault ? { fault, faultPhase } : {}),
        ...(servedStatus !== undefined ? { servedStatus } : {}),
      });
    });

    /** Applies a fault's delay, then its hang or status; true when that settled the call. */
    const applyFault = async (rule: ActiveFault): Promise<boolean> => {
      faultPhase = rule.phase;
      if (rule.delayMs !== undefined) {
        fault = 'delay';
        if (!(await timers.delay(rule.delayMs))) return true; // the emulator stopped
      }
      if (rule.hang) {
        fault = 'hang';
        req.resume();
        return true; // never answered: the client times out, or stop() closes the socket
      }
      if (rule.status !== undefined) {
        fault = 'status';
        const headers: Record<string, string> =
          rule.retryAfter !== undefined ? { 'Retry-After': String(rule.retryAfter) } : {};
        const body = rule.body ?? errorBody(STATUS_MESSAGES[rule.status] ?? `HTTP ${rule.status}`, trackingId);
        req.resume();
        send(res, { status: rule.status, body, headers });
        return true;
      }
      return false;
    };

    /** Serves the call: route, token, body, handler. Errors become Webex error answers. */
    const serve = async (): Promise<ApiResponse> => {
      if (!match.template) {
        req.resume();
        return errorAnswer(
          404,
          `The requested resource could not be found: the emulator has no endpoint ${method} ${path}`,
          trackingId,
        );
      }
      if (!match.route) {
        req.resume();
        return errorAnswer(405, `${method} is not supported on ${route} by the emulator`, trackingId, {
          Allow: (match.allowed ?? []).join(', '),
        });
      }
      if (!match.route.public) {
        const auth = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
        caller = auth?.[1] ? core.store.personByToken(auth[1]) : undefined;
        if (!caller) {
          req.resume();
          return errorAnswer(401, STATUS_MESSAGES[401]!, trackingId);
        }
      }
      let body: Record<string, unknown> = {};
      const raw = await readBody(req);
      if (raw === 'too-large') return errorAnswer(413, STATUS_MESSAGES[413]!, trackingId);
      if ((method === 'POST' || method === 'PUT') && raw.length > 0) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(raw.toString('utf8'));
        } catch {
          return errorAnswer(400, 'The request body is not valid JSON', trackingId);
        }
        if (!isRecord(parsed)) return errorAnswer(400, 'The request body must be a JSON object', trackingId);
        body = parsed;
        requestBody = body;
      }
      try {
        const result = match.route.handle({
          core,
          caller,
          method,
          path,
          query: url.searchParams,
          params: match.params,
          body,
          origin: originOf(req, deps.fallbackOrigin),
        });
        responseBody = result.body;
        return result;
      } catch (err) {
        if (err instanceof ApiError) return errorAnswer(err.statusCode, err.message, trackingId);
        throw err;
      }
    };

    const run = async (): Promise<void> => {
      const wait = latency.ms;
      if (wait > 0 && !(await timers.delay(wait))) return; // the emulator stopped
      const rule = faults.take(method, path, route);
      if (rule?.phase === 'before' && (await applyFault(rule))) return;
      const answer = await serve();
      if (rule?.phase === 'after') {
        servedStatus = answer.status;
        if (await applyFault(rule)) return;
      }
      send(res, answer);
    };

    run().catch((err: unknown) => {
      if (err instanceof ApiError) return send(res, errorAnswer(err.statusCode, err.message, trackingId));
      core.log.error('emulator REST handler failed', { method, route, err });
      send(res, errorAnswer(500, STATUS_MESSAGES[500]!, trackingId));
    });
  };
}
