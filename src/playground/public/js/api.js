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

/** Adds a person (or the bot) to a group space, as `actorId` (a member). */
export function addMember(roomId, personId, actorId) {
  return request('POST', `/rooms/${encodeURIComponent(roomId)}/members`, { personId, actorId });
}

/** Removes a person (or the bot) from a group space, as `actorId` (themselves: they leave). */
export function removeMember(roomId, personId, actorId) {
  const query = `?actorId=${encodeURIComponent(actorId)}`;
  return request('DELETE', `/rooms/${encodeURIComponent(roomId)}/members/${encodeURIComponent(personId)}${query}`);
}

/** Creates a space: `{ type, title?, memberIds }` (the first member creates it). */
export function createRoom(body) {
  return request('POST', '/rooms', body);
}

/** Where the page downloads a file posted with a message (its content id is the last part of its URL). */
export function fileHref(contentUrl) {
  return `${BASE}/contents/${encodeURIComponent(String(contentUrl).split('/').pop())}`;
}

/** A file's name, type and size, from the headers of a HEAD (as Webex gives them). */
export async function fileInfo(contentUrl) {
  const res = await fetch(fileHref(contentUrl), { method: 'HEAD' });
  if (!res.ok) throw new Error(`the file is gone (HTTP ${res.status})`);
  const disposition = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  const plain = /filename="((?:[^"\\]|\\.)*)"/i.exec(disposition);
  const name = star ? decodeURIComponent(star[1]) : plain ? plain[1].replace(/\\(.)/g, '$1') : 'file';
  return { name, type: res.headers.get('content-type') ?? '', size: Number(res.headers.get('content-length')) };
}
