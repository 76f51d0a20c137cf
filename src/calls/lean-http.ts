/**
 * A lean HTTP transport under the SDK for the bot's REST calls.
 *
 * The SDK sends each call through its own pipeline (interceptors, the `request` library, service
 * resolution, logging) — measured with the benchmark, most of the bot's CPU per event. The REST
 * calls a bot makes are plain: a method, a path under the API URL, a query, a JSON body, the
 * token. Those are sent here with Node's own `http`/`https` on keep-alive connections, and answer
 * exactly as the SDK's pipeline answers (`{ statusCode, headers, body }`; on failure an error with
 * `statusCode`, `headers` and `body`, `statusCode: 0` and the socket error's `code` in `body` when
 * no answer came), so the framework, the SDK's plugins and the governor cannot tell the difference.
 *
 * Anything else — uploads (`formData`), another service (the device and socket registration of
 * websocket mode), an absolute URL elsewhere, a query that is not flat — goes to the SDK's own
 * pipeline, and so does every call when a proxy is set for the API URL (the SDK's client honours
 * `HTTPS_PROXY`/`HTTP_PROXY`; this transport does not).
 *
 * Node's `http` rather than `fetch`: on Node 20 `fetch` adds WHATWG streams and a promise chain
 * per call that cost more CPU than the call itself does here.
 */
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { WebexBadAnswerError, WebexHttpError, WebexNetworkError } from '../errors.js';
import { proxyFor } from '../util/proxy.js';

/** Request options as SDK plugins and the framework pass them to `webex.request`. */
export interface SdkRequestOptions {
  method?: string;
  service?: string;
  resource?: string;
  uri?: string;
  qs?: unknown;
  body?: unknown;
  headers?: Record<string, unknown>;
  /** Longest wait for the answer (ms). */
  timeout?: number;
  [key: string]: unknown;
}

/** The SDK's `request`: options in, `{ statusCode, headers, body }` out. */
export type SdkSend = (options: SdkRequestOptions) => Promise<unknown>;

