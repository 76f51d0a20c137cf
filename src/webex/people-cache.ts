/**
 * The people the bot has looked up, kept for a while: the framework looks up the sender of every
 * event, and one person usually sends several messages in a row. Without the cache that is a
 * Webex call per event; with it, one per person per `ttlMs`.
 *
 * Bounded in time and size: an entry is used for `ttlMs` after it was fetched (a renamed person
 * shows up with the new name at most that late), and past `maxEntries` the oldest fetched go
 * first, so 10,000 spaces cannot grow it without limit. Look-ups of one id at the same moment
 * share one call. Failures are not kept: the next event asks Webex again.
 */
import { TtlEntries } from '../store/ttl-entries.js';

/** Limits of a {@link PeopleCache}. */
export interface PeopleCacheOptions {
  /** How long a fetched person is used (default 10 minutes). */
  readonly ttlMs?: number;
  /** People kept at most (default 5,000). */
  readonly maxEntries?: number;
  /** The clock (for tests). */
  readonly now?: () => number;
}

/** Defaults of {@link PeopleCacheOptions}. */
export const DEFAULT_PEOPLE_CACHE = { ttlMs: 10 * 60_000, maxEntries: 5000 } as const;

/** People by id, fetched through `fetchPerson` when not cached (see the module comment). */
export class PeopleCache {
  private readonly entries: TtlEntries;
  private readonly pending = new Map<string, Promise<unknown>>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;

  constructor(
    private readonly fetchPerson: (id: string) => Promise<unknown>,
    options: PeopleCacheOptions = {},
  ) {
    this.entries = new TtlEntries(options.now ?? Date.now);
    this.ttlMs = options.ttlMs ?? DEFAULT_PEOPLE_CACHE.ttlMs;
    this.maxEntries = options.maxEntries ?? DEFAULT_PEOPLE_CACHE.maxEntries;
    if (!(this.ttlMs > 0) || !(this.maxEntries >= 1))
      throw new RangeError('the people cache needs a positive ttlMs and maxEntries');
  }

  /** People held now (expired ones not yet dropped may be counted). */
  get size(): number {
    return this.entries.size;
  }

  /** The person with `id`: a copy of the cached one, or fetched (one call for concurrent look-ups). */
  get(id: string): Promise<unknown> {
    const cached = this.entries.read<unknown>(id);
    if (cached !== undefined) return Promise.resolve(cached);
    const inFlight = this.pending.get(id);
    if (inFlight) return inFlight.then((p) => structuredClone(p));
    const fetched = this.fetchPerson(id)
      .then((person) => {
        this.entries.write(id, person, this.ttlMs);
        this.entries.dropOldest(this.maxEntries);
        return person;
      })
      .finally(() => this.pending.delete(id));
    this.pending.set(id, fetched);
    return fetched;
  }
}
