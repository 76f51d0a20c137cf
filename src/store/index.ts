/**
 * Remembered state: the {@link KeyValueStore} interface and the stores that implement it.
 */
export type { KeyValueStore, SetOptions } from './types.js';
export { MemoryStore, type MemoryStoreOptions } from './memory-store.js';
export { prefixedStore } from './prefixed.js';
export { FileStore, type FileStoreOptions } from './file-store.js';
export { stateFs, type StateFs } from './state-fs.js';
export { watchStoreHealth, type ReadinessConditions, type StoreHealthWatch } from './watch-health.js';
