/**
 * `startEmulator`: builds one emulator (state, REST API, webhook delivery, the device service
 * and event sockets of websocket mode, control API), seeds it, and listens on 127.0.0.1.
 */
import http from 'node:http';
import { silentLogger } from '../logging.js';
import { listen } from '../util/listen.js';
import type { ControlledEmulator } from './control/controlled.js';
import { createControlRouter } from './control/routes.js';
import { SseHub } from './control/sse.js';
import { WebhookDispatcher } from './delivery/dispatcher.js';
import { deliverySettings, redeliverSettings } from './delivery/settings.js';
import { ApiError, notFound } from './errors.js';
import { EventBus } from './events.js';
import { FaultBook } from './faults.js';
import { createApiHandler } from './http/api.js';
import { CallCounter } from './http/calls.js';
import { checkAllowedHosts, HostPolicy } from './http/host-guard.js';
import { Latency } from './http/latency.js';
import { apiRoutes } from './http/routes/index.js';
import { Router } from './http/router.js';
import { createEmulatorApp } from './server.js';
import { createPlaygroundRouter } from '../playground/index.js';
import { submitAction } from './service/attachment-actions.js';
import type { Core } from './service/core.js';
import { postMessage } from './service/messages.js';
import { createPerson } from './service/people.js';
import { addMember, createRoom, removeMember } from './service/spaces.js';
import { contentIdOf, type Upload } from './service/contents.js';
import { membershipId } from './ids.js';
import { publicDevice } from './service/devices.js';
import { DeviceRegistry } from './state/devices.js';
import { alterWebhook, removeWebhook } from './service/webhooks.js';
import { Store } from './state/store.js';
import { MercuryServer } from './socket/mercury-server.js';
import { TimerSet } from './timers.js';
import type {
  AttachmentAction,
  DeliveryRecord,
  Device,
  Emulator,
  EmulatorEvent,
  EmulatorOptions,
  EmulatorSeed,
  FileInput,
  Membership,
  Message,
  MessageMatch,
  BotNotify,
  Person,
  RedeliverOptions,
  Room,
  RoomState,
  SayInput,
  SeedPerson,
  SocketFrameRecord,
  StoredFile,
  Webhook,
  WebhookChange,
} from './types.js';

/** Default bot identity. */
export const DEFAULT_BOT_NAME = 'Skill Bot';
export const DEFAULT_BOT_EMAIL = 'skill-bot@webex.bot';
/** Default wait of `waitForMessage`. */
const DEFAULT_WAIT_MS = 5000;

function checkPort(port: unknown): number {
  if (port === undefined) return 0;
  if (!Number.isInteger(port) || (port as number) < 0 || (port as number) > 65535)
    throw new TypeError(`port must be an integer from 0 to 65535 (got ${String(port)})`);
  return port as number;
}

function describeMatch(match: MessageMatch): string {
  const parts = (['roomId', 'personId', 'parentId'] as const)
    .filter((k) => match[k] !== undefined)
    .map((k) => `${k}=${match[k]}`);
  if (match.predicate) parts.push('predicate');
  return parts.length ? parts.join(', ') : 'any message';
}

/** A file of `say` as an upload; a TypeError for one that is not a file. */
function toUpload(f: FileInput): Upload {
  if (typeof f !== 'object' || f === null || typeof f.name !== 'string')
    throw new TypeError('files: each file needs a name and data');
  const bytes = typeof f.data === 'string' ? Buffer.from(f.data, 'utf8') : Buffer.from(f.data);
  return { name: f.name, type: f.type, bytes };
}

/** The in-process emulator; created by {@link startEmulator}. */
class RunningEmulator implements ControlledEmulator {
  readonly faults: { add: FaultBook['add']; clear: FaultBook['clear'] };
  private baseUrl = '';
  private server: http.Server | undefined;
  private stopping: Promise<void> | undefined;
  private readonly waits = new Set<(err: Error) => void>();
  private notify: BotNotify | undefined;

