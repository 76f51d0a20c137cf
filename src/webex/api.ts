/**
 * The Webex REST calls the bot makes, as one small typed interface over the framework's SDK
 * instance. Every call goes through the SDK's `request`, which the seam replaced with the
 * governor (timeouts, `Retry-After`, retries that never post twice, the 401 state) over the lean
 * HTTP transport (`govern-requests.ts`, `src/calls/`). **A reply is posted here**:
 * {@link WebexApi.postMessage}, called by the outbox (`src/outbound/outbox.ts`).
 */
import type { WebexSdk } from 'webex';
import type { WebexAttachmentAction, WebexMessage, WebexPerson } from '../protocol/rest.js';

/** The REST calls the bot makes (see the file's comment). */
export interface WebexApi {
  /** `GET /messages/{id}`; rejects with `statusCode` 404 when it is gone. */
  getMessage(id: string): Promise<WebexMessage>;
  /** `POST /messages`: posts a message of the bot's. */
  postMessage(message: Readonly<Record<string, unknown>>): Promise<WebexMessage>;
  /** `GET /messages?roomId=…&max=…`: the newest messages of a space, newest first (rejects where a bot may not list them). */
  listMessages(roomId: string, max: number): Promise<WebexMessage[]>;
  /** `GET /attachment/actions/{id}`. */
  getAttachmentAction(id: string): Promise<WebexAttachmentAction>;
  /** `GET /people/me`: who the token belongs to (also a probe of the token). */
  getMe(): Promise<WebexPerson>;
}

/** The API over an SDK instance. */
export function webexApi(sdk: WebexSdk): WebexApi {
  return {
    getMessage: (id) => sdk.messages.get(id),
    postMessage: (message) => sdk.messages.create({ ...message }),
    listMessages: async (roomId, max) => (await sdk.messages.list({ roomId, max })).items,
    getAttachmentAction: (id) => sdk.attachmentActions.get(id),
    getMe: () => sdk.people.get('me'),
  };
}
