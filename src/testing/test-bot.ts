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
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBot, type BotCommonSettings, type BotTransportSettings, type RunningBot } from '../bot.js';
import { startEmulator, type Emulator, type EmulatorOptions, type Message, type SeedPerson } from '../emulator/index.js';
import { createLogger, type LogLevel, type Logger } from '../logging.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The webhook secret of test bots (tests sign their own crafted webhooks with it). */
export const TEST_WEBHOOK_SECRET = 'test-bot-webhook-secret-0123456789';

/** Options for {@link startTestBot}. */
export interface TestBotOptions {
  /** Skills folder (default: the project's `skills/`). */
  readonly skillsDir?: string;
  /** Card templates folder (default: the project's `cards/`). */
  readonly cardsDir?: string;
  /** Bot logs: silent unless a level is given. */
  readonly logLevel?: LogLevel;
  /** A logger of your own for the bot (to capture its lines); wins over `logLevel`. */
  readonly log?: Logger;
  /** Longest wait for a reply (default 5 s). */
  readonly replyTimeoutMs?: number;
  /**
   * More bot settings (access lists, rate limits, governor limits...), over the test defaults.
   * The fixed wiring (token, URLs, folders, port) cannot be replaced.
   */
  readonly settings?: Partial<Omit<BotCommonSettings, 'token' | 'apiUrl' | 'port' | 'host' | 'log'>> & { readonly webhookSecretPrevious?: string };
  /**
   * How events reach the bot: `webhook` (default; signed webhooks to the bot's local URL) or
   * `websocket` (the emulator's event socket; reconnects after 50 ms, backing off to 500 ms).
   */
  readonly transport?: 'webhook' | 'websocket';
  /** More emulator options (e.g. `delivery.duplicates`), over the test defaults. */
  readonly emulator?: EmulatorOptions;
  /** Deadline for the Webex side of one event (default 30 s; tests of hangs use less). */
  readonly eventDeadlineMs?: number;
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
  /** Submits the card in `cardMessage` with `inputs` (plus its submit action's data) and returns the bot's reply. */
  submit(cardMessage: Message, inputs: Record<string, unknown>, options?: { as?: Speaker }): Promise<Message>;
  /** The space's messages, oldest first. */
  transcript(): Message[];
}

/** A running bot under test. */
export interface TestBot {
  readonly emulator: Emulator;
  readonly bot: RunningBot;
  /** Alice and the bot. */
  readonly direct: Conversation;
  /** Alice, Bob and the bot. */
  readonly group: Conversation;
  stop(): Promise<void>;
}

/** The `data` of a card's first Action.Submit: Webex merges it into the inputs, so a submit carries it. */
function submitData(card: unknown): Record<string, unknown> {
  let found: Record<string, unknown> | undefined;
  const visit = (v: unknown): void => {
    if (found || typeof v !== 'object' || v === null) return;
    if (Array.isArray(v)) return v.forEach(visit);
    const o = v as Record<string, unknown>;
    if (o['type'] === 'Action.Submit') {
      found = typeof o['data'] === 'object' && o['data'] !== null ? (o['data'] as Record<string, unknown>) : {};
      return;
    }
    Object.values(o).forEach(visit);
  };
  visit(card);
  return found ?? {};
}

/** Starts an emulator and a bot wired to it, both on random local ports. */
export async function startTestBot(options: TestBotOptions = {}): Promise<TestBot> {
  const log: Logger = options.log ?? createLogger(options.logLevel ? { level: options.logLevel } : { silent: true });
  const emulator = await startEmulator({ playground: true, ...options.emulator, delivery: { retryDelaysMs: [50, 100], ...options.emulator?.delivery } });
  const { webhookSecretPrevious, ...common } = options.settings ?? {};
  const transport: BotTransportSettings =
    options.transport === 'websocket'
      ? { transport: 'websocket', socketBackoff: { initialMs: 50, maxMs: 500 } }
      : { webhookUrl: (port) => `http://127.0.0.1:${port}/webhook`, webhookSecret: TEST_WEBHOOK_SECRET, ...(webhookSecretPrevious ? { webhookSecretPrevious } : {}) };
  let bot: RunningBot;
  try {
    bot = await startBot({
      token: emulator.botToken,
      apiUrl: emulator.apiUrl,
      ...transport,
      port: 0,
      host: '127.0.0.1',
      skillsDir: options.skillsDir ?? path.join(projectRoot, 'skills'),
      cardsDir: options.cardsDir ?? path.join(projectRoot, 'cards'),
      log,
      ...(options.eventDeadlineMs !== undefined ? { eventDeadlineMs: options.eventDeadlineMs } : {}),
      ...common,
    });
  } catch (err) {
    await emulator.stop();
    throw err;
  }
  const seed = emulator.seed!;
  const timeoutMs = options.replyTimeoutMs ?? 5000;
  const person = (as: Speaker | undefined): SeedPerson => (as === undefined || as === 'alice' ? seed.alice : as === 'bob' ? seed.bob : as);

  const conversation = (roomId: string, mentionByDefault: boolean): Conversation => {
    const nextReply = () => emulator.waitForMessage({ roomId, personId: emulator.bot.id, timeoutMs });
    const send: Conversation['send'] = (text, o = {}) =>
      emulator.say({ personId: person(o.as).id, roomId, text, mention: o.mention ?? mentionByDefault });
    return {
      roomId,
      send,
      async say(text, o) {
        const reply = nextReply();
        await send(text, o);
        return reply;
      },
      async submit(cardMessage, inputs, o = {}) {
        const reply = nextReply();
        const card = cardMessage.attachments?.[0]?.content;
        await emulator.submitCard({ personId: person(o.as).id, messageId: cardMessage.id, inputs: { ...submitData(card), ...inputs } });
        return reply;
      },
      transcript: () => emulator.transcript(roomId),
    };
  };

  return {
    emulator,
    bot,
    direct: conversation(seed.directRoom.id, false),
    group: conversation(seed.groupRoom.id, true),
    async stop() {
      await bot.stop(2000);
      await emulator.stop();
    },
  };
}
