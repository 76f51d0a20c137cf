/**
 * The assistant: plain language in, the right command out, the answer streamed. Everything it
 * uses is handed in — the model (a provider), the skills and the command index's lookup, a
 * `runCommand(text)` that stands for `dispatchText`, a poster for its own messages, memory,
 * limits, a log and metrics — so it runs the same in the bot and in a test.
 *
 * One request: the person's rate is checked; the tools are the commands they may run (plus
 * `what_i_can_do`); the model's answer is streamed into a message; each tool call becomes the
 * command text a person would type and runs through `runCommand` (so the access policy,
 * permissions, input checks, confirmation and error boundary apply as to a typed command: the
 * model only ever produces text); what came of it goes back to the model for another round, up
 * to `maxRounds` (the last round offers no tools). A call that names no tool or whose arguments
 * are wrong is told to the model once; the second gets the person the command's usage. A model
 * that fails or does not answer in time gets the person a short apology pointing to `help`.
 * `answer` never rejects.
 *
 * @example
 * const assistant = createAssistant({ provider, skills, find: index.find, limits: { timeoutMs: 30_000, maxTokens: 800 }, log });
 * await assistant.answer({
 *   text: 'open a high ticket: VPN is down', person, space, poster,
 *   runCommand: (text) => core.dispatchText({ ...event, text }, scope),
 * });
 */
import type { FormPrefill } from '../cards/prefill.js';
import { isBotError } from '../errors.js';
import type { Logger } from '../logging.js';
import type { AssistantMetrics, AssistantOutcome } from '../metrics/types.js';
import { NO_METRICS } from '../metrics/types.js';
import type { CommandLookup } from '../routing/command-index.js';
import type { LoadedSkill } from '../routing/skill-loader.js';
import type { Person, Space } from '../skill-kit/types.js';
import {
  ABILITIES_SPEC,
  abilitiesText,
  EVERYONE_MAY_RUN,
  type MayRun,
  type Refusal,
  skillsOf,
  toolsFor,
} from './abilities.js';
import { DEFAULT_MAX_ROUNDS, type RateLimiter, type TurnLimits } from './limits.js';
import { type ConversationKey, type ConversationMemory, NO_MEMORY } from './memory.js';
import { type AssistantProvider, type ChatMessage, guardStream, type ToolCall, type ToolSpec } from './provider.js';
import { type MessagePoster, StreamWriter, type StreamWriterOptions } from './stream-writer.js';
import { problemForModel, toCommandText, usageAnswer } from './tool-call.js';
import type { FormCard } from './form-tools.js';
import { type CommandTool, commandTools } from './tools.js';
import {
  apology,
  type CommandRun,
  CUT_NOTE,
  runResultForModel,
  slowDown,
  systemText,
  UNFINISHED_NOTE,
} from './wording.js';

export type { CommandRun } from './wording.js';

/** What the assistant is built from. */
export interface AssistantOptions {
  readonly provider: AssistantProvider;
  /** The loaded skills, in load order (their commands become the tools). */
  readonly skills: readonly LoadedSkill[];
  /** The command index's lookup, the one `dispatchText` matches with. */
  readonly find: (text: string) => CommandLookup;
  readonly limits: TurnLimits;
  readonly log: Logger;
  /** What it remembers [nothing]. */
  readonly memory?: ConversationMemory | undefined;
  /** Requests per person [no limit]. */
  readonly rate?: RateLimiter | undefined;
  /** Who may run what: the tools offered [everyone everything]. Typed-command permissions still apply. */
  readonly mayRun?: MayRun | undefined;
  /**
   * What a person is told when the model calls a command they may not run (the words a typed
   * one gets) [nothing: the model is told there is no such tool].
   */
  readonly refusal?: Refusal | undefined;
  readonly metrics?: AssistantMetrics | undefined;
  /** The bot's name, for the model (a function: it is known once the bot has connected). */
  readonly botName?: string | (() => string | undefined) | undefined;
  /** Tuning of the streamed answers (tests: a fake clock). */
  readonly writer?: StreamWriterOptions | undefined;
  /** Aborts every request to the model (the bot stopping). */
  readonly signal?: AbortSignal | undefined;
  /** The clock [Date.now]. */
  readonly now?: (() => number) | undefined;
  /** The cards of commands that open a form (`opensForm`), so their tools take its fields [none]. */
  readonly formCard?: FormCard | undefined;
}