  constructor(
    private readonly core: Core,
    readonly bot: Person,
    readonly botToken: string,
    readonly seed: EmulatorSeed | undefined,
    private readonly dispatcher: WebhookDispatcher,
    private readonly faultBook: FaultBook,
    private readonly counter: CallCounter,
    private readonly timers: TimerSet,
    private readonly sse: SseHub,
    private readonly mercury: MercuryServer,
    private readonly latency: Latency,
  ) {
    this.faults = { add: (rule) => faultBook.add(rule), clear: () => faultBook.clear() };
  }

  get url(): string {
    return this.baseUrl;
  }

  get apiUrl(): string {
    return `${this.baseUrl}/v1`;
  }

  /** Called once listening. */
  attach(server: http.Server, url: string): void {
    this.server = server;
    this.baseUrl = url;
  }

  /** Pending fault rules (for the control API). */
  faultRules(): ReturnType<FaultBook['list']> {
    return this.faultBook.list();
  }

  createPerson(p: { displayName: string; email: string; type?: 'person' | 'bot' }): SeedPerson {
    return createPerson(this.core, p);
  }

  createRoom(r: { title?: string; type: 'direct' | 'group'; memberIds: string[] }): Room {
    const room = createRoom(this.core, r);
    return this.core.store.roomView(this.core.store.room(room.id)!, this.bot.id);
  }

  /** The space with its member ids, as the control API shows it. */
  roomState(roomId: string): RoomState {
    const room = this.core.store.room(roomId);
    if (!room) throw notFound(`No space with id ${roomId}`);
    return this.core.store.roomState(room, this.bot.id);
  }

  async say(s: SayInput): Promise<Message> {
    const person = this.personOrThrow(s.personId);
    const body: Record<string, unknown> = { roomId: s.roomId };
    if (s.mention) {
      const mention = `<@personId:${this.bot.id}|${this.bot.displayName}>`;
      if (s.markdown !== undefined) body['markdown'] = `${mention} ${s.markdown}`;
      else if (s.text !== undefined) {
        body['markdown'] = `${mention} ${s.text}`;
        body['text'] = `${this.bot.displayName} ${s.text}`;
      } else body['markdown'] = mention;
    } else {
      if (s.text !== undefined) body['text'] = s.text;
      if (s.markdown !== undefined) body['markdown'] = s.markdown;
    }
    if (s.parentId !== undefined) body['parentId'] = s.parentId;
    if (s.attachments !== undefined) body['attachments'] = s.attachments;
    const files = (s.files ?? []).map(toUpload);
    return postMessage(this.core, person, body, files.length > 0 ? { files, origin: this.baseUrl } : undefined);
  }

  addMember(m: { roomId: string; personId: string; actorId: string }): Membership {
    return addMember(this.core, this.personOrThrow(m.actorId).id, m.roomId, this.personOrThrow(m.personId).id);
  }

  removeMember(m: { roomId: string; personId: string; actorId: string }): void {
    const actor = this.personOrThrow(m.actorId);
    const person = this.personOrThrow(m.personId);
    removeMember(this.core, actor.id, membershipId(person.id, m.roomId));
  }

  file(idOrUrl: string): StoredFile | undefined {
    const id = idOrUrl.includes('/') ? contentIdOf(idOrUrl) : idOrUrl;
    const c = id ? this.core.store.content(id) : undefined;
    return c
      ? {
          id: c.id,
          roomId: c.roomId,
          messageId: c.messageId,
          name: c.name,
          type: c.type,
          size: c.bytes.length,
          bytes: c.bytes,
        }
      : undefined;
  }

  async submitCard(a: {
    personId: string;
    messageId: string;
    inputs: Record<string, unknown>;
  }): Promise<AttachmentAction> {
    return submitAction(this.core, this.personOrThrow(a.personId), {
      type: 'submit',
      messageId: a.messageId,
      inputs: a.inputs,
    });
  }

  transcript(roomId: string): Message[] {
    if (!this.core.store.room(roomId)) throw notFound(`No space with id ${roomId}`);
    return this.core.store.messagesIn(roomId);
  }

  onMessage(listener: (m: Message) => void): () => void {
    return this.core.bus.onEvent((e) => {
      if (e.kind === 'message') listener(e.message);
    });
  }

