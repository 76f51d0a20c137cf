/**
 * The provider interface: what the assistant needs of a language model, small enough to write
 * an adapter for in an afternoon. Given a system text, the conversation so far and the tools
 * (name, description, JSON Schema of the arguments), a provider streams back text deltas and
 * tool calls as an `AsyncIterable` of {@link ProviderEvent}s, and stops when the request's
 * `signal` aborts.
 *
 * A provider need not police itself: {@link guardStream} wraps any provider's stream with the
 * request's timeout, its token cap and the caller's signal, and returns even from a provider
 * that ignores its signal and never yields again. The assistant always reads a provider through it.
 *
 * @example
 * const provider: AssistantProvider = {
 *   name: 'echo',
 *   async *stream(request) {
 *     const last = request.messages.at(-1);
 *     yield { type: 'text', delta: `You said: ${last?.content ?? ''}` };
 *     yield { type: 'done', reason: 'stop' };
 *   },
 * };
 */
import { AssistantError, isBotError } from '../errors.js';

/** A JSON Schema object, as sent to the model (the tools' arguments). */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** A tool the model may call: one of the bot's commands (see `tools.ts`). */
export interface ToolSpec {
  /** `^[a-zA-Z0-9_-]{1,64}$`, as OpenAI-compatible APIs require. */
  readonly name: string;
  readonly description: string;
  /** The JSON Schema of its arguments: always `{ type: 'object', properties, required, ... }`. */
  readonly parameters: JsonSchema;
}

/** A call of a tool by the model. */
export interface ToolCall {
  /** The provider's id of the call (results are matched to calls by it). */
  readonly id: string;
  readonly name: string;
  /** The arguments as the model wrote them: JSON text, not yet checked (it may not even parse). */
  readonly arguments: string;
}

/** One message of the conversation. */
export type ChatMessage =
  | { readonly role: 'user'; readonly content: string }
  | { readonly role: 'assistant'; readonly content: string; readonly toolCalls?: readonly ToolCall[] }
  /** What came of a tool call, told to the model. */
  | { readonly role: 'tool'; readonly toolCallId: string; readonly content: string };

/** What a provider is asked. */
export interface ProviderRequest {
  /** The instructions (who the assistant is, what it may do). */
  readonly system: string;
  /** The conversation so far, oldest first; the last is usually the person's message or a tool result. */
  readonly messages: readonly ChatMessage[];
  readonly tools: readonly ToolSpec[];
  /** Most tokens the model may write (a provider passes it on, e.g. as `max_tokens`). */
  readonly maxTokens: number;
  /** Longest the whole request may take, streaming included, in milliseconds. */
  readonly timeoutMs: number;
  /** Aborted when the request is called off (timeout, cap, the bot stopping): stop reading then. */
  readonly signal: AbortSignal;
}

/** Why a stream ended. */
export type DoneReason =
  /** The model finished its answer. */
  | 'stop'
  /** The model stopped to have tools called. */
  | 'tool-calls'
  /** The model reached `maxTokens` by its own count. */
  | 'length'
  /** `guardStream` cut the stream: past the token cap by its own count. */
  | 'cut';

/** What a provider streams. */
export type ProviderEvent =
  | { readonly type: 'text'; readonly delta: string }
  | { readonly type: 'tool-call'; readonly call: ToolCall }
  /** The last event of a stream (a provider that ends without one is taken to have said `stop`). */
  | { readonly type: 'done'; readonly reason: DoneReason };

/**
 * A language model behind the assistant. `stream` throws `AssistantError`s (`src/errors.ts`)
 * (`ASSISTANT_UNREACHABLE`, `ASSISTANT_FAILED`, `ASSISTANT_BAD_ANSWER`...) for what went wrong.
 */
export interface AssistantProvider {
  /** For logs and metrics, e.g. `openai-compatible`. */
  readonly name: string;
  stream(request: ProviderRequest): AsyncIterable<ProviderEvent>;
}

/** Characters per token when counting what a stream wrote (a common rule of thumb for English). */
export const CHARS_PER_TOKEN = 4;

/** What {@link guardStream} enforces. */
export interface StreamGuard {
  readonly timeoutMs: number;
  readonly maxTokens: number;
  /** The caller's own signal (the bot stopping). */
  readonly signal?: AbortSignal | undefined;
}

/** Why the guard stopped the stream, if it did. */
type Stopped = { kind: 'timeout' } | { kind: 'aborted' } | undefined;

