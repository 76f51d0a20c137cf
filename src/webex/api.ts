/**
 * The Webex REST calls the bot makes, as one small typed interface over the framework's SDK
 * instance. Every call goes through the SDK's `request`, which the seam replaced with the
 * governor (timeouts, `Retry-After`, retries that never post twice, the 401 state) over the lean
 * HTTP transport (`govern-requests.ts`, `src/calls/`). An answer that is not the JSON expected
 * (no id, the wrong shape) is a {@link WebexBadAnswerError}, never an empty message or a reply
 * counted as posted without an id. **A reply is posted here**:
 * {@link WebexApi.postMessage}, called by the outbox (`src/outbound/outbox.ts`).
 */
import type { WebexSdk } from 'webex';
import { WebexBadAnswerError } from '../errors.js';
import type { WebexAttachmentAction, WebexMessage, WebexPerson, WebexRoom } from '../protocol/rest.js';
import { isRecord } from '../util/is-record.js';
import type { UploadFile } from './upload.js';

/** A member of a space (`GET /memberships?roomId=…`). */
export interface WebexMembership {
  readonly id: string;
  readonly roomId: string;
  readonly personId: string;
  readonly personEmail?: string;
  readonly personDisplayName?: string;
  readonly isModerator?: boolean;
  readonly created?: string;
  readonly [key: string]: unknown;
}

/** One page of a list, and where the next one is (Webex's `Link: <…>; rel="next"`). */
export interface ListPage<T> {
  readonly items: T[];
  /** The absolute URL of the next page; `undefined` on the last. */
  readonly next: string | undefined;
}

/** The `rel="next"` URL of a `Link` header. */
export function nextLink(link: unknown): string | undefined {
  const text = Array.isArray(link) ? link.join(',') : typeof link === 'string' ? link : '';
  for (const part of text.split(/,(?=\s*<)/)) {
    const m = /<([^>]+)>\s*;(.*)$/.exec(part.trim());
    if (m && /(^|;)\s*rel="?next"?\s*(;|$)/.test(m[2]!)) return m[1];
  }
  return undefined;
}

/** `answer`, when it is an object whose `fields` are non-empty strings; else a {@link WebexBadAnswerError}. */
function shaped<T>(answer: unknown, what: string, fields: readonly string[]): T {
  const missing = isRecord(answer) ? fields.filter((f) => typeof answer[f] !== 'string' || answer[f] === '') : fields;
  if (missing.length > 0) throw new WebexBadAnswerError(what, `no ${missing.join(', ')} in its JSON`);
  return answer as T;
}

/** The REST calls the bot makes (see the file's comment). */
export interface WebexApi {
  /** `GET /messages/{id}`; rejects with `statusCode` 404 when it is gone. */
  getMessage(id: string): Promise<WebexMessage>;
  /** `POST /messages`: posts a message of the bot's. */
  postMessage(message: Readonly<Record<string, unknown>>): Promise<WebexMessage>;
  /**
   * `GET /messages?roomId=…&max=…`: the newest messages of a space, newest first. In a group space
   * a bot may list only the messages that mention it (`mentionedMe`); without it, Webex refuses.
   */
  listMessages(roomId: string, max: number, options?: { readonly mentionedMe?: boolean }): Promise<WebexMessage[]>;
  /** `GET /rooms?sortBy=lastactivity&max=…`: the spaces the bot is in, the most recently active first. */
  listRooms(max: number): Promise<WebexRoom[]>;
  /** `GET /attachment/actions/{id}`. */
  getAttachmentAction(id: string): Promise<WebexAttachmentAction>;
  /** `GET /people/me`: who the token belongs to (also a probe of the token). */
  getMe(): Promise<WebexPerson>;
  /** `GET /people/{id}` (cached for a while: `people-cache.ts`). */
  getPerson(id: string): Promise<WebexPerson>;
  /**
   * `POST /messages` with a file, as `multipart/form-data` (through the SDK's own pipeline,
   * governed; the file is opened afresh for each attempt).
   */
  postFileMessage(message: Readonly<Record<string, unknown>>, file: UploadFile): Promise<WebexMessage>;
  /** `PUT /messages/{id}`: edits a message of the bot's (text or markdown; Webex allows 10 edits). */
  editMessage(
    id: string,
    roomId: string,
    content: { readonly markdown?: string; readonly text?: string },
  ): Promise<WebexMessage>;
  /** `DELETE /messages/{id}`. */
  deleteMessage(id: string): Promise<void>;
  /**
   * One page of a space's members (`GET /memberships?roomId=…&max=…`), or the page at `next` (the
   * URL the previous page's `Link` header gave).
   */
  listMemberships(roomId: string, max: number, next?: string): Promise<ListPage<WebexMembership>>;
}

