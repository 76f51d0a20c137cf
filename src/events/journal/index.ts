/** The embedded event journal: events durable before their 200, claims and replies across restarts. */
export {
  EventJournal,
  type AcceptInput,
  type EventJournalOptions,
  type JournalStats,
  type Recovered,
} from './event-journal.js';
export { nodeIo, type JournalIo } from './file-io.js';
export { FolderLock, type LockHolder } from './folder-lock.js';
export type { Claim, PendingEvent } from './journal-state.js';
export type { PostingNote } from './records.js';
export { earlierAttempts } from './takeover-input.js';