/**
 * Streams `provider`'s answer to `request` within `guard`: the provider gets a signal that aborts
 * on the timeout, on the caller's signal and when the stream is cut; text and tool-call arguments
 * past `maxTokens` (at {@link CHARS_PER_TOKEN} characters a token) end the stream with
 * `{ type: 'done', reason: 'cut' }`. Ends with exactly one `done` event.
 *
 * @throws {AssistantError} `ASSISTANT_TIMEOUT` when the time is up, `ASSISTANT_ABORTED` when the
 *   caller's signal aborted, and the provider's own errors (anything else becomes `ASSISTANT_FAILED`).
 * @example
 * for await (const event of guardStream(provider, { system, messages, tools }, { timeoutMs: 30_000, maxTokens: 800 })) {
 *   if (event.type === 'text') writer.append(event.delta);
 * }
 */
export async function* guardStream(
  provider: AssistantProvider,
  request: Omit<ProviderRequest, 'signal' | 'timeoutMs' | 'maxTokens'>,
  guard: StreamGuard,
): AsyncGenerator<ProviderEvent, void, undefined> {
  const { controller, stopped, whenStopped, release } = stopSwitch(guard);
  const cap = guard.maxTokens * CHARS_PER_TOKEN;
  let written = 0;
  let iterator: AsyncIterator<ProviderEvent> | undefined;
  try {
    iterator = provider
      .stream({ ...request, maxTokens: guard.maxTokens, timeoutMs: guard.timeoutMs, signal: controller.signal })
      [Symbol.asyncIterator]();
    for (;;) {
      const pending = iterator.next();
      // Once the guard has stopped the stream, what the provider still does is of no interest.
      pending.catch(() => undefined);
      const next = await Promise.race([pending, whenStopped]);
      if (next === 'stopped' || stopped()) throw stoppedError(stopped(), guard);
      if (next.done) break;
      const event = next.value;
      if (event.type === 'done') {
        yield event;
        return;
      }
      written += event.type === 'text' ? event.delta.length : event.call.arguments.length;
      if (written > cap) {
        controller.abort();
        yield { type: 'done', reason: 'cut' };
        return;
      }
      yield event;
    }
    yield { type: 'done', reason: 'stop' };
  } catch (err) {
    throw stopped() ? stoppedError(stopped(), guard) : asAssistantError(err, provider.name);
  } finally {
    // Released in any case: a provider may hold a connection until its signal aborts.
    release();
    // Let the provider clean up (close its HTTP stream); never wait on one that ignores its signal.
    void Promise.resolve()
      .then(() => iterator?.return?.())
      .catch(() => undefined);
  }
}

/**
 * What stops a guarded stream: its timeout, or the caller's signal. `whenStopped` settles then,
 * so that a provider that never yields again cannot hang the caller; `release` ends it all.
 */
function stopSwitch(guard: StreamGuard) {
  const controller = new AbortController();
  let why: Stopped;
  const stop = (reason: NonNullable<Stopped>) => {
    why ??= reason;
    controller.abort();
  };
  const timer = setTimeout(() => stop({ kind: 'timeout' }), guard.timeoutMs);
  const onAbort = () => stop({ kind: 'aborted' });
  guard.signal?.addEventListener('abort', onAbort, { once: true });
  if (guard.signal?.aborted) onAbort();
  const whenStopped = new Promise<'stopped'>((resolve) => {
    if (controller.signal.aborted) resolve('stopped');
    else controller.signal.addEventListener('abort', () => resolve('stopped'), { once: true });
  });
  return {
    controller,
    stopped: (): Stopped => why,
    whenStopped,
    release() {
      clearTimeout(timer);
      guard.signal?.removeEventListener('abort', onAbort);
      controller.abort();
    },
  };
}

function stoppedError(stopped: Stopped, guard: StreamGuard): AssistantError {
  return stopped?.kind === 'aborted'
    ? new AssistantError('ASSISTANT_ABORTED', 'the request to the model was called off')
    : new AssistantError('ASSISTANT_TIMEOUT', `the model did not finish within ${guard.timeoutMs / 1000} s`);
}

/** `err` as an {@link AssistantError}: a provider's own coded errors as they are, anything else `ASSISTANT_FAILED`. */
export function asAssistantError(err: unknown, providerName: string): AssistantError {
  if (isBotError(err) && err.code.startsWith('ASSISTANT_')) return err as AssistantError;
  const message = err instanceof Error ? err.message : String(err);
  return new AssistantError('ASSISTANT_FAILED', `${providerName}: ${message}`, { cause: err });
}