/** How a command run for the assistant is run besides its text. */
export interface CommandRunOptions {
  /** The form the command opens, pre-filled with these values (never submitted). */
  readonly prefill?: FormPrefill | undefined;
}

/** One message for the assistant. */
export interface AssistantRequest {
  /** What the person wrote (the bot's mention already removed). */
  readonly text: string;
  readonly person: Person;
  readonly space: Space;
  /** Where the assistant's own messages go (the reply's space and thread). */
  readonly poster: MessagePoster;
  /** Runs `text` exactly as if the person had typed it: `dispatchText` (the form it opens pre-filled, if asked). */
  runCommand(text: string, options?: CommandRunOptions): Promise<CommandRun>;
  /** How help is typed here [`help`; `@Bot help` in a group]. */
  readonly helpWord?: string | undefined;
  /** The event's logger [the assistant's]. */
  readonly log?: Logger | undefined;
}

/** How a request ended. */
export interface AssistantResult {
  readonly outcome: AssistantOutcome;
  /** The command texts run, in order. */
  readonly commands: readonly string[];
}

/** The assistant. */
export interface Assistant {
  /** Answers one message; never rejects. */
  answer(request: AssistantRequest): Promise<AssistantResult>;
  /** Forgets the conversation of one person in one space (the `forget` command); `true` when there was one. */
  forget(key: ConversationKey): Promise<boolean>;
  /** Every command as a tool (before `mayRun`). */
  readonly tools: readonly CommandTool[];
}

/** Tool calls of one round that are acted on; more are told to wait. */
const MAX_CALLS_PER_ROUND = 3;

/** What one round of the model gave. */
interface Round {
  readonly text: string;
  readonly calls: readonly ToolCall[];
  readonly cut: boolean;
}

/** Ends a turn early, with its outcome. */
class TurnOver {
  constructor(readonly outcome: AssistantOutcome) {}
}

/** One request, from the person's message to the end of the answer. */
class Turn {
  private readonly messages: ChatMessage[] = [];
  private readonly commands: string[] = [];
  private readonly said: string[] = [];
  private problems = 0;
  private offered: CommandTool[] = [];
  private writer: StreamWriter;
  private readonly log: Logger;
  private readonly helpWord: string;

  constructor(
    private readonly options: AssistantOptions,
    private readonly tools: readonly CommandTool[],
    private readonly request: AssistantRequest,
  ) {
    this.log = request.log ?? options.log;
    this.helpWord = request.helpWord ?? 'help';
    this.writer = this.newWriter();
  }

  private get key(): ConversationKey {
    return { spaceId: this.request.space.id, personId: this.request.person.id };
  }

  private newWriter(): StreamWriter {
    return new StreamWriter(this.request.poster, { ...this.options.writer, log: this.log });
  }

  async run(): Promise<AssistantOutcome> {
    const { request, options } = this;
    const verdict = (await options.rate?.take(request.person.id)) ?? { allowed: true };
    if (!verdict.allowed) {
      await request.poster.post(slowDown(verdict.retryAfterMs, this.helpWord));
      return 'rate_limited';
    }
    // The placeholder first: the person sees at once that an answer is coming.
    await this.writer.start();
    this.offered = await toolsFor(this.tools, request, options.mayRun ?? EVERYONE_MAY_RUN);
    this.messages.push(...(await (options.memory ?? NO_MEMORY).recall(this.key)));
    this.messages.push({ role: 'user', content: request.text });
    const outcome = await this.rounds();
    await (options.memory ?? NO_MEMORY).remember(this.key, { user: request.text, assistant: this.summary() });
    return outcome;
  }

