/**
 * The assistant, as the bot uses it: {@link setUpAssistant} makes it from the settings (or
 * nothing, while `ASSISTANT_BASE_URL` is unset) with the OpenAI-compatible provider, memory and
 * the rate limit in the state store. The parts are exported for tests and other providers; see
 * docs/assistant.md.
 *
 * @example
 * const assistant = setUpAssistant(config, { skills, find: index.find, store, log, metrics, botName });
 * if (assistant) await assistant.answer({ text, person, space, poster, runCommand });
 */
import type { Logger } from '../logging.js';
import type { AssistantMetrics } from '../metrics/types.js';
import type { CommandLookup } from '../routing/command-index.js';
import type { LoadedSkill } from '../routing/skill-loader.js';
import type { CardRegistry } from '../cards/card-registry.js';
import type { KeyValueStore } from '../store/types.js';
import type { MayRun, Refusal } from './abilities.js';
import { type Assistant, createAssistant } from './assistant.js';
import { createRateLimiter } from './limits.js';
import { createMemory } from './memory.js';
import { createOpenAiProvider } from './openai-provider.js';
import type { AssistantProvider } from './provider.js';
import { type AssistantConfig, type AssistantSettings, assistantSettings } from './settings.js';
import type { StreamWriterOptions } from './stream-writer.js';

export { abilitiesText, EVERYONE_MAY_RUN, type Asker, type MayRun, type Refusal } from './abilities.js';
export {
  type Assistant,
  type AssistantOptions,
  type AssistantRequest,
  type AssistantResult,
  type CommandRun,
  type CommandRunOptions,
  createAssistant,
} from './assistant.js';
export { createRateLimiter, type RateLimiter, type TurnLimits } from './limits.js';
export { type ConversationKey, type ConversationMemory, createMemory, NO_MEMORY } from './memory.js';
export { createOpenAiProvider } from './openai-provider.js';
export type { AssistantProvider, ChatMessage, ProviderEvent, ProviderRequest, ToolCall, ToolSpec } from './provider.js';
export { guardStream } from './provider.js';
export { ScriptedProvider, type ScriptStep, type ScriptTurn } from './scripted-provider.js';
export { type AssistantConfig, type AssistantSettings, assistantSettings } from './settings.js';
export { type MessagePoster, type PostedMessage, StreamWriter } from './stream-writer.js';
export { type CommandTool, commandTools } from './tools.js';
export { type CommandForm, type FormCard, formOf } from './form-tools.js';
export { ASSISTANT_SKILL, forgetSkill } from './forget-skill.js';
export { policyMayRun, policyRefusal } from './wiring.js';

/** What the bot hands the assistant besides its settings. */
export interface AssistantParts {
  /** The loaded skills, in load order. */
  readonly skills: readonly LoadedSkill[];
  /** The command index's lookup (the one `dispatchText` uses). */
  readonly find: (text: string) => CommandLookup;
  /** The state store (memory and the rate limit live there, under `assistant:`). */
  readonly store: KeyValueStore;
  readonly log: Logger;
  readonly metrics?: AssistantMetrics | undefined;
  /** The bot's name, for the model (a function: it is known once the bot has connected). */
  readonly botName?: string | (() => string | undefined) | undefined;
  /** Per-command permissions: what is offered to whom [everyone everything]. */
  readonly mayRun?: MayRun | undefined;
  /** What a person is told when the model calls a command they may not run [the model is told: no such tool]. */
  readonly refusal?: Refusal | undefined;
  /** Aborted when the bot stops. */
  readonly signal?: AbortSignal | undefined;
  /** Another model than the settings' OpenAI-compatible one (tests: a `ScriptedProvider`); it turns the assistant on. */
  readonly provider?: AssistantProvider | undefined;
  /** The card templates: a command that opens a form (`opensForm`) takes its fields as arguments. */
  readonly cards?: Pick<CardRegistry, 'preview'> | undefined;
  /** Tuning of the streamed answers (tests: shorter intervals). */
  readonly writer?: StreamWriterOptions | undefined;
}

/**
 * The assistant's settings: those of `config` when `ASSISTANT_BASE_URL` is set; with a provider
 * handed in and no URL, its limits, memory and rate from `config` all the same.
 */
export function assistantSettingsFor(
  config: AssistantConfig,
  provider?: AssistantProvider | undefined,
): AssistantSettings | undefined {
  const settings = assistantSettings(config);
  if (settings || !provider) return settings;
  return assistantSettings({ ...config, assistantBaseUrl: 'about:provided', assistantModel: provider.name });
}

/**
 * The assistant the settings describe, or undefined when it is off (`ASSISTANT_BASE_URL` unset
 * and no provider handed in).
 */
export function setUpAssistant(config: AssistantConfig, parts: AssistantParts): Assistant | undefined {
  const settings = assistantSettingsFor(config, parts.provider);
  if (!settings) return undefined;
  const log = parts.log.child({ component: 'assistant' });
  const provider =
    parts.provider ??
    createOpenAiProvider({ baseUrl: settings.baseUrl, apiKey: settings.apiKey, model: settings.model, log });
  return createAssistant({
    provider,
    skills: parts.skills,
    find: parts.find,
    limits: { timeoutMs: settings.timeoutMs, maxTokens: settings.maxTokens },
    log,
    memory: createMemory(parts.store, settings.memory, log),
    rate: createRateLimiter(parts.store, settings.ratePerMinute),
    mayRun: parts.mayRun,
    refusal: parts.refusal,
    metrics: parts.metrics,
    botName: parts.botName,
    signal: parts.signal,
    formCard: parts.cards ? (cardId) => parts.cards?.preview(cardId) : undefined,
    writer: parts.writer,
  });
}
