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
}

/** The API over an SDK instance. */
export function webexApi(sdk: WebexSdk): WebexApi {
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
  };
}