  /** Asks the model, runs what it calls, and asks again, up to the limit of rounds. */
  private async rounds(): Promise<AssistantOutcome> {
    const maxRounds = this.options.limits.maxRounds ?? DEFAULT_MAX_ROUNDS;
    for (let round = 1; ; round++) {
      const last = round >= maxRounds;
      const answer = await this.ask(last ? [] : [ABILITIES_SPEC, ...this.offered.map((t) => t.spec)]);
      if (answer instanceof TurnOver) return answer.outcome;
      this.said.push(answer.text);
      if (answer.calls.length === 0 || answer.cut || last) {
        await this.writer.finish(answer.cut ? CUT_NOTE : undefined);
        return answer.cut ? 'cut' : 'answered';
      }
      // What the model said comes before what the commands show: finished (or its placeholder gone) first.
      await this.writer.finish();
      this.messages.push({ role: 'assistant', content: answer.text, toolCalls: answer.calls });
      const ended = await this.callTools(answer.calls);
      if (ended) return ended.outcome;
      this.writer = this.newWriter();
    }
  }

  /** One request to the model, streamed into the writer; a failure ends the turn with an apology. */
  private async ask(tools: readonly ToolSpec[]): Promise<Round | TurnOver> {
    const { options } = this;
    const calls: ToolCall[] = [];
    let text = '';
    let cut = false;
    const system = systemText({
      botName: typeof options.botName === 'function' ? options.botName() : options.botName,
      person: this.request.person,
      space: this.request.space,
      skills: skillsOf(this.offered, options.skills),
      today: new Date((options.now ?? Date.now)()).toISOString().slice(0, 10),
    });
    try {
      const guard = {
        timeoutMs: options.limits.timeoutMs,
        maxTokens: options.limits.maxTokens,
        signal: options.signal,
      };
      for await (const event of guardStream(options.provider, { system, messages: [...this.messages], tools }, guard)) {
        if (event.type === 'text') {
          text += event.delta;
          this.writer.append(event.delta);
        } else if (event.type === 'tool-call') calls.push(event.call);
        else cut = event.reason === 'cut';
      }
    } catch (err) {
      return this.failed(err, text);
    }
    return { text, calls, cut };
  }

  /** The model failed: the answer so far is finished with a note, or the placeholder becomes an apology. */
  private async failed(err: unknown, text: string): Promise<TurnOver> {
    const code = isBotError(err) ? err.code : 'ASSISTANT_FAILED';
    this.options.metrics?.assistantError(code);
    this.log.warn('the assistant could not answer', { err, code });
    this.said.push(text);
    await this.writer.finish(text.trim() === '' ? apology(this.helpWord) : UNFINISHED_NOTE);
    return new TurnOver(code === 'ASSISTANT_TIMEOUT' ? 'timeout' : 'failed');
  }

