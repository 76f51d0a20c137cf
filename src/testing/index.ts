/**
 * `webex-skill-bot/testing`: test a bot project's skills the way people use them — a real bot
 * (framework, SDK, signed webhooks over HTTP) against an in-process Webex emulator, driven by
 * "Alice says…" and "Alice submits the card…", with the bot's replies returned. No token, no
 * network: it runs anywhere `npm test` runs.
 *
 * @example
 * import { expect } from 'chai';
 * import { startTestBot, textShown, type TestBot } from 'webex-skill-bot/testing';
 *
 * describe('skill: hello', () => {
 *   let t: TestBot;
 *   before(async () => { t = await startTestBot(); });
 *   after(() => t.stop());
 *   it('greets', async () => expect(textShown(await t.direct.say('hello'))).to.include('Hello'));
 * });
 */
import type { AssistantProvider } from '../assistant/provider.js';
import type { SkillState, SubmitState } from '../skill-kit/state.js';
import { startTestBot as startBotUnderTest } from './test-bot.js';

export {
  buttonsShown,
  cardOf,
  errorsShown,
  inputsShown,
  textShown,
  type CardErrors,
  type CardMessage,
  type ShownInput,
} from './card-reader.js';

// The assistant's model, scripted, for tests of what it does with the skills.
export {
  ScriptedProvider,
  type ScriptedErrorCode,
  type ScriptStep,
  type ScriptTurn,
} from '../assistant/scripted-provider.js';
export type {
  AssistantProvider,
  ChatMessage,
  DoneReason,
  JsonSchema,
  ProviderEvent,
  ProviderRequest,
  ToolCall,
  ToolSpec,
} from '../assistant/provider.js';

// What `state()` returns: the same types as the skill kit's (`webex-skill-bot`).
export type { OnceScopeOptions, SkillState, StateOptions, StateScope, SubmitState } from '../skill-kit/state.js';

/** A file or card attached to a message; a card is `application/vnd.microsoft.card.adaptive`. */
export interface Attachment {
  readonly contentType: string;
  readonly content: Record<string, unknown>;
}

/** A message in a test space, as Webex's `GET /messages/{id}` gives it. */
export interface Message {
  readonly id: string;
  /** The thread's first message, for a message in a thread. */
  readonly parentId?: string;
  readonly roomId: string;
  readonly roomType: 'direct' | 'group';
  readonly text?: string;
  readonly markdown?: string;
  readonly html?: string;
  readonly personId: string;
  readonly personEmail: string;
  readonly mentionedPeople?: readonly string[];
  readonly attachments?: readonly Attachment[];
  readonly created: string;
  readonly updated?: string;
}

/** A value to submit for an input: text as Webex sends it, or a number, a toggle's on/off, a multi-select's values. */
export type SubmittedValue = string | number | boolean | readonly string[];

/** Who speaks: Alice (the default) or Bob, the two people of the test spaces. */
export type Speaker = 'alice' | 'bob';

/** Options of {@link Conversation.say} and {@link Conversation.send}. */
export interface SayOptions {
  /** Who says it (default Alice). */
  readonly as?: Speaker;
  /** In the group space the bot is @mentioned unless this is `false`. */
  readonly mention?: boolean;
}

/** Options of {@link Conversation.submit}. */
export interface SubmitOptions {
  /** Who submits (default Alice). */
  readonly as?: Speaker;
  /** The title of the submit button to press (default: the card's first). */
  readonly button?: string;
  /** Send `inputs` exactly as given: no label look-up, no current values, no conversion (to test forged submissions). */
  readonly raw?: boolean;
}

/** One space, seen from the people in it. */
export interface Conversation {
  /** The space's id. */
  readonly roomId: string;
  /**
   * Sends `text` and returns the bot's reply.
   * @example const reply = await t.direct.say('echo hi');
   */
  say(text: string, options?: SayOptions): Promise<Message>;
  /** Sends `text` without waiting for a reply; returns the message sent. */
  send(text: string, options?: SayOptions): Promise<Message>;
  /**
   * Submits the card in `cardMessage` as a person would: the inputs keep the values the card
   * shows, `inputs` (keyed by input id or label) change some. Returns the bot's reply.
   * @example const done = await t.direct.submit(card, { 'Your message': 'hi' });
   */
  submit(
    cardMessage: Message,
    inputs: Readonly<Record<string, SubmittedValue>>,
    options?: SubmitOptions,
  ): Promise<Message>;
  /**
   * Presses the button titled `title` on the card, changing no input; returns the bot's reply.
   * @example const next = await t.direct.press(card, 'Cancel');
   */
  press(cardMessage: Message, title: string, options?: { readonly as?: Speaker }): Promise<Message>;
  /** The space's messages, oldest first. */
  transcript(): Message[];
}

/** Whose state to look at: a space's (default the direct one) as a person (default Alice). */
export interface StateView {
  readonly space?: Conversation;
  readonly as?: Speaker;
}

/** A running bot under test, with two spaces: Alice and the bot, and Alice, Bob and the bot. */
export interface TestBot {
  /** Alice and the bot. */
  readonly direct: Conversation;
  /** Alice, Bob and the bot (the bot answers when @mentioned, as in Webex). */
  readonly group: Conversation;
  /**
   * What skill `skill` stored, as its handlers see it; pass a card message for its form's state.
   * @example expect(await t.state('hello').person.get('visits')).to.equal(1);
   */
  state(skill: string, view?: StateView): SkillState;
  state(skill: string, view: StateView & { readonly card: Message }): SubmitState;
  /** Stops the bot and starts a new one on the same emulator and state (as after a deploy). */
  restart(): Promise<void>;
  /** Stops the bot and the emulator. */
  stop(): Promise<void>;
}

/** Options of {@link startTestBot}. */
export interface TestBotOptions {
  /** Skills folder (default: `skills/` of the project in the working directory). */
  readonly skillsDir?: string;
  /** Card templates folder (default: `cards/` of the project in the working directory). */
  readonly cardsDir?: string;
  /** Print the bot's log lines of this level and above (default: none). */
  readonly logLevel?: 'error' | 'warn' | 'info' | 'debug';
  /** Longest wait for a reply, in milliseconds (default 5000). */
  readonly replyTimeoutMs?: number;
  /** How events reach the bot: `webhook` (default) or `websocket` (the event socket). */
  readonly transport?: 'webhook' | 'websocket';
  /** Keep skills' state in files in this folder (survives `restart()`); default: in memory. */
  readonly stateDir?: string;
  /**
   * A reply that is the bot's apology ("Sorry, something went wrong… reference X"): `'fail'`
   * (default) rejects `say()`/`submit()` with the error the bot logged for that event (a card
   * missing data, a handler that threw); `'return'` returns the apology as the reply, to test it.
   */
  readonly apologies?: 'fail' | 'return';
  /**
   * The assistant's model, scripted (see {@link ScriptedProvider}): text that matches no command
   * goes to it, as with `ASSISTANT_BASE_URL` set. Default: no assistant.
   * @example const t = await startTestBot({ assistant: new ScriptedProvider([[{ toolCall: { name: 'echo', arguments: { text: 'hi' } } }]]) });
   */
  readonly assistant?: AssistantProvider;
}

/**
 * Starts the emulator and a bot serving the project's skills and cards, both on random local ports.
 * @example
 * const t = await startTestBot();
 * const reply = await t.direct.say('help');
 * await t.stop();
 */
export function startTestBot(options: TestBotOptions = {}): Promise<TestBot> {
  return startBotUnderTest(options);
}
