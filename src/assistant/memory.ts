/**
 * What the assistant remembers of a conversation: the last few turns (a person's message and
 * the answer) per person per space, in the state store, forgotten a while after the last turn
 * (the TTL starts again with each turn). Off, it remembers nothing and each message is answered
 * on its own. A store that fails never fails a turn: the turn goes on without memory.
 *
 * @example
 * const memory = createMemory(store, { turns: 6, ttlMs: 3_600_000 }, log);
 * const history = await memory.recall(where);              // [{ role: 'user', ... }, { role: 'assistant', ... }]
 * await memory.remember(where, { user: 'hi', assistant: 'Hello!' });
 * await memory.forget(where);                              // the `forget` command
 */
import type { Logger } from '../logging.js';
import { prefixedStore } from '../store/prefixed.js';
import type { KeyValueStore } from '../store/types.js';
import type { ChatMessage } from './provider.js';

/** Whose conversation: one person in one space. */
export interface ConversationKey {
  readonly spaceId: string;
  readonly personId: string;
}

/** One remembered turn. */
export interface Turn {
  readonly user: string;
  readonly assistant: string;
}

/** What is remembered, and for how long. */
export interface MemorySettings {
  /** Turns kept (the oldest go first). */
  readonly turns: number;
  /** Forgotten this long after the last turn. */
  readonly ttlMs: number;
}

/** A conversation memory. */
export interface ConversationMemory {
  /** The remembered turns as messages, oldest first ([] when off, forgotten or unreadable). */
  recall(key: ConversationKey): Promise<ChatMessage[]>;
  /** Adds a turn (dropping the oldest past the limit). */
  remember(key: ConversationKey, turn: Turn): Promise<void>;
  /** Forgets the conversation; `true` when there was one. */
  forget(key: ConversationKey): Promise<boolean>;
}

/** Longest text of one side of a turn that is kept: enough for context, bounded for the store. */
export const MAX_REMEMBERED_CHARS = 2000;

/** Remembers nothing (memory off). */
export const NO_MEMORY: ConversationMemory = {
  recall: async () => [],
  remember: async () => undefined,
  forget: async () => false,
};

const keyOf = (key: ConversationKey) => `${key.spaceId}:${key.personId}`;
const bounded = (text: string) =>
  text.length > MAX_REMEMBERED_CHARS ? `${text.slice(0, MAX_REMEMBERED_CHARS - 1)}…` : text;

function isTurn(value: unknown): value is Turn {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Turn).user === 'string' &&
    typeof (value as Turn).assistant === 'string'
  );
}

/** The memory over `store` (keys under `assistant:memory:`), or {@link NO_MEMORY} when `settings` is undefined. */
export function createMemory(
  store: KeyValueStore,
  settings: MemorySettings | undefined,
  log?: Logger,
): ConversationMemory {
  if (!settings) return NO_MEMORY;
  const turns = prefixedStore(store, 'assistant:memory:');
  return {
    async recall(key) {
      let stored: unknown;
      try {
        stored = await turns.get(keyOf(key));
      } catch (err) {
        log?.warn('the assistant could not read a conversation; answering without it', { err });
        return [];
      }
      const kept = Array.isArray(stored) ? stored.filter(isTurn).slice(-settings.turns) : [];
      return kept.flatMap((t): ChatMessage[] => [
        { role: 'user', content: t.user },
        { role: 'assistant', content: t.assistant },
      ]);
    },
    async remember(key, turn) {
      const entry: Turn = { user: bounded(turn.user), assistant: bounded(turn.assistant) };
      try {
        await turns.update<Turn[]>(
          keyOf(key),
          (current) => [...(Array.isArray(current) ? current.filter(isTurn) : []), entry].slice(-settings.turns),
          { ttlMs: settings.ttlMs },
        );
      } catch (err) {
        log?.warn('the assistant could not remember a turn', { err });
      }
    },
    forget: (key) => turns.delete(keyOf(key)),
  };
}
