/**
 * Reading the files people send the bot: a message's `files` are content URLs
 * (`https://webexapis.com/v1/contents/{id}`) that answer only with the bot's token.
 *
 * - **The token goes to the configured Webex API only.** A URL is fetched only when it is a
 *   content URL under `WEBEX_API_URL` (same scheme, host and port, path under its `/contents/`);
 *   any other is refused before a connection is opened ({@link FileRefusedError}), so a message
 *   whose file points elsewhere cannot make the bot send its token there. Redirects are not
 *   followed.
 * - **Name, type and size first**: `HEAD` answers with `Content-Disposition` (the name),
 *   `Content-Type` and `Content-Length`, as Webex documents for its files.
 * - **A size cap**: a file whose `Content-Length` is over the cap is refused before its body is
 *   read, and the bytes are counted as they arrive, so a server that says less (or nothing)
 *   cannot push more than the cap: the download stops there ({@link FileTooLargeError}).
 * - **Streamed**: the body is handed on as it arrives, never held whole in memory.
 * - **Governed**: `HEAD` and the start of `GET` go through the governor (timeouts, `Retry-After`
 *   on 429, retries of 5xx: both are safe to repeat); Webex's malware-scan answers (423 while
 *   scanning, 410 when blocked, 428 when it cannot scan) become {@link FileUnavailableError}.
 * - **Through the proxy** the environment names for the API URL (`proxy-agents.ts`).
 */
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import contentDisposition from 'content-disposition';
import type { WebexCallGovernor } from '../calls/governor.js';
import {
  FileRefusedError,
  FileTooLargeError,
  FileUnavailableError,
  isBotError,
  WebexHttpError,
  WebexNetworkError,
} from '../errors.js';
import { proxyAgentFor } from './proxy-agents.js';
import { ByteCap } from '../util/byte-cap.js';

/** What Webex says about a file before it is downloaded. */
export interface ContentInfo {
  /** The file name as sent (from `Content-Disposition`): a name, never a path to trust. */
  readonly name: string;
  /** The media type (`application/octet-stream` when Webex says none). */
  readonly type: string;
  /** The size in bytes, when Webex says it (`Content-Length`). */
  readonly size: number | undefined;
}

/** An open download: what the answer said, and its body, counted against the cap. */
export interface OpenContent {
  readonly info: ContentInfo;
  readonly stream: Readable;
}

/** What {@link ContentClient} needs. */
export interface ContentClientOptions {
  /** The REST base URL: only content URLs under it are fetched. */
  readonly apiUrl: string;
  readonly token: string;
  readonly governor: WebexCallGovernor;
  /** Where proxy variables are read (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** A download with no byte for this long is abandoned (default 30 s). */
  readonly idleTimeoutMs?: number;
}

/** Webex's answers for a file it will not hand over, in words for the operator. */
const UNAVAILABLE: Readonly<Record<number, string>> = {
  404: 'the file no longer exists (the message was deleted?)',
  410: "Webex's malware scan blocked the file",
  423: 'Webex is still scanning the file for malware: try again in a moment',
  428: 'Webex could not scan the file (encrypted?), and does not hand it over unscanned',
};

/** The name, type and size an answer's headers give. */
function infoOf(headers: IncomingMessage['headers'], fallbackName: string): ContentInfo {
  let name = fallbackName;
  const disposition = headers['content-disposition'];
  if (disposition) {
    try {
      const filename = contentDisposition.parse(disposition).parameters['filename'];
      if (filename) name = filename;
    } catch {
      // A malformed header: keep the fallback name.
    }
  }
  const length = Number(headers['content-length']);
  return {
    name,
    type: headers['content-type']?.split(';')[0]?.trim() || 'application/octet-stream',
    size: Number.isSafeInteger(length) && length >= 0 ? length : undefined,
  };
}

/** Downloads of the files people send (see the file's comment). */
export class ContentClient {
  private readonly api: URL;
  private readonly agent: http.Agent;
  private readonly client: typeof http | typeof https;

