// The emulator's control API (`/_emulator`), as the page uses it. Every call answers JSON;
// a failed call throws an Error with the emulator's own explanation.

const BASE = '/_emulator';

async function request(method, path, body) {
  const res = await fetch(`${BASE}${path}`, {
    method,
    // The control API takes JSON only (a POST always says so, even without a body).
    headers: method === 'GET' ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) throw new Error(json?.error ?? `The emulator answered ${res.status} to ${method} ${path}`);
  return json;
}

/** People, the bot and the spaces (with member ids). */
export function getState() {
  return request('GET', '/state');
}

/** A space's messages, oldest first. */
export async function getTranscript(roomId) {
  return (await request('GET', `/rooms/${encodeURIComponent(roomId)}/messages`)).items;
}

/** Every webhook delivery the emulator still remembers, oldest first. */
export async function getDeliveries() {
  return (await request('GET', '/deliveries')).items;
}

/** Every frame the emulator pushed on an event socket (websocket mode), oldest first. */
export async function getSocketFrames() {
  return (await request('GET', '/socket-frames')).items;
}

/** A person writes in a space: `{ personId, text, mention?, parentId? }`. */
export function sendMessage(roomId, body) {
  return request('POST', `/rooms/${encodeURIComponent(roomId)}/messages`, body);
}

/** A person submits a card: `{ personId, messageId, inputs }` (sent with `type: 'submit'`, as Webex requires). */
export function submitCard({ personId, messageId, inputs }) {
  return request('POST', '/attachment-actions', { type: 'submit', personId, messageId, inputs });
}
