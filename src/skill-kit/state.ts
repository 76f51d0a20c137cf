/**
 * Remembered state for skills: small JSON values kept per skill, per space, per person, or per
 * card (form), with an optional time to live. Skills never see which store holds them (the
 * embedded file store in `STATE_DIR`, or a shared one): the same code runs on either.
 */
import { once } from '../store/once.js';
import { prefixedStore } from '../store/prefixed.js';
import type { KeyValueStore } from '../store/types.js';

/** Options of {@link StateScope.set}, {@link StateScope.claim} and {@link StateScope.update}. */
export interface StateOptions {
  /** Forget the value after this many milliseconds (default: keep it until deleted). */
  readonly ttlMs?: number;
}

/** One scope of a skill's state: keys here never meet keys of another scope or skill. */
export interface StateScope {
  /**
   * The value under `key`, or `undefined`.
   * @example const draft = await state.person.get<{ step: number }>('draft');
   */
  get<T = unknown>(key: string): Promise<T | undefined>;
  /**
   * Stores `value` (JSON data: a copy is kept) under `key`.
   * @example await state.space.set('last-poll', { id: 'p1' }, { ttlMs: 24 * 3600_000 });
   */
  set(key: string, value: unknown, options?: StateOptions): Promise<void>;
  /**
   * Removes `key`; `true` when something was there.
   * @example await state.card.delete('draft');
   */
  delete(key: string): Promise<boolean>;
  /**
   * Stores `value` only if nothing is under `key`, atomically: of two concurrent claims exactly
   * one gets `true`. Without `ttlMs` a claim lasts a year.
   * @example if (!(await state.card.claim('submitted', requestId))) return reply.text('Already sent.');
   */
  claim(key: string, value: unknown, options?: StateOptions): Promise<boolean>;
  /**
   * Changes the value under `key` atomically: `fn` gets the current value (`undefined` when
   * there is none) and returns the new one, or `undefined` to delete it. No other change of the
   * key lands in between, on any instance, so concurrent updates never lose one another (a
   * `get` followed by a `set` can). Use it for counters, lists and records that several events,
   * jobs or hooks change at once. Resolves with the value stored.
   *
   * `fn` must be synchronous and only compute: with a shared store it may run more than once
   * (when another writer came first). Read what it needs before; do side effects after.
   * @example
   * const votes = await state.space.update<number>('votes', (n) => (n ?? 0) + 1);
   * await state.space.update<string[]>('requests', (ids) => [...(ids ?? []), id]);
   */
  update<T = unknown>(
    key: string,
    fn: (current: T | undefined) => T | undefined,
    options?: StateOptions,
  ): Promise<T | undefined>;
  /**
   * Runs `fn` at most once per `key`, and gives every later call the first run's result: for a
   * side effect (create a ticket, charge, send an e-mail) of a handler that can run again for
   * the same event (after a crash, or on another instance after a takeover). Key it by what
   * identifies the event, e.g. the submission's `action.id`. Of concurrent calls one runs `fn`
   * and the others wait for its result; if `fn` throws, nothing is kept and a retry runs it.
   * `fn`'s result must be JSON data (or `undefined`); it is kept for `ttlMs` (default a year).
   * Once keys are apart from the scope's other keys.
   *
   * A run that takes longer than `leaseMs` (default 60 s) counts as abandoned, and another call
   * may start `fn` again.
   * @example
   * const ticket = await state.skill.once(`ticket:${action.id}`, () => tracker.create(summary));
   * await reply.text(`Ticket ${ticket.id} created.`);
   */
  once<T>(key: string, fn: () => T | Promise<T>, options?: OnceScopeOptions): Promise<T>;
}

/** Options of {@link StateScope.once}. */
export interface OnceScopeOptions extends StateOptions {
  /** How long a run may take before another call may start it again (default 60 s). */
  readonly leaseMs?: number;
}

