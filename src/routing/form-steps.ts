/**
 * Multi-step forms: each step's card carries the form's id (`_form`, like a card re-sent with
 * errors), so every step shares one `state.card`, and the inputs of each step, recorded as the
 * next step is sent, are handed to the later steps as `form.answers[<card id>]`.
 */
import type { InputValue } from '../skill-kit/input-types.js';
import type { KeyValueStore } from '../store/types.js';
import { isRecord } from '../util/is-record.js';
import type { DispatchCore } from './dispatch-core.js';

/** How long a form's earlier answers are kept. */
const KEEP_MS = 30 * 24 * 3600_000;

type Answers = Readonly<Record<string, Readonly<Record<string, InputValue | undefined>>>>;

/** One form's recorded steps. */
export interface FormStepRecord {
  /** Records `inputs` as the answers of step `cardId`. */
  record(cardId: string, inputs: Readonly<Record<string, InputValue | undefined>>): Promise<void>;
  /** Every step's answers so far, by card id. */
  answers(): Promise<Answers>;
}

/** The steps of form `formId` of skill `skill`, in the core's store. */
export function formSteps(core: Pick<DispatchCore, 'store'>, skill: string, formId: string): FormStepRecord {
  const store: KeyValueStore = core.store;
  const key = `form-steps:${skill}:${formId}`;
  return {
    async record(cardId, inputs) {
      await store.update<Answers>(key, (current) => ({ ...(current ?? {}), [cardId]: inputs }), { ttlMs: KEEP_MS });
    },
    async answers() {
      const value = await store.get(key);
      return isRecord(value) ? (value as Answers) : {};
    },
  };
}
