/**
 * The provider for OpenAI-compatible chat completions, with the `openai` package: hosted services
 * (OpenAI, and the many that speak its API) and local servers (Ollama, vLLM, llama.cpp) alike,
 * by base URL. It streams (`stream: true`), turns text deltas into `text` events, assembles tool
 * calls from their deltas (a call's id and name come first, its arguments in pieces, by `index`)
 * and maps every failure to an {@link AssistantError}.
 *
 * The API key is given to the client, which sends it only as `Authorization: Bearer …`; without a
 * key no `Authorization` header is sent at all (local servers). The URL, key, organisation and
 * project never come from `OPENAI_*` environment variables, only from the bot's settings (the
 * client still adds headers named in `OPENAI_CUSTOM_HEADERS`, for a proxy). The client does not
 * retry (a person is waiting; the assistant apologises instead), and its log lines go to the
 * bot's logger with the key scrubbed out.
 *
 * @example
 * const provider = createOpenAiProvider({ baseUrl: 'http://localhost:11434/v1', model: 'llama3.1', log });
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import { AssistantError } from '../errors.js';
import type { Logger } from '../logging.js';
import type {
  AssistantProvider,
  ChatMessage,
  DoneReason,
  ProviderEvent,
  ProviderRequest,
  ToolSpec,
} from './provider.js';

/** What the OpenAI-compatible provider needs. */
export interface OpenAiProviderOptions {
  /** The API's base URL, e.g. `https://api.openai.com/v1` or `http://localhost:11434/v1`. */
  readonly baseUrl: string;
  /** The API key; omitted for servers that need none. */
  readonly apiKey?: string | undefined;
  readonly model: string;
  readonly log: Logger;
  /** The `fetch` to use (default: Node's). */
  readonly fetch?: typeof fetch;
}

/** What an HTTP status from the model means, for logs and apologies. */
function failureOf(err: APIError, name: string): AssistantError {
  const status = err.status;
  const said = err.message.replace(/\s+/g, ' ').slice(0, 300);
  const what = status === undefined ? 'reported an error in its stream' : `answered HTTP ${status}`;
  return new AssistantError('ASSISTANT_FAILED', `${name} ${what}: ${said}`, {
    cause: err,
    ...(status === undefined ? {} : { status }),
  });
}

/** Any error of the client (or of reading its stream) as an {@link AssistantError}. */
function mapError(err: unknown, name: string, request: ProviderRequest): AssistantError {
  if (err instanceof AssistantError) return err;
  if (err instanceof APIUserAbortError || request.signal.aborted)
    return new AssistantError('ASSISTANT_ABORTED', `${name}: the request was called off`, { cause: err });
  if (err instanceof APIConnectionTimeoutError)
    return new AssistantError('ASSISTANT_TIMEOUT', `${name} did not answer within ${request.timeoutMs / 1000} s`, {
      cause: err,
    });
  if (err instanceof APIConnectionError) {
    const cause = (err.cause as { cause?: { code?: string }; code?: string } | undefined) ?? {};
    const code = cause.code ?? cause.cause?.code ?? 'no answer';
    return new AssistantError('ASSISTANT_UNREACHABLE', `${name} could not be reached (${code})`, { cause: err });
  }
  if (err instanceof APIError) return failureOf(err, name);
  if (err instanceof SyntaxError)
    return new AssistantError('ASSISTANT_BAD_ANSWER', `${name} streamed something that is not JSON`, { cause: err });
  const message = err instanceof Error ? err.message : String(err);
  return new AssistantError('ASSISTANT_FAILED', `${name}: ${message}`, { cause: err });
}

/** The conversation in the chat completions format, the system text first. */
export function toOpenAiMessages(system: string, messages: readonly ChatMessage[]): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [{ role: 'system', content: system }];
  for (const m of messages) {
    if (m.role === 'user') out.push({ role: 'user', content: m.content });
    else if (m.role === 'tool') out.push({ role: 'tool', tool_call_id: m.toolCallId, content: m.content });
    else if (m.toolCalls && m.toolCalls.length > 0) {
      out.push({
        role: 'assistant',
        content: m.content === '' ? null : m.content,
        tool_calls: m.toolCalls.map((c) => ({
          id: c.id,
          type: 'function' as const,
          function: { name: c.name, arguments: c.arguments },
        })),
      });
    } else out.push({ role: 'assistant', content: m.content });
  }
  return out;
}