/** What a command handler can remember. */
export interface SkillState {
  /** Shared by the whole skill, in every space. */
  readonly skill: StateScope;
  /** This space's. */
  readonly space: StateScope;
  /** This person's (the sender or submitter), in every space. */
  readonly person: StateScope;
}

/** What a card-submit handler can remember: also the submitted form's own state. */
export interface SubmitState extends SkillState {
  /** This form's: the card submitted (a card re-sent with errors shares its original's). */
  readonly card: StateScope;
}

const A_YEAR_MS = 365 * 24 * 3600_000;

function scope(store: KeyValueStore, prefix: string, oncePrefix: string): StateScope {
  const s = prefixedStore(store, prefix);
  const onceStore = prefixedStore(store, oncePrefix);
  const checked = (key: string): string => {
    if (typeof key !== 'string' || key === '') throw new TypeError('state keys are non-empty strings');
    return key;
  };
  return {
    get: (key) => s.get(checked(key)),
    set: (key, value, options) =>
      s.set(checked(key), value, options?.ttlMs === undefined ? {} : { ttlMs: options.ttlMs }),
    delete: (key) => s.delete(checked(key)),
    claim: (key, value, options) => s.claim(checked(key), value, { ttlMs: options?.ttlMs ?? A_YEAR_MS }),
    update: (key, fn, options) =>
      s.update(checked(key), fn, options?.ttlMs === undefined ? {} : { ttlMs: options.ttlMs }),
    once: (key, fn, options) =>
      once(onceStore, checked(key), fn, {
        ttlMs: options?.ttlMs ?? A_YEAR_MS,
        ...(options?.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
      }),
  };
}

/** Where an event happened, for {@link createSkillState}. */
export interface StateWhere {
  readonly spaceId: string;
  readonly personId: string;
  /** The form (first card message) of a card submission. */
  readonly formId?: string;
}

/**
 * Where a scope of skill `skill`'s state lives in the store: its values' prefix, and its once
 * records' (under `once:`, which no scope's own prefix starts with). `name` is `skill:`,
 * `space:<id>:`, `person:<id>:` or `card:<id>:`.
 */
export function scopePrefixes(skill: string, name: string): [values: string, onceRecords: string] {
  return [`skill:${skill}:${name}`, `skill:${skill}:once:${name}`];
}

/**
 * The state of skill `skill` as seen from one event (used by the bot when it calls a handler;
 * tests may call it to look at what a skill stored).
 *
 * @example
 * const state = createSkillState(store, 'provision', { spaceId, personId });
 * await state.space.get('requests');
 */
export function createSkillState(
  store: KeyValueStore,
  skill: string,
  where: StateWhere & { formId: string },
): SubmitState;
export function createSkillState(store: KeyValueStore, skill: string, where: StateWhere): SkillState;
export function createSkillState(store: KeyValueStore, skill: string, where: StateWhere): SkillState | SubmitState {
  const at = (name: string) => scope(store, ...scopePrefixes(skill, name));
  const state: SkillState = {
    skill: at('skill:'),
    space: at(`space:${where.spaceId}:`),
    person: at(`person:${where.personId}:`),
  };
  return where.formId === undefined ? state : { ...state, card: at(`card:${where.formId}:`) };
}

/** A job's view of a skill's state: the whole skill's, and any space's or person's (see {@link createSkillState}). */
export interface JobStateView {
  readonly skill: StateScope;
  space(spaceId: string): StateScope;
  person(personId: string): StateScope;
}

/**
 * The state of skill `skill` as its jobs see it: the same keys its handlers use, in any space.
 * @example await createJobState(store, 'standup').space(roomId).get('away');
 */
export function createJobState(store: KeyValueStore, skill: string): JobStateView {
  const at = (name: string) => scope(store, ...scopePrefixes(skill, name));
  return {
    skill: at('skill:'),
    space: (spaceId) => at(`space:${spaceId}:`),
    person: (personId) => at(`person:${personId}:`),
  };
}