  constructor(private readonly options: ContentClientOptions) {
    this.api = new URL(options.apiUrl.replace(/\/+$/, ''));
    const secure = this.api.protocol === 'https:';
    this.client = secure ? https : http;
    this.agent =
      proxyAgentFor(this.api.href, options.env ?? process.env) ??
      (secure ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true }));
  }

  /**
   * `url` as a content URL of the configured API; a {@link FileRefusedError} for any other URL
   * (nothing is sent anywhere).
   */
  check(url: string): URL {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      throw new FileRefusedError(String(url), 'it is not a URL');
    }
    if (target.origin !== this.api.origin)
      throw new FileRefusedError(
        url,
        `it is not on the Webex API (${this.api.origin}), so the bot's token is not sent there`,
      );
    const prefix = `${this.api.pathname.replace(/\/+$/, '')}/contents/`;
    if (!target.pathname.startsWith(prefix) || target.pathname.length === prefix.length)
      throw new FileRefusedError(url, `it is not a file of the Webex API (${this.api.origin}${prefix}…)`);
    if (target.username || target.password) throw new FileRefusedError(url, 'it carries credentials');
    return target;
  }

  /** Name, type and size of the file at `url` (`HEAD`). */
  async describe(url: string): Promise<ContentInfo> {
    const target = this.check(url);
    const response = await this.governed('HEAD', target);
    response.resume();
    return infoOf(response.headers, fallbackName(target));
  }

  /**
   * Opens the file at `url` for reading: refused when Webex says it is over `maxBytes`, and cut
   * off (the stream fails with {@link FileTooLargeError}) as soon as more than `maxBytes` arrive.
   */
  async open(url: string, maxBytes: number): Promise<OpenContent> {
    const target = this.check(url);
    const response = await this.governed('GET', target);
    const info = infoOf(response.headers, fallbackName(target));
    if (info.size !== undefined && info.size > maxBytes) {
      response.destroy();
      throw new FileTooLargeError(info.name, maxBytes, info.size);
    }
    const cap = new ByteCap(maxBytes, info.name);
    const idleMs = this.options.idleTimeoutMs ?? 30_000;
    response.setTimeout(idleMs, () =>
      response.destroy(new WebexNetworkError('ETIMEDOUT', false, `GET ${target.pathname}`)),
    );
    response.on('error', (err) => cap.destroy(err));
    cap.on('error', () => response.destroy());
    cap.on('close', () => response.destroy());
    response.pipe(cap);
    return { info, stream: cap };
  }

  /** One request through the governor; resolves with the 2xx answer, its body unread. */
  private async governed(method: 'GET' | 'HEAD', target: URL): Promise<IncomingMessage> {
    try {
      return await this.options.governor.call({ method, route: '/contents/{id}' }, (timeoutMs) =>
        this.request(method, target, timeoutMs),
      );
    } catch (err) {
      if (isBotError(err, 'WEBEX_CALL_FAILED') && err.statusCode in UNAVAILABLE)
        throw new FileUnavailableError(err.statusCode, UNAVAILABLE[err.statusCode]!, { cause: err });
      throw err;
    }
  }

  /** Sends one request; a non-2xx answer rejects as the SDK's would (`statusCode`, `headers`). */
  private request(method: string, target: URL, timeoutMs: number): Promise<IncomingMessage> {
    const what = `${method} ${target.pathname}`;
    return new Promise((resolve, reject) => {
      const request = this.client.request(
        target,
        {
          method,
          agent: this.agent,
          headers: { authorization: `Bearer ${this.options.token}`, 'user-agent': 'webex-skill-bot' },
        },
        (response) => {
          clearTimeout(timer);
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300) return resolve(response);
          response.resume();
          reject(new WebexHttpError(status, response.headers, undefined, what));
        },
      );
      const timer = setTimeout(() => {
        request.destroy();
        reject(new WebexNetworkError('ETIMEDOUT', false, what));
      }, timeoutMs);
      request.on('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(new WebexNetworkError(err.code ?? 'ECONNRESET', false, what, err));
      });
      request.end();
    });
  }
}

/** The name to use when Webex gives none: the content id. */
function fallbackName(target: URL): string {
  return target.pathname.split('/').pop() || 'file';
}
