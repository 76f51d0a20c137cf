/**
 * Public types of the Webex emulator: the REST resources in Webex's own shapes, the events it
 * reports, and the in-process API (`Emulator`) that tests and the chat playground use.
 */
import type { Logger } from '../logging.js';
import type { Device, DeviceEvent, SocketEvent, SocketFrameEvent, SocketFrameRecord } from './socket/types.js';

export type { Device, DeviceEvent, SocketEvent, SocketFrameEvent, SocketFrameRecord } from './socket/types.js';

/** A Webex person or bot, as `GET /v1/people/{id}` returns it. */
export interface Person {
  id: string;
  emails: string[];
  phoneNumbers: Array<{ type: string; value: string }>;
  displayName: string;
  nickName: string;
  firstName?: string;
  lastName?: string;
  avatar?: string;
  orgId: string;
  created: string;
  lastModified: string;
  type: 'person' | 'bot';
}

/** A person together with the bearer token that authenticates as them. */
export type SeedPerson = Person & { token: string };

/** A Webex space. A direct space's title is the other member's display name (per viewer). */
export interface Room {
  id: string;
  title: string;
  type: 'direct' | 'group';
  isLocked: boolean;
  lastActivity: string;
  creatorId: string;
  created: string;
  ownerId: string;
}

/** A space as the control API shows it: the room plus its member ids. */
export type RoomState = Room & { memberIds: string[] };

/** A person's membership of a space. */
export interface Membership {
  id: string;
  roomId: string;
  personId: string;
  personEmail: string;
  personDisplayName: string;
  personOrgId: string;
  isModerator: boolean;
  isMonitor: boolean;
  isRoomHidden: boolean;
  roomType: 'direct' | 'group';
  created: string;
}

/** A message attachment; Webex only accepts Adaptive Cards. */
export interface Attachment {
  contentType: string;
  content: Record<string, unknown>;
}

/** A message, as `GET /v1/messages/{id}` returns it. */
export interface Message {
  id: string;
  parentId?: string;
  roomId: string;
  roomType: 'direct' | 'group';
  text?: string;
  markdown?: string;
  html?: string;
  personId: string;
  personEmail: string;
  mentionedPeople?: string[];
  mentionedGroups?: string[];
  /** The message's file, as a content URL (`…/v1/contents/{id}`); Webex allows one per message. */
  files?: string[];
  attachments?: Attachment[];
  created: string;
  updated?: string;
}

/** A file a person posts (in-process and control APIs), as a multipart upload would carry it. */
export interface FileInput {
  /** The file name. */
  name: string;
  /** Its media type (default `application/octet-stream`). */
  type?: string;
  data: Buffer | Uint8Array | string;
}

/** A file posted with a message, as the emulator stores it. */
export interface StoredFile {
  id: string;
  roomId: string;
  messageId: string;
  name: string;
  type: string;
  size: number;
  bytes: Buffer;
}

/** A card submission, as `GET /v1/attachment/actions/{id}` returns it. */
export interface AttachmentAction {
  id: string;
  type: 'submit';
  messageId: string;
  inputs: Record<string, unknown>;
  personId: string;
  roomId: string;
  created: string;
}

/** Webhook resources the emulator delivers. */
export type WebhookResource = 'all' | 'messages' | 'memberships' | 'rooms' | 'attachmentActions';

/** A registered webhook, as `GET /v1/webhooks/{id}` returns it. */
export interface Webhook {
  id: string;
  name: string;
  targetUrl: string;
  resource: WebhookResource;
  event: string;
  filter?: string;
  secret?: string;
  status: 'active' | 'inactive';
  orgId: string;
  createdBy: string;
  appId: string;
  ownedBy: 'creator';
  created: string;
}

/** A change to a webhook made through the control API ({@link Emulator.alterWebhook}). */
export interface WebhookChange {
  status?: 'active' | 'inactive';
  targetUrl?: string;
  /** A new secret, or `null` for none (Webex then sends the events unsigned). */
  secret?: string | null;
}

