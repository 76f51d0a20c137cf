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
import { isMultipart, readMultipart } from './multipart.js';
import type { Upload } from '../service/contents.js';
import { normalizePath, type ApiResponse, type RouteMatch, type Router } from './router.js';

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
  if (r.raw !== undefined) {
    // Bytes as they are (a file), with the headers the route set; a HEAD answer sends none of them.
    res.statusCode = r.status;
    res.end(r.raw);
    return;
  }
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

/** One REST call on its way through the pipeline, with what its `api-call` event reports. */
class ApiCall {
  private readonly started = performance.now();
  private readonly url: URL;
  private readonly path: string;
  private readonly method: string;
  private readonly match: RouteMatch;
  private readonly route: string;
  private readonly trackingId: string;
  private caller: Person | undefined;
  private fault: ApiCallEvent['fault'];
  private faultPhase: FaultPhase | undefined;
  private servedStatus: number | undefined;
  private requestBody: Record<string, unknown> = {};
  private uploads: Upload[] = [];
  private responseBody: unknown;

  constructor(
    private readonly deps: ApiDeps,
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
  ) {
    this.url = new URL(
      (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/',
      'http://emulator.invalid',
    );
    this.path = normalizePath(this.url.pathname);
    this.method = (req.method ?? 'GET').toUpperCase();
    this.match = deps.router.match(this.method, this.path);
    this.route = this.match.template ?? this.path;
    this.trackingId = trackingIdOf(req);
  }

  /** Counts the call, reports it once answered (or abandoned), and serves it. */
  start(): void {
    this.deps.calls.count(`${this.method} ${this.route}`);
    this.res.setHeader('TrackingID', this.trackingId);
    this.res.on('close', () => this.report());
    this.run().catch((err: unknown) => {
      if (err instanceof ApiError) return send(this.res, this.error(err.statusCode, err.message));
      this.deps.core.log.error('emulator REST handler failed', { method: this.method, route: this.route, err });
      send(this.res, this.error(500, STATUS_MESSAGES[500]!));
    });
  }

  /** Latency, then a before-phase fault, the call itself, and an after-phase fault. */
  private async run(): Promise<void> {
    const { latency, timers, faults } = this.deps;
    const wait = latency.ms;
    if (wait > 0 && !(await timers.delay(wait))) return; // the emulator stopped
    const rule = faults.take(this.method, this.path, this.route);
    if (rule?.phase === 'before' && (await this.applyFault(rule))) return;
    const answer = await this.serve();
    if (rule?.phase === 'after') {
      this.servedStatus = answer.status;
      if (await this.applyFault(rule)) return;
    }
    send(this.res, answer);
  }

  /** Emits the `api-call` event, with what the call concerns. */
  private report(): void {
    const { res } = this;
    const status = res.headersSent ? res.statusCode : 0;
    // What the call did (an after-phase fault hides it from the client, not from the viewer).
    const concerns = callConcerns({
      method: this.method,
      route: this.route,
      params: this.match.params,
      query: this.url.searchParams,
      requestBody: this.requestBody,
      status: this.servedStatus ?? status,
      responseBody: this.responseBody,
    });
    this.deps.core.bus.emit({
      kind: 'api-call',
      method: this.method,
      route: this.route,
      path: this.url.pathname + this.url.search,
      status,
      ...(this.caller ? { callerId: this.caller.id } : {}),
      ...concerns,
      trackingId: this.trackingId,
      ms: Math.round(performance.now() - this.started),
      ...(this.fault ? { fault: this.fault, faultPhase: this.faultPhase } : {}),
      ...(this.servedStatus !== undefined ? { servedStatus: this.servedStatus } : {}),
    });
  }

  /** Applies a fault's delay, then its hang or status; true when that settled the call. */
  private async applyFault(rule: ActiveFault): Promise<boolean> {
    this.faultPhase = rule.phase;
    if (rule.delayMs !== undefined) {
      this.fault = 'delay';
      if (!(await this.deps.timers.delay(rule.delayMs))) return true; // the emulator stopped
    }
    if (rule.hang) {
      this.fault = 'hang';
      this.req.resume();
      return true; // never answered: the client times out, or stop() closes the socket
    }
    if (rule.status === undefined) return false;
    this.fault = 'status';
    const headers: Record<string, string> =
      rule.retryAfter !== undefined ? { 'Retry-After': String(rule.retryAfter) } : {};
    const body = rule.body ?? errorBody(STATUS_MESSAGES[rule.status] ?? `HTTP ${rule.status}`, this.trackingId);
    this.req.resume();
    send(this.res, { status: rule.status, body, headers });
    return true;
  }

  /** Serves the call: route, token, body, handler. Errors become Webex error answers. */
  private async serve(): Promise<ApiResponse> {
    const { match, method } = this;
    const refusal = this.unroutable() ?? this.unauthenticated();
    if (refusal) {
      this.req.resume();
      return refusal;
    }
    const read = await this.readJsonBody();
    if ('refusal' in read) return read.refusal;
    const { body } = read;
    this.requestBody = body;
    try {
      const result = match.route!.handle({
        core: this.deps.core,
        caller: this.caller,
        method,
        path: this.path,
        query: this.url.searchParams,
        params: match.params,
        body,
        uploads: this.uploads,
        origin: originOf(this.req, this.deps.fallbackOrigin),
      });
      this.responseBody = result.body;
      return result;
    } catch (err) {
      if (err instanceof ApiError) return this.error(err.statusCode, err.message);
      throw err;
    }
  }

  /** 404 for an unknown path, 405 for a method the path does not support. */
  private unroutable(): ApiResponse | undefined {
    const { match, method, path } = this;
    if (!match.template)
      return this.error(
        404,
        `The requested resource could not be found: the emulator has no endpoint ${method} ${path}`,
      );
    if (!match.route)
      return this.error(405, `${method} is not supported on ${this.route} by the emulator`, {
        Allow: (match.allowed ?? []).join(', '),
      });
    return undefined;
  }

  /** 401 unless the route is public or the bearer token is a known person's (then `caller`). */
  private unauthenticated(): ApiResponse | undefined {
    if (this.match.route?.public) return undefined;
    const auth = /^Bearer\s+(\S+)\s*$/i.exec(this.req.headers.authorization ?? '');
    this.caller = auth?.[1] ? this.deps.core.store.personByToken(auth[1]) : undefined;
    return this.caller ? undefined : this.error(401, STATUS_MESSAGES[401]!);
  }

  /**
   * The JSON object body of a POST or PUT (`{}` otherwise), or the 400/413 answer refusing it. A
   * message with a file comes as `multipart/form-data` (`POST /v1/messages` only): its fields are
   * the body, its file the uploads.
   */
  private async readJsonBody(): Promise<{ body: Record<string, unknown> } | { refusal: ApiResponse }> {
    if (isMultipart(this.req)) {
      if (this.method !== 'POST' || this.route !== '/v1/messages') {
        this.req.resume();
        return {
          refusal: this.error(415, 'multipart/form-data is accepted by POST /v1/messages only (a message with a file)'),
        };
      }
      const parsed = await readMultipart(this.req);
      if ('status' in parsed) return { refusal: this.error(parsed.status, parsed.message) };
      this.uploads = parsed.files;
      return { body: parsed.fields };
    }
    const raw = await readBody(this.req);
    if (raw === 'too-large') return { refusal: this.error(413, STATUS_MESSAGES[413]!) };
    if ((this.method !== 'POST' && this.method !== 'PUT') || raw.length === 0) return { body: {} };
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      return { refusal: this.error(400, 'The request body is not valid JSON') };
    }
    if (!isRecord(parsed)) return { refusal: this.error(400, 'The request body must be a JSON object') };
    return { body: parsed };
  }

  private error(status: number, message: string, headers: Record<string, string> = {}): ApiResponse {
    return errorAnswer(status, message, this.trackingId, headers);
  }
}

/**
 * The `/v1` request handler (usable as express middleware or a plain node handler).
 *
 * @example
 * app.use('/v1', createApiHandler(deps));
 */
export function createApiHandler(deps: ApiDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => new ApiCall(deps, req, res).start();
}
