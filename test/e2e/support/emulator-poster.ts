/**
 * The bot's side of the Webex REST API, for tests of the assistant before it is wired into the
 * bot: an outbox (what `dispatchText`'s replies go through) and a message poster with edit and
 * delete handles (what the assistant streams into), both over real HTTP to the emulator with the
 * bot's token. The emulator applies Webex's rules to them: 7,439 bytes, at most 10 edits.
 */
import type { MessagePoster, PostedMessage } from '../../../src/assistant/stream-writer.js';
import type { MessageEdit, OutgoingMessage, Outbox } from '../../../src/routing/inbound.js';

/** One REST call to the emulator as the bot; throws with Webex's message on an error. */
async function call(apiUrl: string, token: string, method: string, path: string, body?: object): Promise<unknown> {
  const response = await fetch(`${apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
  return response.status === 204 ? undefined : response.json();
}

/** An outbox posting to the emulator. */
export function emulatorOutbox(apiUrl: string, token: string): Outbox {
  return {
    async send(message: OutgoingMessage) {
      const sent = (await call(apiUrl, token, 'POST', '/messages', message)) as { id: string };
      return { id: sent.id };
    },
    async edit(messageId: string, roomId: string, content: MessageEdit) {
      await call(apiUrl, token, 'PUT', `/messages/${encodeURIComponent(messageId)}`, { roomId, ...content });
      return { id: messageId };
    },
    async remove(messageId: string) {
      await call(apiUrl, token, 'DELETE', `/messages/${encodeURIComponent(messageId)}`);
    },
  };
}

/** A poster into `roomId` that counts the edits it made of each message (by id). */
export function emulatorPoster(
  apiUrl: string,
  token: string,
  roomId: string,
): MessagePoster & { readonly edits: Map<string, number> } {
  const edits = new Map<string, number>();
  return {
    edits,
    async post(markdown: string): Promise<PostedMessage> {
      const { id } = (await call(apiUrl, token, 'POST', '/messages', { roomId, markdown })) as { id: string };
      edits.set(id, 0);
      return {
        edit: async (next: string) => {
          edits.set(id, (edits.get(id) ?? 0) + 1);
          await call(apiUrl, token, 'PUT', `/messages/${encodeURIComponent(id)}`, { roomId, markdown: next });
        },
        delete: () => call(apiUrl, token, 'DELETE', `/messages/${encodeURIComponent(id)}`),
      };
    },
  };
}