/** One POST attempt of a webhook delivery. */
export interface DeliveryAttempt {
  attempt: number;
  at: string;
  /** HTTP status answered by the receiver, when it answered. */
  status?: number;
  /** Why the attempt failed without an HTTP answer (timeout, refused, not loopback...). */
  error?: string;
  ms: number;
}

/** One event delivered (or being delivered) to one webhook. */
export interface DeliveryRecord {
  id: string;
  webhookId: string;
  webhookName: string;
  targetUrl: string;
  resource: string;
  event: string;
  /** `data.id` of the event: with resource and event, it identifies the event. */
  dataId: string;
  actorId: string;
  /** The exact JSON text POSTed (the signature is over its UTF-8 bytes). */
  body: string;
  signature?: string;
  state: 'pending' | 'delivered' | 'failed' | 'cancelled';
  /** Why the delivery failed or was cancelled. */
  reason?: string;
  attempts: DeliveryAttempt[];
  created: string;
  /**
   * Set on a repeat of an earlier delivery (same body bytes, signature and target): the id of the
   * first delivery of this event to this webhook.
   */
  redeliveryOf?: string;
  /** On a repeat: asked for with `redeliver`, or a twin made by the `duplicates` delivery option. */
  redeliveryCause?: RedeliveryCause;
  /**
   * On a repeat: sent at the same moment as its sibling copies (`redeliver`) or as the original
   * (a duplicate), rather than after them.
   */
  concurrent?: boolean;
}

/** Why a delivery repeats an earlier one. */
export type RedeliveryCause = 'redeliver' | 'duplicate';

/**
 * Options of `redeliver`.
 *
 * @example
 * await emulator.redeliver(delivery.id, { copies: 3, concurrent: true });
 */
export interface RedeliverOptions {
  /** How many copies to send (an integer from 1 to 100; default 1). */
  copies?: number;
  /** Send every copy at the same moment (true), or each once the previous one ended (false, default). */
  concurrent?: boolean;
}

/**
 * A fault to inject into the next matching REST calls.
 *
 * @example
 * emulator.faults.add({ method: 'GET', path: '/v1/messages/{id}', status: 429, retryAfter: 2 });
 * emulator.faults.add({ method: 'POST', path: '/v1/messages', hang: true });
 * emulator.faults.add({ method: 'POST', path: '/v1/messages', status: 502, phase: 'after' }); // posted, but the client gets a 502
 */
export interface FaultRule {
  /** HTTP method, or `*` for any. */
  method: string;
  /** An exact path (`/v1/people/me`) or a route template (`/v1/messages/{id}`); `/v1` may be left out. */
  path: string;
  /** How many matching calls it applies to (default 1). */
  count?: number;
  /** Answer with this status (and a Webex error body, or `body`). */
  status?: number;
  /** `Retry-After` seconds (default 1 for a 429). */
  retryAfter?: number;
  /** Wait this long first; alone, the call is then answered normally (a slow API). */
  delayMs?: number;
  /** Never answer (until the client gives up or the emulator stops). */
  hang?: boolean;
  /** Response body to send with `status` instead of the Webex error body. */
  body?: unknown;
  /**
   * When the fault hits (default `'before'`).
   * - `'before'`: the call is not served at all (nothing is created, no webhook fires).
   * - `'after'`: the call is served first (the message is created, its deliveries start), then its
   *   answer is held for `delayMs`, replaced by `status`, or never sent (`hang`), as when a gateway
   *   fails on the way back.
   */
  phase?: FaultPhase;
}

/** Where a fault hits the REST pipeline: before the call is served, or after it took effect. */
export type FaultPhase = 'before' | 'after';

