/**
 * Testing skills like a chat: a real bot (framework, SDK, signed webhooks over HTTP) against an
 * in-process emulator, driven by "person says text" and "person submits card", with the bot's
 * replies returned.
 *
 * @example
 * const t = await startTestBot();
 * const reply = await t.direct.say('echo hi');
 * expect(reply.markdown).to.include('- Message: echo hi');
 * await t.stop();
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AssistantProvider } from '../assistant/provider.js';
import { type BotConfig, type BotTuning, type RunningBot, startBot } from '../bot.js';
import { loadConfig } from '../config.js';
import {
  startEmulator,
  type Emulator,
  type EmulatorOptions,
  type FileInput,
  type Message,
  type SeedPerson,
} from '../emulator/index.js';
import { createLogger, type LogLevel, type Logger } from '../logging.js';
import { createSkillState } from '../skill-kit/state.js';
import type { SkillState, SubmitState } from '../skill-kit/state.js';
import { FileStore } from '../store/file-store.js';
import { MemoryStore } from '../store/memory-store.js';
import type { KeyValueStore } from '../store/types.js';
import { apologyFailure, LoggedErrors } from './apologies.js';
import { buttonsShown, inputsShown, type CardMessage } from './card-reader.js';

export {
  buttonsShown,
  cardOf,
  errorsShown,
  inputsShown,
  textShown,
  type CardErrors,
  type ShownInput,
} from './card-reader.js';

/** The webhook secret of test bots (tests sign their own crafted webhooks with it). */
export const TEST_WEBHOOK_SECRET = 'test-bot-webhook-secret-0123456789';

/** Options for {@link startTestBot}. */
export interface TestBotOptions {
  /** Skills folder (default: `skills/` of the project in the working directory). */
  readonly skillsDir?: string;
  /** Card templates folder (default: `cards/` of the project in the working directory). */
  readonly cardsDir?: string;
  /** Bot logs: silent unless a level is given. */
  readonly logLevel?: LogLevel;
  /** A logger of your own for the bot (to capture its lines); wins over `logLevel`. */
  readonly log?: Logger;
  /** Longest wait for a reply (default 5 s). */
  readonly replyTimeoutMs?: number;
  /**
   * Settings over the test defaults (access lists, rate limits, metrics...), as `loadConfig`
   * returns them. The wiring (the emulator's URL, the port, the folders, the transport) is fixed.
   * @example startTestBot({ config: { access: { domains: ['example.com'], emails: [] } } })
   */
  readonly config?: Partial<Omit<BotConfig, 'apiUrl' | 'port' | 'host' | 'transport' | 'skillsDir' | 'cardsDir'>>;
  /** Tuning that is not a setting (shorter governor limits, timeouts...). */
  readonly tuning?: BotTuning;
  /**
   * The assistant's model (a `ScriptedProvider`): text that matches no command goes to it, as
   * with `ASSISTANT_BASE_URL` set. Default: no assistant.
   */
  readonly assistant?: AssistantProvider;
  /**
   * How events reach the bot: `webhook` (default; signed webhooks to the bot's local URL) or
   * `websocket` (the emulator's event socket; reconnects after 50 ms, backing off to 500 ms).
   */
  readonly transport?: 'webhook' | 'websocket';
  /** More emulator options (e.g. `delivery.duplicates`), over the test defaults. */
  readonly emulator?: EmulatorOptions;
  /** Deadline for the Webex side of one event (default 30 s; tests of hangs use less). */
  readonly eventDeadlineMs?: number;
  /** Keep skills' state in a file store in this folder (survives `restart()`); default: in memory. */
  readonly stateDir?: string;
  /**
   * A reply that is the bot's apology ("Sorry, something went wrong… reference X"): `'fail'`
   * (default) rejects `say()`/`submit()` with the error the bot logged for that event; `'return'`
   * returns the apology as the reply, to test it.
   */
  readonly apologies?: 'fail' | 'return';
}

/** A value to submit for an input: text as Webex sends it, or a number, a toggle's on/off, a multi-select's values. */
export type SubmittedValue = string | number | boolean | readonly string[];

/** Options of {@link Conversation.submit}. */
export interface SubmitOptions {
  readonly as?: Speaker;
  /** The title of the submit button to press (default: the card's first). */
  readonly button?: string;
  /** Send `inputs` exactly as given: no label look-up, no current values, no conversion (to test forged submissions). */
  readonly raw?: boolean;
}

/** Who speaks in a conversation: a seeded person or a person id. */
export type Speaker = 'alice' | 'bob' | SeedPerson;

