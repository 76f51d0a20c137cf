/**
 * Puts the governor under the SDK: every plugin of the `webex` SDK (and so the framework) sends
 * its REST calls through `webex.request`, which is replaced here by a governed version.
 */
import type { WebexSdk } from 'webex';
import type { SdkRequestOptions, SdkSend } from '../calls/lean-http.js';
import type { CallDescription, WebexCallGovernor } from '../calls/governor.js';
import { withFreshUploads } from './upload.js';

/** A path segment that is an id (Webex ids are long base64url strings; uuids too). */
const ID_SEGMENT = /^[A-Za-z0-9_=-]{20,}$/;

/**
 * The method and route template of a request, for logs: ids become `{id}`, the query is dropped.
 * @example describeSdkRequest({ method: 'get', service: 'hydra', resource: 'messages/Y2lzY29zcGFyazovL3VzL01FU1NBR0UvYWJj' })
 * // → { method: 'GET', route: '/messages/{id}' }
 */
export function describeSdkRequest(options: SdkRequestOptions): CallDescription {
  const method = (options.method ?? 'GET').toUpperCase();
  let path = options.resource ?? options.uri ?? (typeof options['url'] === 'string' ? options['url'] : '');
  try {
    if (/^https?:/.test(path)) path = new URL(path).pathname.replace(/^\/v1/, '');
  } catch {
    // keep it as given
  }
  // `webhooks/` and `webhooks` are one route (metrics label them alike).
  const route = `/${path.split('?')[0]!.replace(/^\/+|\/+$/g, '')}`
    .split('/')
    .map((s) => (ID_SEGMENT.test(s) ? '{id}' : s))
    .join('/');
  return { method, route };
}

/**
 * Replaces `sdk.request` with one that goes through `governor`.
 * @param transport what sends each attempt, given the SDK's own `request` (default: that one; see `lean-http.ts`)
 */
export function governSdkRequests(
  sdk: WebexSdk,
  governor: WebexCallGovernor,
  transport: (sdkRequest: SdkSend) => SdkSend = (r) => r,
): void {
  const target = sdk as unknown as { request: (options: unknown) => Promise<unknown> };
  const original = target.request.bind(sdk) as (options: unknown) => Promise<unknown>;
  const send = transport(original);
  const governed = (options: unknown): Promise<unknown> => {
    if (typeof options !== 'object' || options === null) return original(options);
    const given = options as SdkRequestOptions;
    // Each attempt gets its own copy: the SDK's interceptors write into the options and headers,
    // and a file being posted is opened afresh (a stream read by a failed attempt is spent).
    return governor.call(describeSdkRequest(given), (timeoutMs) =>
      send(withFreshUploads({ ...given, headers: { ...given.headers }, timeout: timeoutMs })),
    );
  };
  // `request` is a set-once property of the SDK's state model: shadow it on the instance instead.
  Object.defineProperty(target, 'request', { value: governed, writable: false, configurable: true, enumerable: false });
}