  waitForMessage(match: MessageMatch): Promise<Message> {
    const timeoutMs = match.timeoutMs ?? DEFAULT_WAIT_MS;
    return new Promise<Message>((resolve, reject) => {
      const finish = (err: Error | undefined, m?: Message): void => {
        off();
        clearTimeout(timer);
        this.waits.delete(cancel);
        if (err) reject(err);
        else resolve(m!);
      };
      const cancel = (err: Error): void => finish(err);
      const off = this.onMessage((m) => {
        try {
          if (match.roomId !== undefined && m.roomId !== match.roomId) return;
          if (match.personId !== undefined && m.personId !== match.personId) return;
          if (match.parentId !== undefined && m.parentId !== match.parentId) return;
          if (match.predicate && !match.predicate(m)) return;
        } catch (err) {
          return finish(err instanceof Error ? err : new Error(String(err)));
        }
        finish(undefined, m);
      });
      const timer = setTimeout(
        () => finish(new Error(`waitForMessage: no message matching ${describeMatch(match)} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waits.add(cancel);
    });
  }

  onEvent(listener: (e: EmulatorEvent) => void): () => void {
    return this.core.bus.onEvent(listener);
  }

  calls(): Record<string, number> {
    return this.counter.snapshot();
  }

  resetCalls(): void {
    this.counter.reset();
  }

  get latencyMs(): number {
    return this.latency.ms;
  }

  setLatency(ms: number): void {
    this.latency.set(ms);
  }

  deliveries(): DeliveryRecord[] {
    return this.dispatcher.records();
  }

  async redeliver(deliveryId: string, options?: RedeliverOptions): Promise<DeliveryRecord[]> {
    if (typeof deliveryId !== 'string' || deliveryId === '')
      throw new TypeError('redeliver: deliveryId must be the id of a delivery record');
    return this.dispatcher.redeliver(deliveryId, redeliverSettings(options));
  }

  devices(): Device[] {
    return this.core.devices.all().map((d) => ({ ...publicDevice(d), sockets: this.mercury.openSockets(d.id) }));
  }

  dropSockets(deviceId?: string): number {
    return this.mercury.drop(deviceId);
  }

  refuseSockets(on: boolean): void {
    this.mercury.refuseSockets(on);
  }

  get refusingSockets(): boolean {
    return this.mercury.refusingSockets;
  }

  socketFrames(): SocketFrameRecord[] {
    return this.mercury.frames();
  }

  resendFrame(frameId: string, copies = 1): SocketFrameRecord[] {
    if (!Number.isInteger(copies) || copies < 1 || copies > 20)
      throw new TypeError('resendFrame: copies must be an integer from 1 to 20');
    return this.mercury.resend(frameId, copies);
  }

  sendRawFrame(deviceId: string, text: string): number {
    return this.mercury.sendRaw(deviceId, text);
  }

  webhooks(): Webhook[] {
    return this.core.store.allWebhookRecords().map((r) => structuredClone(r.webhook));
  }

  alterWebhook(id: string, change: WebhookChange): Webhook {
    return alterWebhook(this.core, id, change);
  }

  removeWebhook(id: string): void {
    removeWebhook(this.core, id);
  }

  state(): { bot: Person; people: Person[]; rooms: RoomState[]; notify?: BotNotify } {
    const { store } = this.core;
    return {
      bot: store.person(this.bot.id)!,
      people: store.allPeople(),
      rooms: store.allRooms().map((r) => store.roomState(r, this.bot.id)),
      ...(this.notify ? { notify: this.notify } : {}),
    };
  }

  showNotify(notify: BotNotify | undefined): void {
    this.notify = notify;
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const cancel of [...this.waits]) cancel(new Error('waitForMessage: the emulator stopped'));
      await this.dispatcher.stop();
      this.mercury.stop();
      this.timers.clear();
      this.sse.closeAll();
      const server = this.server;
      if (server) {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      }
      this.core.log.debug('Webex emulator stopped', { url: this.baseUrl });
    })();
    return this.stopping;
  }

  private personOrThrow(id: string): Person {
    const p = typeof id === 'string' ? this.core.store.person(id) : undefined;
    if (!p) throw new ApiError(404, `No person with id ${String(id)}`);
    return p;
  }
}

function seedSpaces(core: Core, bot: Person): EmulatorSeed {
  const { store } = core;
  const alice = createPerson(core, { displayName: 'Alice Example', email: 'alice@example.com' });
  const bob = createPerson(core, { displayName: 'Bob Example', email: 'bob@example.com' });
  const direct = createRoom(core, { type: 'direct', memberIds: [alice.id, bot.id] });
  const group = createRoom(core, { type: 'group', title: 'Team Space', memberIds: [alice.id, bob.id, bot.id] });
  return {
    alice,
    bob,
    directRoom: store.roomView(store.room(direct.id)!, bot.id),
    groupRoom: store.roomView(store.room(group.id)!, bot.id),
  };
}

/** The emulator's state and event bus, with the bot in it. */
function createCore(options: EmulatorOptions): { core: Core; bot: SeedPerson } {
  const log = options.logger ?? silentLogger;
  const core: Core = { store: new Store(), bus: new EventBus(log), log, devices: new DeviceRegistry(), botId: '' };
  const bot = createPerson(core, {
    displayName: options.botName ?? DEFAULT_BOT_NAME,
    email: options.botEmail ?? DEFAULT_BOT_EMAIL,
    type: 'bot',
    token: options.botToken,
  });
  core.botId = bot.id;
  return { core, bot };
}

/**
 * Starts an emulator on 127.0.0.1 and resolves once it listens.
 *
 * @example
 * const emulator = await startEmulator();            // random port, seeded
 * const webex = createWebexClient({ token: emulator.botToken, apiUrl: emulator.apiUrl });
 * await emulator.say({ personId: emulator.seed!.alice.id, roomId: emulator.seed!.directRoom.id, text: 'help' });
 * await emulator.stop();
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const port = checkPort(options.port);
  const hosts = new HostPolicy(checkAllowedHosts(options.allowedHosts));
  const settings = deliverySettings(options.delivery);
  const { core, bot } = createCore(options);
  const { log, bus } = core;
  const seed = options.seed === false ? undefined : seedSpaces(core, bot);
  const { token: botToken, ...botPerson } = bot;

  const dispatcher = new WebhookDispatcher(core, settings);
  const faults = new FaultBook();
  const calls = new CallCounter();
  const timers = new TimerSet();
  const sse = new SseHub((listener) => bus.onEvent(listener));
  const latency = new Latency(options.latencyMs ?? 0);
  let origin = '';
  const mercury = new MercuryServer(core, () => origin);
  const emulator = new RunningEmulator(
    core,
    botPerson,
    botToken,
    seed,
    dispatcher,
    faults,
    calls,
    timers,
    sse,
    mercury,
    latency,
  );
  const api = createApiHandler({
    core,
    router: new Router(apiRoutes),
    faults,
    calls,
    timers,
    latency,
    fallbackOrigin: () => emulator.url,
  });
  const page = options.playground ? createPlaygroundRouter() : undefined;
  const control = createControlRouter(emulator, sse, log);
  const app = createEmulatorApp({ api, control, hosts, page });
  options.extendApp?.(app, emulator);

  const listening = await listenOn(port, app, hosts, mercury, dispatcher, options.onConnection);
  origin = listening.origin;
  emulator.attach(listening.server, origin);
  log.debug('Webex emulator listening', { url: emulator.url });
  return emulator;
}

/**
 * Serves `app`, and the event sockets behind the same Host check, on 127.0.0.1:`port`; resolves
 * with the server and its origin. On failure, stops what already runs.
 */
async function listenOn(
  port: number,
  app: ReturnType<typeof createEmulatorApp>,
  hosts: HostPolicy,
  mercury: MercuryServer,
  dispatcher: WebhookDispatcher,
  onConnection: EmulatorOptions['onConnection'],
): Promise<{ server: http.Server; origin: string }> {
  const server = http.createServer(app);
  if (onConnection) server.on('connection', onConnection);
  server.on('upgrade', (req, socket, head) => {
    if (!hosts.refuseUpgrade(req, socket)) mercury.handleUpgrade(req, socket, head);
  });
  try {
    const actualPort = await listen(server, port, '127.0.0.1');
    return { server, origin: `http://127.0.0.1:${actualPort}` };
  } catch (err) {
    await dispatcher.stop();
    mercury.stop();
    throw err;
  }
}