/** One space, seen from the people in it. */
export interface Conversation {
  readonly roomId: string;
  /** Sends `text` as `as` (default Alice) and returns the bot's reply. In the group space the bot is @mentioned unless `mention: false`. */
  say(text: string, options?: { as?: Speaker; mention?: boolean }): Promise<Message>;
  /** Sends `text` without waiting for a reply; returns the message sent. */
  send(text: string, options?: { as?: Speaker; mention?: boolean }): Promise<Message>;
  /**
   * Submits the card in `cardMessage` as a person would: the inputs keep the values the card
   * shows, `inputs` (keyed by input id or label) change some, and the pressed button's data is
   * merged in, as Webex does. Returns the bot's reply.
   * @example const done = await t.direct.submit(form, { 'E-mail': 'ada@example.com', department: 'engineering' });
   */
  submit(
    cardMessage: Message,
    inputs: Readonly<Record<string, SubmittedValue>>,
    options?: SubmitOptions,
  ): Promise<Message>;
  /** Presses the button titled `title` on the card, changing no input; returns the bot's reply. */
  press(cardMessage: Message, title: string, options?: { as?: Speaker }): Promise<Message>;
  /**
   * Sends a file (with `text`, if given; in a group space the bot is @mentioned unless `mention:
   * false`) and returns the bot's reply.
   * @example const reply = await t.direct.sendFile({ name: 'notes.txt', type: 'text/plain', data: 'hello' });
   */
  sendFile(file: FileInput, options?: { as?: Speaker; text?: string; mention?: boolean }): Promise<Message>;
  /** Adds a person (or the bot) to this (group) space, as `as` (default Alice). */
  addMember(who: Speaker | 'bot', options?: { as?: Speaker }): Promise<void>;
  /** Removes a person (or the bot) from this (group) space, as `as` (default: themselves, leaving). */
  removeMember(who: Speaker | 'bot', options?: { as?: Speaker }): Promise<void>;
  /** The space's messages, oldest first. */
  transcript(): Message[];
}

/** Whose state to look at: a space's, a person's, a card's (the form it belongs to). */
export interface StateView {
  readonly space?: Pick<Conversation, 'roomId'>;
  readonly as?: Speaker;
}

/** A running bot under test. */
export interface TestBot {
  readonly emulator: Emulator;
  /** The bot now running (a new one after {@link TestBot.restart}). */
  readonly bot: RunningBot;
  /** The store behind skills' state. */
  readonly store: KeyValueStore;
  /**
   * What skill `skill` stored, as its handlers see it (default: the direct space, Alice; pass a
   * card message for its form's state).
   * @example expect(await t.state('provision').skill.get('email:ada@example.com')).to.be.a('string');
   */
  state(skill: string, view?: StateView): SkillState;
  state(skill: string, view: StateView & { card: CardMessage }): SubmitState;
  /** Stops the bot and starts a new one on the same emulator and state (as after a deploy). */
  restart(): Promise<void>;
  /**
   * Resolves once the bot has no event in flight (what a handler does after its last reply — a
   * replaced card deleted, say — is then done). Rejects after the reply timeout.
   */
  settled(): Promise<void>;
  /**
   * A new group space made by `as` (default Alice) with `others` in it and the bot added, as a
   * person adds a bot to a space they create: the bot hears of its own membership.
   * @example const team = await t.addBotToNewSpace({ title: 'Launch', others: ['bob'] });
   */
  addBotToNewSpace(options?: { title?: string; as?: Speaker; others?: Speaker[] }): Promise<Conversation>;
  /** Alice and the bot. */
  readonly direct: Conversation;
  /** Alice, Bob and the bot. */
  readonly group: Conversation;
  stop(): Promise<void>;
}

/** The inputs a person would submit: the card's current values, changed by `changes` (by id or label). */
function submission(
  cardMessage: Message,
  changes: Readonly<Record<string, SubmittedValue>>,
  buttonTitle: string | undefined,
): Record<string, unknown> {
  const shown = inputsShown(cardMessage);
  const buttons = buttonsShown(cardMessage);
  const button = buttonTitle === undefined ? buttons[0] : buttons.find((b) => b.title === buttonTitle);
  if (!button)
    throw new Error(
      `the card has no submit button "${buttonTitle ?? ''}" (buttons: ${buttons.map((b) => JSON.stringify(b.title)).join(', ') || 'none'})`,
    );
  const values: Record<string, string> = {};
  for (const i of shown) if (i.value !== undefined) values[i.id] = i.value;
  for (const [key, value] of Object.entries(changes)) {
    const input = shown.find((i) => i.id === key) ?? shown.find((i) => i.label?.toLowerCase() === key.toLowerCase());
    if (!input)
      throw new Error(
        `the card has no input "${key}" (inputs: ${shown.map((i) => (i.label ? `${i.id} "${i.label}"` : i.id)).join(', ')})`,
      );
    const text =
      typeof value === 'boolean'
        ? value
          ? input.valueOn
          : input.valueOff
        : Array.isArray(value)
          ? value.join(',')
          : String(value);
    if (text === '' && input.type !== 'Input.Toggle')
      delete values[input.id]; // Webex leaves empty inputs out
    else values[input.id] = text;
  }
  return { ...button.data, ...values };
}