/** Everything the emulator reports through `onEvent` and `GET /_emulator/events`. */
export type EmulatorEvent =
  | { kind: 'message'; at: string; message: Message }
  | { kind: 'message-updated'; at: string; message: Message }
  | { kind: 'message-deleted'; at: string; messageId: string; roomId: string }
  | { kind: 'attachment-action'; at: string; action: AttachmentAction }
  | { kind: 'room-created'; at: string; room: RoomState }
  | { kind: 'membership-created'; at: string; membership: Membership }
  | { kind: 'membership-deleted'; at: string; membership: Membership }
  | { kind: 'webhook'; at: string; change: 'created' | 'updated' | 'deleted' | 'inactive'; webhook: Webhook }
  | DeliveryEvent
  | ApiCallEvent
  | DeviceEvent
  | SocketEvent
  | SocketFrameEvent;

/** One webhook delivery attempt finished. */
export interface DeliveryEvent {
  kind: 'delivery';
  at: string;
  deliveryId: string;
  webhookId: string;
  webhookName: string;
  targetUrl: string;
  resource: string;
  event: string;
  dataId: string;
  attempt: number;
  status?: number;
  error?: string;
  ms: number;
  /** Where the delivery stands after this attempt. */
  state: DeliveryRecord['state'];
  /** Whether it carried `X-Spark-Signature` (the webhook has a secret). */
  signed: boolean;
  /** The exact JSON text POSTed. */
  body: string;
  /** Set when the delivery repeats an earlier one (see {@link DeliveryRecord.redeliveryOf}). */
  redeliveryOf?: string;
  redeliveryCause?: RedeliveryCause;
}

/** One REST call answered (or abandoned) by the emulator. */
export interface ApiCallEvent {
  kind: 'api-call';
  at: string;
  method: string;
  /** Route template, e.g. `/v1/messages/{id}`; the raw path when no route matched. */
  route: string;
  /** The path and query string as requested. */
  path: string;
  /** HTTP status sent; 0 when the call got no answer (hung or aborted). */
  status: number;
  callerId?: string;
  trackingId: string;
  ms: number;
  /** Set when an injected fault shaped the answer. */
  fault?: 'status' | 'hang' | 'delay';
  /** With `fault`: whether it hit before the call was served or after it took effect. */
  faultPhase?: FaultPhase;
  /** With an after-phase fault: the status the call was served with, before the fault replaced the answer. */
  servedStatus?: number;
  /** The space the call concerns, when its request or answer names one. */
  roomId?: string;
  /** The `{id}` in its path, or the id of what a POST created. */
  resourceId?: string;
}

/** Delivery tuning (Webex does not publish its own retry schedule). */
export interface DeliveryOptions {
  /** Time allowed for one POST, until the full answer (default 5000). */
  timeoutMs?: number;
  /** Waits before each retry; its length is the number of retries (default [500, 2000, 5000]). */
  retryDelaysMs?: number[];
  /** Consecutive failed events after which a webhook goes `inactive` (default 5). */
  inactiveAfterFailures?: number;
  /** Deliver a fraction of events twice, as Webex sometimes does (default: never). */
  duplicates?: DuplicateOptions;
}

/**
 * Twin deliveries, for load and dedupe tests: each delivery of a new event gets, with
 * probability `rate`, a twin with the same body bytes and signature, recorded as its own
 * delivery (`redeliveryCause: 'duplicate'`).
 *
 * @example
 * await startEmulator({ delivery: { duplicates: { rate: 0.1, concurrent: 0.5, seed: 42 } } });
 */
export interface DuplicateOptions {
  /** The fraction of deliveries that get a twin, from 0 to 1. */
  rate: number;
  /**
   * Whether a twin is sent at the same moment as the original (`true`), or `delayMs` after the
   * original delivery ended (`false`, default); a number from 0 to 1 is the probability of the first.
   */
  concurrent?: boolean | number;
  /** Wait between the end of the original delivery and a non-concurrent twin (default 0). */
  delayMs?: number;
  /** An integer that makes the choices reproducible: the same seed and events give the same twins. */
  seed?: number;
}