/**
 * The API over an SDK instance talking to `apiUrl` (a page link elsewhere is not followed: the
 * token would go with it).
 */
export function webexApi(sdk: WebexSdk, apiUrl = ''): WebexApi {
  const base = apiUrl.replace(/\/+$/, '');
  return {
    getMessage: async (id) => shaped(await sdk.messages.get(id), 'GET /messages/{id}', ['id', 'roomId', 'personId']),
    postMessage: async (message) => shaped(await sdk.messages.create({ ...message }), 'POST /messages', ['id']),
    listMessages: async (roomId, max, options) => {
      // A query parameter is left out rather than given `undefined`, whichever pipeline builds the URL.
      const page = await sdk.messages.list({ roomId, max, ...(options?.mentionedMe ? { mentionedPeople: 'me' } : {}) });
      if (!Array.isArray(page?.items)) throw new WebexBadAnswerError('GET /messages', 'no items in its JSON');
      return page.items;
    },
    listRooms: async (max) => {
      const page = await sdk.rooms.list({ sortBy: 'lastactivity', max });
      if (!Array.isArray(page?.items)) throw new WebexBadAnswerError('GET /rooms', 'no items in its JSON');
      return page.items;
    },
    getAttachmentAction: async (id) =>
      shaped(await sdk.attachmentActions.get(id), 'GET /attachment/actions/{id}', [
        'id',
        'messageId',
        'roomId',
        'personId',
      ]),
    getMe: async () => shaped(await sdk.people.get('me'), 'GET /people/me', ['id']),
    getPerson: async (id) => shaped(await sdk.people.get(id), 'GET /people/{id}', ['id']),
    postFileMessage: async (message, file) => {
      // Form fields are strings: one left undefined (no thread) breaks the form, so it is left out.
      const fields = Object.fromEntries(Object.entries(message).filter(([, v]) => v !== undefined));
      return shaped(await sdk.messages.create({ ...fields, files: [file] } as never), 'POST /messages', ['id']);
    },
    editMessage: async (id, roomId, content) => {
      const answer = await sdk.request({
        method: 'PUT',
        service: 'hydra',
        resource: `messages/${encodeURIComponent(id)}`,
        body: { roomId, ...content },
      });
      return shaped(answer.body, 'PUT /messages/{id}', ['id', 'roomId']);
    },
    deleteMessage: async (id) => {
      await sdk.request({ method: 'DELETE', service: 'hydra', resource: `messages/${encodeURIComponent(id)}` });
    },
    listMemberships: async (roomId, max, next) => {
      const answer = await sdk.request(
        next !== undefined ? { uri: next } : { service: 'hydra', resource: 'memberships', qs: { roomId, max } },
      );
      const body = answer.body as { items?: unknown } | undefined;
      if (!Array.isArray(body?.items)) throw new WebexBadAnswerError('GET /memberships', 'no items in its JSON');
      const link = nextLink(answer.headers?.['link']);
      const onApi = link === undefined || base === '' || link.startsWith(`${base}/`);
      return { items: body.items as WebexMembership[], next: onApi ? link : undefined };
    },
  };
}