/** Who `as` names: a seeded person by name (default Alice), or the person given. */
function speaker(emulator: Emulator, as: Speaker | undefined): SeedPerson {
  const seed = emulator.seed!;
  return as === undefined || as === 'alice' ? seed.alice : as === 'bob' ? seed.bob : as;
}

/** How a conversation waits for replies, and what it does with an apology. */
interface ReplyRules {
  readonly timeoutMs: number;
  /** Set (`'fail'`): an apology rejects, naming what the bot logged. */
  readonly logged: LoggedErrors | undefined;
}

/** The space `roomId` as the people in it use it. */
function conversation(emulator: Emulator, roomId: string, mentionByDefault: boolean, rules: ReplyRules): Conversation {
  const { timeoutMs, logged } = rules;
  const checked = async (reply: Promise<Message>, asked: string): Promise<Message> => {
    const message = await reply;
    const failure = logged && apologyFailure(message.markdown ?? message.text, asked, logged);
    if (failure) throw failure;
    return message;
  };
  const nextReply = () => emulator.waitForMessage({ roomId, personId: emulator.bot.id, timeoutMs });
  const send: Conversation['send'] = (text, o = {}) =>
    emulator.say({ personId: speaker(emulator, o.as).id, roomId, text, mention: o.mention ?? mentionByDefault });
  return {
    roomId,
    send,
    async say(text, o) {
      const reply = nextReply();
      await send(text, o);
      return checked(reply, JSON.stringify(text));
    },
    async submit(cardMessage, inputs, o = {}) {
      const submitted = o.raw ? { ...inputs } : submission(cardMessage, inputs, o.button);
      const reply = nextReply();
      await emulator.submitCard({ personId: speaker(emulator, o.as).id, messageId: cardMessage.id, inputs: submitted });
      return checked(reply, 'the card submitted');
    },
    press(cardMessage, title, o = {}) {
      return this.submit(cardMessage, {}, { ...o, button: title });
    },
    async sendFile(file, o = {}) {
      const reply = nextReply();
      const mention = o.mention ?? mentionByDefault;
      await emulator.say({
        personId: speaker(emulator, o.as).id,
        roomId,
        ...(o.text !== undefined ? { text: o.text } : {}),
        // A file alone in a group space: the mention is the message's only text.
        ...(mention ? { mention: true } : {}),
        files: [file],
      });
      return reply;
    },
    async addMember(who, o = {}) {
      const personId = who === 'bot' ? emulator.bot.id : speaker(emulator, who).id;
      emulator.addMember({ roomId, personId, actorId: speaker(emulator, o.as).id });
    },
    async removeMember(who, o = {}) {
      const personId = who === 'bot' ? emulator.bot.id : speaker(emulator, who).id;
      emulator.removeMember({ roomId, personId, actorId: o.as ? speaker(emulator, o.as).id : personId });
    },
    transcript: () => emulator.transcript(roomId),
  };
}

/** The bot's configuration: `options.config` over the defaults, wired to `emulator` on a random local port. */
function testBotConfig(options: TestBotOptions, emulator: Emulator, stateDir: string): BotConfig {
  return {
    ...loadConfig({}, process.cwd()),
    stateDir,
    transport: options.transport ?? 'webhook',
    webhookSecret: TEST_WEBHOOK_SECRET,
    ...options.config,
    apiUrl: emulator.apiUrl,
    port: 0,
    host: '127.0.0.1',
    skillsDir: options.skillsDir ?? path.resolve('skills'),
    cardsDir: options.cardsDir ?? path.resolve('cards'),
  };
}

/** What `skill` stored, as its handlers in `view` see it (see {@link TestBot.state}). */
function skillState(
  store: KeyValueStore,
  skill: string,
  view: StateView & { space: Pick<Conversation, 'roomId'>; card?: CardMessage },
  emulator: Emulator,
): SkillState | SubmitState {
  const where = { spaceId: view.space.roomId, personId: speaker(emulator, view.as).id };
  if (!view.card) return createSkillState(store, skill, where);
  const formTag = buttonsShown(view.card)[0]?.data['_form'];
  return createSkillState(store, skill, { ...where, formId: typeof formTag === 'string' ? formTag : view.card.id });
}

