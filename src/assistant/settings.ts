/**
 * The assistant's slice of the configuration (the `ASSISTANT_*` settings, declared in
 * `src/config/settings.ts`), as one object: undefined while `ASSISTANT_BASE_URL` is unset, which
 * is how the assistant is off.
 *
 * @example
 * const settings = assistantSettings(loadConfig({ ASSISTANT_BASE_URL: 'http://localhost:11434/v1', ASSISTANT_MODEL: 'llama3.1' }));
 * // → { baseUrl: 'http://localhost:11434/v1', model: 'llama3.1', apiKey: undefined, timeoutMs: 30000, ... }
 */
import type { Config } from '../config.js';

/** The settings the assistant reads, as `loadConfig` returns them. */
export type AssistantConfig = Pick<
  Config,
  | 'assistantBaseUrl'
  | 'assistantApiKey'
  | 'assistantModel'
  | 'assistantTimeoutMs'
  | 'assistantMaxTokens'
  | 'assistantRatePerMinute'
  | 'assistantMemory'
  | 'assistantMemoryTurns'
  | 'assistantMemoryTtlMs'
>;

/** The assistant's settings, when it is on. */
export interface AssistantSettings {
  readonly baseUrl: string;
  /** Undefined: no `Authorization` header (local servers). */
  readonly apiKey: string | undefined;
  readonly model: string;
  /** Longest one request to the model may take, streaming included. */
  readonly timeoutMs: number;
  /** Most tokens the model may write per request. */
  readonly maxTokens: number;
  /** Requests one person may make per minute. */
  readonly ratePerMinute: number;
  /** What is remembered of conversations; undefined: nothing. */
  readonly memory: { readonly turns: number; readonly ttlMs: number } | undefined;
}

/** The assistant's settings, or undefined when it is off (`ASSISTANT_BASE_URL` unset). */
export function assistantSettings(config: AssistantConfig): AssistantSettings | undefined {
  // loadConfig refuses a base URL without a model, so both are there or the assistant is off.
  if (config.assistantBaseUrl === undefined || config.assistantModel === undefined) return undefined;
  return {
    baseUrl: config.assistantBaseUrl,
    apiKey: config.assistantApiKey,
    model: config.assistantModel,
    timeoutMs: config.assistantTimeoutMs,
    maxTokens: config.assistantMaxTokens,
    ratePerMinute: config.assistantRatePerMinute,
    memory: config.assistantMemory
      ? { turns: config.assistantMemoryTurns, ttlMs: config.assistantMemoryTtlMs }
      : undefined,
  };
}
