import type { KeyValueStore } from './types.js';

/**
 * A view of `store` whose keys all start with `prefix` (e.g. `dedupe:`), so that several users of
 * one store, or several bots on one shared store, never read each other's keys.
 */
export function prefixedStore(store: KeyValueStore, prefix: string): KeyValueStore {
  return {
    get: (key) => store.get(prefix + key),
    set: (key, value, options) => store.set(prefix + key, value, options),
    delete: (key) => store.delete(prefix + key),
    claim: (key, value, options) => store.claim(prefix + key, value, options),
    update: (key, fn, options) => store.update(prefix + key, fn, options),
    ...(store.deletePrefix ? { deletePrefix: (p: string) => store.deletePrefix!(prefix + p) } : {}),
    check: store.check?.bind(store),
    close: () => Promise.resolve(),
  };
}