/** What a started test bot is made of; `bot` and `store` change at each `restart()`. */
interface TestBotParts {
  readonly emulator: Emulator;
  readonly logged: LoggedErrors;
  /** The bot's own folder (its event journal), when the test gave no `stateDir`: removed at stop. */
  readonly scratch: string | undefined;
  readonly openStore: () => Promise<KeyValueStore>;
  readonly launch: () => Promise<RunningBot>;
  store: KeyValueStore;
  bot: RunningBot;
}

/** Starts the emulator, then the bot against it (stopping the emulator again if the bot fails to start). */
async function startParts(options: TestBotOptions): Promise<TestBotParts> {
  // Error lines are kept whatever is printed, so that a test meeting an apology can name its cause.
  const logged = new LoggedErrors();
  const log = logged.capture(
    options.log ?? createLogger(options.logLevel ? { level: options.logLevel } : { silent: true }),
  );
  const emulator = await startEmulator({
    playground: true,
    ...options.emulator,
    delivery: { retryDelaysMs: [50, 100], ...options.emulator?.delivery },
  });
  // The store the bot runs with now: the same memory store across restarts, or the state folder opened again.
  const now: { store: KeyValueStore } = { store: new MemoryStore() };
  const openStore = async (): Promise<KeyValueStore> =>
    options.stateDir === undefined ? now.store : FileStore.open(options.stateDir);
  // The bot's own folder for its event journal (and, with `stateDir`, skills' state): kept across `restart()`.
  const scratch = options.stateDir === undefined ? mkdtempSync(path.join(tmpdir(), 'test-bot-')) : undefined;
  const config = testBotConfig(options, emulator, options.stateDir ?? scratch!);
  const tuning = (): BotTuning => ({
    stateStore: now.store,
    socket: { backoff: { initialMs: 50, maxMs: 500 } },
    eventDeadlineMs: options.eventDeadlineMs,
    ...options.tuning,
    ...(options.assistant ? { assistant: { ...options.tuning?.assistant, provider: options.assistant } } : {}),
  });
  const launch = async (): Promise<RunningBot> => startBot({ config, token: emulator.botToken, log, tuning: tuning() });
  try {
    now.store = await openStore();
    const bot = await launch();
    return {
      emulator,
      logged,
      scratch,
      openStore,
      launch,
      get store() {
        return now.store;
      },
      set store(next) {
        now.store = next;
      },
      bot,
    };
  } catch (err) {
    await now.store.close();
    await emulator.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    throw err;
  }
}

/** Starts an emulator and a bot wired to it, both on random local ports. */
export async function startTestBot(options: TestBotOptions = {}): Promise<TestBot> {
  const parts = await startParts(options);
  const { emulator, logged, scratch } = parts;
  const seed = emulator.seed!;
  const rules: ReplyRules = {
    timeoutMs: options.replyTimeoutMs ?? 5000,
    logged: options.apologies === 'return' ? undefined : logged,
  };
  const direct = conversation(emulator, seed.directRoom.id, false, rules);
  return {
    emulator,
    get bot() {
      return parts.bot;
    },
    get store() {
      return parts.store;
    },
    direct,
    group: conversation(emulator, seed.groupRoom.id, true, rules),
    async addBotToNewSpace(o = {}) {
      const creator = speaker(emulator, o.as);
      const others = (o.others ?? []).map((x) => speaker(emulator, x).id);
      const room = emulator.createRoom({
        type: 'group',
        title: o.title ?? 'New Space',
        memberIds: [creator.id, ...others, emulator.bot.id],
      });
      return conversation(emulator, room.id, true, rules);
    },
    state(skill: string, view: StateView & { card?: CardMessage } = {}): never {
      return skillState(parts.store, skill, { ...view, space: view.space ?? direct }, emulator) as never;
    },
    settled: () => settled(parts, rules.timeoutMs),
    async restart() {
      await parts.bot.stop(2000);
      if (options.stateDir !== undefined) await parts.store.close();
      parts.store = await parts.openStore();
      parts.bot = await parts.launch();
    },
    async stop() {
      await parts.bot.stop(2000);
      await parts.store.close();
      await emulator.stop();
      if (scratch) rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** Waits until the bot has nothing in flight and the emulator nothing left to deliver. */
async function settled(parts: TestBotParts, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  // Delivered events are in the pipeline at once (the bot answers a webhook once it took it).
  while (parts.bot.pipeline.inFlight > 0 || parts.emulator.deliveries().some((d) => d.state === 'pending')) {
    if (Date.now() > deadline) throw new Error(`settled: the bot still had events in flight after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