/** Options of {@link Emulator} start-up. */
export interface EmulatorOptions {
  /** TCP port on 127.0.0.1; 0 or undefined picks a free one. */
  port?: number;
  /** The bot's token; default: a generated one in Webex's real format. */
  botToken?: string;
  /** Default 'Skill Bot'. */
  botName?: string;
  /** Default 'skill-bot@webex.bot'. */
  botEmail?: string;
  /** Seed Alice, Bob, a direct and a group space (default true). */
  seed?: boolean;
  /** Default: silent. */
  logger?: Logger;
  delivery?: DeliveryOptions;
  /**
   * Time every REST call waits before it is served, in ms, as a round trip to Webex would
   * (default 0; at most 60000). Changeable while running with `setLatency`.
   */
  latencyMs?: number;
  /**
   * Host names (or addresses) the emulator answers besides `localhost`, `*.localhost`, `127.0.0.1`
   * and `[::1]`, for reaching it under another name on purpose (a proxy, a container name); a name
   * starting with `.` allows its subdomains too. Any other `Host` gets 403 (DNS rebinding
   * protection). No scheme, no port: `['emulator.internal']`.
   */
  allowedHosts?: string[];
  /**
   * Told of every TCP connection to the emulator (REST, event sockets, the page), e.g. to check
   * from its remote port that a client came through a proxy.
   */
  onConnection?: (socket: import('node:net').Socket) => void;
  /** Serve the chat playground at `/` (default false: `/` stays free for `extendApp`). */
  playground?: boolean;
  /**
   * Called with the express app after the emulator's routes are mounted (`/v1`, `/_emulator`),
   * before it listens: the place to mount more (e.g. a chat page at `/`).
   */
  extendApp?: (app: import('express').Express, emulator: Emulator) => void;
}

/** What `seed: true` creates. */
export interface EmulatorSeed {
  alice: SeedPerson;
  bob: SeedPerson;
  /** Alice and the bot; title as the bot sees it ('Alice Example'). */
  directRoom: Room;
  /** 'Team Space': Alice, Bob and the bot. */
  groupRoom: Room;
}

/** Where a bot running against the emulator takes `POST /notify`, with its token. */
export interface BotNotify {
  readonly url: string;
  readonly token: string;
}

/** What `waitForMessage` waits for; all given fields must match. */
export interface MessageMatch {
  roomId?: string;
  personId?: string;
  parentId?: string;
  predicate?: (m: Message) => boolean;
  /** Default 5000. */
  timeoutMs?: number;
}

/** Input of `say`: a person writes in a space. */
export interface SayInput {
  personId: string;
  roomId: string;
  text?: string;
  markdown?: string;
  /** Prefix an @mention of the bot (as Webex clients do). */
  mention?: boolean;
  parentId?: string;
  attachments?: unknown[];
  /** A file to post with the message (Webex allows one). */
  files?: FileInput[];
}