/** An answer, shaped like the SDK's. */
export interface LeanResponse {
  readonly statusCode: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

/** Options every call may carry and this transport understands; any other sends the call to the SDK. */
const KNOWN_OPTIONS = new Set(['method', 'service', 'resource', 'uri', 'qs', 'body', 'headers', 'timeout', 'json']);

const isFlat = (value: unknown): value is Record<string, string | number | boolean | undefined> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.values(value).every((v) => v === undefined || ['string', 'number', 'boolean'].includes(typeof v));

const isJsonBody = (value: unknown): boolean =>
  value === undefined ||
  (typeof value === 'object' &&
    value !== null &&
    (Array.isArray(value) ||
      Object.getPrototypeOf(value) === Object.prototype ||
      Object.getPrototypeOf(value) === null));

/** The URL a call goes to, or `undefined` when this transport does not send it. */
function targetOf(options: SdkRequestOptions, apiUrl: string): URL | undefined {
  for (const key of Object.keys(options)) if (!KNOWN_OPTIONS.has(key)) return undefined;
  if (options.json === false || !isJsonBody(options.body)) return undefined;
  let url: URL;
  if (options.service === 'hydra' && typeof options.resource === 'string' && options.uri === undefined) {
    url = new URL(`${apiUrl}/${options.resource.replace(/^\/+/, '')}`);
  } else if (
    options.service === undefined &&
    typeof options.uri === 'string' &&
    (options.uri.startsWith(`${apiUrl}/`) || options.uri.startsWith(`${apiUrl}?`))
  ) {
    url = new URL(options.uri);
  } else {
    return undefined;
  }
  if (options.qs !== undefined) {
    if (!isFlat(options.qs)) return undefined;
    for (const [k, v] of Object.entries(options.qs)) if (v !== undefined) url.searchParams.append(k, String(v));
  }
  return url;
}

/**
 * Reads a 2xx answer's body, which must be JSON (or nothing, for a 204 or a DELETE); anything
 * else is a {@link WebexBadAnswerError}.
 */
function successBody(
  text: string,
  headers: IncomingHttpHeaders,
  statusCode: number,
  method: string,
  what: string,
): unknown {
  if (text === '') {
    if (statusCode === 204 || method === 'DELETE') return undefined;
    throw new WebexBadAnswerError(what, 'an empty body');
  }
  if (!/json/i.test(headers['content-type'] ?? '')) {
    throw new WebexBadAnswerError(what, `a body that is not JSON (${headers['content-type'] ?? 'no content type'})`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new WebexBadAnswerError(what, `JSON that does not parse (${text.length} characters; truncated?)`);
  }
}

/** Parses an answer's body: JSON when it says so (and has any), else the text. */
function parseBody(text: string, headers: IncomingHttpHeaders): unknown {
  if (text === '') return undefined;
  if (/json/i.test(headers['content-type'] ?? '')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/** What {@link leanSdkRequests} needs. */
export interface LeanTransportOptions {
  /** The REST base URL (`https://webexapis.com/v1`, or the emulator's). */
  readonly apiUrl: string;
  readonly token: string;
  /** Default wait for an answer when a call names none (ms; default 30 s). */
  readonly defaultTimeoutMs?: number;
  /** Where proxy variables are read (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** One call as this transport sends it. */
interface LeanCall {
  readonly method: string;
  /** `GET /v1/messages/…`, for errors. */
  readonly what: string;
  readonly headers: Record<string, string>;
  readonly payload: string | undefined;
  readonly timeoutMs: number;
}

/** The call `given` asks for, to `url`. */
function leanCall(given: SdkRequestOptions, url: URL, authorization: string, defaultTimeoutMs: number): LeanCall {
  const method = (given.method ?? 'GET').toUpperCase();
  const payload = given.body === undefined ? undefined : JSON.stringify(given.body);
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'webex-skill-bot' };
  for (const [k, v] of Object.entries(given.headers ?? {}))
    if (typeof v === 'string' || typeof v === 'number') headers[k.toLowerCase()] = String(v);
  headers['authorization'] = authorization;
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  const timeoutMs = typeof given.timeout === 'number' && given.timeout > 0 ? given.timeout : defaultTimeoutMs;
  return { method, what: `${method} ${url.pathname}`, headers, payload, timeoutMs };
}

/** The answer as the SDK gives it: a 2xx with its JSON body; anything else is thrown. */
function answerOf(statusCode: number, headers: IncomingHttpHeaders, text: string, call: LeanCall): LeanResponse {
  if (statusCode >= 200 && statusCode < 300)
    return { statusCode, headers, body: successBody(text, headers, statusCode, call.method, call.what) };
  throw new WebexHttpError(statusCode, headers, parseBody(text, headers), call.what);
}

/** Sends `call` to `url` and reads the whole answer; no answer in time is an `ETIMEDOUT`. */
function exchange(
  client: typeof http | typeof https,
  agent: http.Agent,
  url: URL,
  call: LeanCall,
): Promise<LeanResponse> {
  const { method, headers, what } = call;
  return new Promise<LeanResponse>((resolve, reject) => {
    let connected = false;
    const request = client.request(url, { method, headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', (err: NodeJS.ErrnoException) =>
        fail(new WebexNetworkError(err.code ?? 'ECONNRESET', false, what, err)),
      );
      response.on('end', () => {
        clearTimeout(timer);
        try {
          resolve(answerOf(response.statusCode ?? 0, response.headers, Buffer.concat(chunks).toString('utf8'), call));
        } catch (err) {
          reject(err);
        }
      });
    });
    const fail = (err: Error): void => {
      clearTimeout(timer);
      request.destroy();
      reject(err);
    };
    const timer = setTimeout(() => fail(new WebexNetworkError('ETIMEDOUT', !connected, what)), call.timeoutMs);
    request.on('socket', (socket) => {
      if (!socket.connecting) connected = true;
      else
        socket.once('connect', () => {
          connected = true;
        });
    });
    request.on('error', (err: NodeJS.ErrnoException) =>
      fail(new WebexNetworkError(err.code ?? 'ECONNRESET', false, what, err)),
    );
    request.end(call.payload);
  });
}

/**
 * The `webex.request` replacement: sends the bot's plain REST calls itself and hands every other
 * call to `sdkRequest` (the SDK's own pipeline). Returns `sdkRequest` itself when a proxy is set
 * for the API URL.
 */
export function leanSdkRequests(options: LeanTransportOptions, sdkRequest: SdkSend): SdkSend {
  const apiUrl = options.apiUrl.replace(/\/+$/, '');
  if (proxyFor(apiUrl, options.env ?? process.env)) return sdkRequest;
  const secure = apiUrl.startsWith('https:');
  const client = secure ? https : http;
  const agent = secure
    ? new https.Agent({ keepAlive: true, scheduling: 'lifo' })
    : new http.Agent({ keepAlive: true, scheduling: 'lifo' });
  const authorization = `Bearer ${options.token}`;
  const defaultTimeoutMs = options.defaultTimeoutMs ?? 30_000;

  return (given) => {
    const url = targetOf(given, apiUrl);
    if (!url) return sdkRequest(given);
    return exchange(client, agent, url, leanCall(given, url, authorization, defaultTimeoutMs));
  };
}
