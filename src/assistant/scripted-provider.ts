/**
 * A deterministic provider for tests (the bot's and skill authors'): each request gets the next
 * turn of a script, played step by step — text chunks, tool calls, errors, delays, a stream that
 * never ends — and every request is kept for the test to look at.
 *
 * @example
 * const provider = new ScriptedProvider([
 *   // First request: the model calls a tool.
 *   [{ toolCall: { name: 'ticket_open', arguments: { priority: 'high', title: 'VPN is down' } } }],
 *   // Second request (after the tool ran): the model answers.
 *   [{ text: 'Done: ' }, { text: 'ticket opened.' }],
 * ]);
 * // ... run the assistant ...
 * expect(provider.requests[1]?.messages.at(-1)).to.include({ role: 'tool' });
 */
import { AssistantError, type AssistantErrorCode } from '../errors.js';
import type { AssistantProvider, DoneReason, ProviderEvent, ProviderRequest } from './provider.js';

/** The codes a scripted failure may have: those of the assistant's errors (`src/errors.ts`). */
export type ScriptedErrorCode =
  | 'ASSISTANT_TIMEOUT'
  | 'ASSISTANT_UNREACHABLE'
  | 'ASSISTANT_FAILED'
  | 'ASSISTANT_BAD_ANSWER'
  | 'ASSISTANT_ABORTED';

// Kept in step with the error codes: a code added there and not here fails to compile.
type SameCodes<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _sameCodes: SameCodes<ScriptedErrorCode, AssistantErrorCode> = true;
void _sameCodes;

/** One step of a scripted turn. */
export type ScriptStep =
  /** Stream this text. */
  | { readonly text: string }
  /** Call a tool; `arguments` is JSON-encoded unless it is a string already (to script malformed JSON). */
  | { readonly toolCall: { readonly name: string; readonly arguments?: unknown; readonly id?: string } }
  /** Wait this long (ending early, quietly, when the request is aborted). */
  | { readonly delayMs: number }
  /** Fail with this error, or an `AssistantError` of this code. */
  | { readonly error: ScriptedErrorCode | Error }
  /** Stream `chunk` again and again until the request is aborted (a model that never stops). */
  | { readonly forever: string; readonly everyMs?: number }
  /** Yield nothing more, ignoring the signal (a provider that hangs): only the guard gets out of it. */
  | { readonly hang: true }
  /** End the stream with this reason (otherwise it ends with `tool-calls` after a call, else `stop`). */
  | { readonly done: DoneReason };

/** A turn: its steps, or a function of the request that gives them (to answer by what was asked). */
export type ScriptTurn = readonly ScriptStep[] | ((request: ProviderRequest) => readonly ScriptStep[]);

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** A provider that plays a script; see the module's example. */
export class ScriptedProvider implements AssistantProvider {
  readonly name = 'scripted';
  /** Every request made, in order (what the assistant sent: system text, messages, tools). */
  readonly requests: ProviderRequest[] = [];
  private readonly turns: ScriptTurn[];
  private calls = 0;

  constructor(turns: readonly ScriptTurn[]) {
    this.turns = [...turns];
  }

  /** Turns not played yet. */
  get remaining(): number {
    return this.turns.length;
  }

  /** Adds turns to the end of the script. */
  push(...turns: ScriptTurn[]): void {
    this.turns.push(...turns);
  }

  async *stream(request: ProviderRequest): AsyncGenerator<ProviderEvent, void, undefined> {
    this.requests.push(request);
    const turn = this.turns.shift();
    if (turn === undefined)
      throw new Error(`ScriptedProvider: request ${this.requests.length} has no turn left in the script`);
    const steps = typeof turn === 'function' ? turn(request) : turn;
    let called = false;
    for (const step of steps) {
      if (request.signal.aborted) return;
      if ('text' in step) yield { type: 'text', delta: step.text };
      else if ('toolCall' in step) {
        const { name, arguments: args = {}, id = `call_${++this.calls}` } = step.toolCall;
        called = true;
        yield {
          type: 'tool-call',
          call: { id, name, arguments: typeof args === 'string' ? args : JSON.stringify(args) },
        };
      } else if ('delayMs' in step) await pause(step.delayMs, request.signal);
      else if ('error' in step) {
        throw typeof step.error === 'string'
          ? new AssistantError(step.error, `scripted ${step.error}`, { status: 500 })
          : step.error;
      } else if ('forever' in step) {
        while (!request.signal.aborted) {
          yield { type: 'text', delta: step.forever };
          await pause(step.everyMs ?? 0, request.signal);
        }
        return;
      } else if ('hang' in step) await new Promise(() => undefined);
      else {
        yield { type: 'done', reason: step.done };
        return;
      }
    }
    if (!request.signal.aborted) yield { type: 'done', reason: called ? 'tool-calls' : 'stop' };
  }
}