/** A running emulator, in process. */
export interface Emulator {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** `url + '/v1'`: what the SDK and the bot use as Webex's API base URL. */
  readonly apiUrl: string;
  readonly botToken: string;
  readonly bot: Person;
  readonly seed: EmulatorSeed | undefined;
  /** Adds a person (or another bot) with a fresh token. */
  createPerson(p: { displayName: string; email: string; type?: 'person' | 'bot' }): SeedPerson;
  /** Adds a space; emits the rooms/memberships created events (the first member is the creator). */
  createRoom(r: { title?: string; type: 'direct' | 'group'; memberIds: string[] }): Room;
  /** Posts a message as that person; resolves once stored and its deliveries have started. */
  say(s: SayInput): Promise<Message>;
  /**
   * Adds a person to a group space, as `actorId` (a member) would: `memberships/created` for
   * everyone in it, the person included. Adding the bot is how a bot is added to a space.
   * @example emulator.addMember({ roomId, personId: emulator.bot.id, actorId: alice.id });
   */
  addMember(m: { roomId: string; personId: string; actorId: string }): Membership;
  /** Removes a person from a group space, as `actorId` would (themselves to leave): `memberships/deleted`. */
  removeMember(m: { roomId: string; personId: string; actorId: string }): void;
  /** A file posted with a message, by its content id or content URL; undefined when there is none. */
  file(idOrUrl: string): StoredFile | undefined;
  /** Submits a card as that person; resolves once stored and its deliveries have started. */
  submitCard(a: { personId: string; messageId: string; inputs: Record<string, unknown> }): Promise<AttachmentAction>;
  /** A space's messages, oldest first. */
  transcript(roomId: string): Message[];
  /** Every new message, by anyone; returns an unsubscribe function. */
  onMessage(listener: (m: Message) => void): () => void;
  /** The first new message after the call that matches; rejects after `timeoutMs`. */
  waitForMessage(match: MessageMatch): Promise<Message>;
  onEvent(listener: (e: EmulatorEvent) => void): () => void;
  faults: { add(rule: FaultRule): void; clear(): void };
  /** Calls per endpoint, keyed like `GET /v1/messages/{id}`. */
  calls(): Record<string, number>;
  resetCalls(): void;
  /** The time every REST call now waits before it is served, in ms (see `EmulatorOptions.latencyMs`). */
  readonly latencyMs: number;
  /** Changes that wait for the calls that arrive from now on; a TypeError when not 0–60000 ms. */
  setLatency(ms: number): void;
  deliveries(): DeliveryRecord[];
  /**
   * Delivers an earlier delivery again, as Webex sometimes does: the same body bytes with the same
   * signature to the same target, `copies` times, one after the other or all at the same moment.
   * Each copy is its own delivery record (`redeliveryOf` names the original) with the usual retries.
   * Resolves with the copies once every one has ended (delivered, failed or cancelled); rejects
   * with a TypeError for bad options and an `ApiError` 404 for an unknown delivery id.
   */
  redeliver(deliveryId: string, options?: RedeliverOptions): Promise<DeliveryRecord[]>;
  webhooks(): Webhook[];
  /** Devices registered for websocket mode, with how many sockets each has open. */
  devices(): Device[];
  /**
   * Cuts the event sockets (of one device, or all) off without a close frame, as a network
   * failure would: clients see 1006 and reconnect. Returns how many were cut.
   */
  dropSockets(deviceId?: string): number;
  /** While on, new event sockets are refused (HTTP 503), as during an outage; open ones stay. */
  refuseSockets(on: boolean): void;
  /** The `conversation.activity` frames pushed (or missed), oldest first. */
  socketFrames(): SocketFrameRecord[];
  /**
   * Sends the activity of an earlier frame again, `copies` times (1–20), each as a new frame on
   * the device's open sockets — as Webex may deliver an activity twice. 404 for an unknown frame.
   */
  resendFrame(frameId: string, copies?: number): SocketFrameRecord[];
  /** Sends `text` as it is on a device's open sockets (malformed frames for tests); returns how many sockets got it. */
  sendRawFrame(deviceId: string, text: string): number;
  /**
   * Changes a webhook as Webex or its owner might have: marks it `inactive` (as Webex does after
   * failed deliveries), points it elsewhere, or gives it another secret or none (`secret: null`).
   * Rejects an unknown id with an `ApiError` 404 and a bad change with a TypeError.
   */
  alterWebhook(id: string, change: WebhookChange): Webhook;
  /** Deletes a webhook (404 `ApiError` for an unknown id); its pending retries stop. */
  removeWebhook(id: string): void;
  /** People (without tokens) and spaces (with member ids); `notify`, when a bot told it (see {@link Emulator.showNotify}). */
  state(): { bot: Person; people: Person[]; rooms: RoomState[]; notify?: BotNotify };
  /**
   * Tells the playground where the bot's `POST /notify` is and its token (local use only: the
   * launcher of `npm start` against this emulator calls it), so that the page can show a ready
   * command for the open space. `undefined` forgets it.
   */
  showNotify(notify: BotNotify | undefined): void;
  /** Closes every socket, cancels pending deliveries and timers. */
  stop(): Promise<void>;
}