/** The tools in the chat completions format. */
export function toOpenAiTools(tools: readonly ToolSpec[]): ChatCompletionTool[] {
  return tools.map((t) => ({
    type: 'function' as const,
    function: { name: t.name, description: t.description, parameters: { ...t.parameters } },
  }));
}

/** A tool call being assembled from its deltas. */
interface PartialCall {
  id: string;
  name: string;
  arguments: string;
}

/** The finish reasons of the API, as ours. */
function doneReason(finish: string | null | undefined, calls: number): DoneReason {
  if (finish === 'length') return 'length';
  if (finish === 'tool_calls' || finish === 'function_call' || calls > 0) return 'tool-calls';
  return 'stop';
}

/** Reads one chunk: its text, and its tool call pieces into `calls` (by index). */
function* readChunk(chunk: ChatCompletionChunk, calls: Map<number, PartialCall>): Generator<ProviderEvent> {
  const choice = chunk.choices?.[0];
  if (!choice) return;
  const delta = choice.delta;
  if (typeof delta?.content === 'string' && delta.content !== '') yield { type: 'text', delta: delta.content };
  for (const piece of delta?.tool_calls ?? []) {
    const index = typeof piece.index === 'number' ? piece.index : calls.size;
    const call = calls.get(index) ?? { id: '', name: '', arguments: '' };
    calls.set(index, call);
    if (piece.id) call.id = piece.id;
    if (piece.function?.name) call.name += piece.function.name;
    if (piece.function?.arguments) call.arguments += piece.function.arguments;
  }
}

/** The OpenAI `logger` option over the bot's logger, `secret` scrubbed out of every line. */
function clientLogger(log: Logger, secret: string | undefined) {
  const scrub = (args: unknown[]) => {
    const text = args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
    // Scrubbed before it is shortened, so no part of the key can be left at the cut.
    const scrubbed = secret ? text.split(secret).join('[redacted]') : text;
    return scrubbed.length > 500 ? `${scrubbed.slice(0, 500)}…` : scrubbed;
  };
  return {
    error: (...args: unknown[]) => log.warn('assistant model client', { detail: scrub(args) }),
    warn: (...args: unknown[]) => log.warn('assistant model client', { detail: scrub(args) }),
    info: (...args: unknown[]) => log.debug('assistant model client', { detail: scrub(args) }),
    debug: () => undefined,
  };
}

/**
 * Creates the provider. No request is made until the first `stream`.
 * @example
 * const provider = createOpenAiProvider({ baseUrl: 'https://api.openai.com/v1', apiKey, model: 'gpt-4o-mini', log });
 */
export function createOpenAiProvider(options: OpenAiProviderOptions): AssistantProvider {
  const name = `model ${options.model} at ${new URL(options.baseUrl).host}`;
  const client = new OpenAI({
    baseURL: options.baseUrl,
    // The client wants a key; without one, the header is removed below.
    apiKey: options.apiKey ?? 'unused',
    organization: null,
    project: null,
    adminAPIKey: null,
    webhookSecret: null,
    maxRetries: 0,
    logLevel: 'warn',
    logger: clientLogger(options.log, options.apiKey),
    ...(options.apiKey === undefined ? { defaultHeaders: { Authorization: null } } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  return {
    name: 'openai-compatible',
    async *stream(request: ProviderRequest): AsyncGenerator<ProviderEvent, void, undefined> {
      const calls = new Map<number, PartialCall>();
      let finish: string | null | undefined;
      let chunks = 0;
      try {
        const stream = await client.chat.completions.create(
          {
            model: options.model,
            messages: toOpenAiMessages(request.system, request.messages),
            ...(request.tools.length > 0 ? { tools: toOpenAiTools(request.tools) } : {}),
            max_tokens: request.maxTokens,
            stream: true,
          },
          { signal: request.signal, timeout: request.timeoutMs, maxRetries: 0 },
        );
        for await (const chunk of stream) {
          chunks += 1;
          yield* readChunk(chunk, calls);
          finish = chunk.choices?.[0]?.finish_reason ?? finish;
        }
      } catch (err) {
        throw mapError(err, name, request);
      }
      if (request.signal.aborted) return;
      if (chunks === 0) throw new AssistantError('ASSISTANT_BAD_ANSWER', `${name} answered with no chunk of a stream`);
      for (const [index, call] of [...calls.entries()].sort(([a], [b]) => a - b)) {
        if (call.name === '') continue;
        yield {
          type: 'tool-call',
          call: { id: call.id || `call_${index}`, name: call.name, arguments: call.arguments },
        };
      }
      yield { type: 'done', reason: doneReason(finish, calls.size) };
    },
  };
}