  /** Runs a round's tool calls in order; a second bad call ends the turn with the command's usage. */
  private async callTools(calls: readonly ToolCall[]): Promise<TurnOver | undefined> {
    const metrics = this.options.metrics ?? NO_METRICS;
    let listed = false;
    let stop = false;
    for (const [i, call] of calls.entries()) {
      const resolution = toCommandText(call, this.offered, this.options.find);
      const withheld = this.withheld(call, resolution);
      if (withheld && i < MAX_CALLS_PER_ROUND && !stop) {
        // A command this person may not run (never offered: a prompt that names it): not run,
        // and the person told in the words a typed one gets.
        metrics.assistantToolCall(call.name, 'refused');
        this.log.info('the model called a command the person may not run: refused', { tool: call.name });
        await this.request.poster.post(withheld);
        return new TurnOver('refused');
      }
      let result: string;
      if (i >= MAX_CALLS_PER_ROUND || stop) {
        result = 'Not run: one thing at a time. Ask the person whether to go on.';
      } else if (resolution.kind === 'abilities') {
        metrics.assistantToolCall(call.name, 'listed');
        await this.request.poster.post(abilitiesText(this.offered, this.options.skills));
        listed = true;
        result = 'The list of what the bot can do for this person has been shown to them.';
      } else if (resolution.kind === 'command') {
        metrics.assistantToolCall(call.name, 'ran');
        const run = await this.runCommand(resolution.text, resolution.prefill);
        // Anything but a plain success (a refusal, a question, a confirmation asked) stops the commands here.
        stop = run.kind !== 'handled';
        result = runResultForModel(resolution.text, run, resolution.prefill !== undefined);
      } else {
        metrics.assistantToolCall(
          resolution.tool ? call.name : 'unknown',
          resolution.tool ? 'invalid' : 'unknown_tool',
        );
        this.problems += 1;
        this.log.info('the model made a tool call that cannot run', { tool: call.name, problem: resolution.problem });
        if (this.problems >= 2) {
          await this.request.poster.post(usageAnswer(resolution, this.helpWord));
          return new TurnOver('usage');
        }
        result = problemForModel(resolution);
      }
      this.messages.push({ role: 'tool', toolCallId: call.id, content: result });
    }
    // Only the list was asked for: it is the answer.
    return listed && this.commands.length === 0 && calls.length === 1 ? new TurnOver('listed') : undefined;
  }

  /** The policy's refusal when `call` names a command this person may not run (and a refusal is known). */
  private withheld(call: ToolCall, resolution: ReturnType<typeof toCommandText>): string | undefined {
    const { refusal } = this.options;
    if (!refusal || resolution.kind !== 'problem' || resolution.tool) return undefined;
    const tool = this.tools.find((t) => t.spec.name === call.name);
    return tool ? refusal(tool.command, this.request) : undefined;
  }

  private async runCommand(text: string, prefill: FormPrefill | undefined): Promise<CommandRun> {
    this.commands.push(text);
    this.log.info('the assistant runs a command', {
      command: text,
      ...(prefill ? { prefilled: Object.keys(prefill.values) } : {}),
    });
    try {
      return await this.request.runCommand(text, prefill ? { prefill } : undefined);
    } catch (err) {
      this.log.error('a command run for the assistant failed', { err });
      return { kind: 'failed' };
    }
  }

  /** The answer as remembered: what was said, and the commands run. */
  private summary(): string {
    const ran = this.commands.map((c) => `(ran the command \`${c}\`)`);
    return [...this.said.filter((s) => s.trim() !== ''), ...ran].join('\n') || '(no answer)';
  }

  /** The result of this turn, once run. */
  result(outcome: AssistantOutcome): AssistantResult {
    return { outcome, commands: [...this.commands] };
  }

  /** After an unexpected error: the answer finished with an apology, if a message can still go. */
  async rescue(): Promise<void> {
    const sorry = apology(this.helpWord);
    await (this.writer.closed ? this.request.poster.post(sorry) : this.writer.finish(sorry)).catch(() => undefined);
  }
}

/**
 * Creates the assistant. Its tools are made once, from `skills`.
 * @example
 * const assistant = createAssistant({ provider: new ScriptedProvider([...]), skills, find: index.find, limits, log });
 */
export function createAssistant(options: AssistantOptions): Assistant {
  const tools = commandTools(options.skills, options.formCard);
  const metrics = options.metrics ?? NO_METRICS;
  const now = options.now ?? Date.now;
  return {
    tools,
    forget: (key) => (options.memory ?? NO_MEMORY).forget(key),
    async answer(request) {
      const started = now();
      const turn = new Turn(options, tools, request);
      let outcome: AssistantOutcome;
      try {
        outcome = await turn.run();
      } catch (err) {
        (request.log ?? options.log).error('the assistant failed', { err });
        await turn.rescue();
        outcome = 'failed';
      }
      metrics.assistantRequest(outcome, (now() - started) / 1000);
      return turn.result(outcome);
    },
  };
}
