/**
 * Confirmations: a command that declares `confirm` is not run at once. The bot records what was
 * asked (the text typed, who typed it, where) under a random token and answers with a Yes/No card
 * naming what will happen; the card's buttons carry the token (`_confirm`, read from the card as
 * the bot sent it). Only a Yes from the same person, before the record expires, runs the command,
 * and only once: the record is removed atomically by the first answer that counts, so a second
 * Yes (a double click, a redelivered event, another instance) finds nothing to run.
 */
import { randomBytes } from 'node:crypto';
import { CONFIRM_INPUT } from '../cards/card-tags.js';
import type { Clock } from '../schedule/clock.js';
import type { KeyValueStore } from '../store/types.js';
import { isRecord } from '../util/is-record.js';

/** How long a confirmation waits for its Yes. */
export const CONFIRM_TIMEOUT_MS = 5 * 60_000;

/** A command waiting for its Yes. */
export interface PendingConfirmation {
  readonly skill: string;
  /** The command's usage, to find the same command again. */
  readonly usage: string;
  /** The text as typed (the mention removed): run again, it gives the original arguments. */
  readonly text: string;
  readonly personId: string;
  readonly personName: string;
  readonly spaceId: string;
  /** What will happen, as the command said. */
  readonly what: string;
  readonly message: { readonly id: string; readonly parentId: string | undefined; readonly created: string };
  readonly expiresAt: number;
}

/** What became of an answer on a confirmation card. */
export type ConfirmationAnswer =
  | { readonly kind: 'run'; readonly pending: PendingConfirmation }
  | { readonly kind: 'declined'; readonly pending: PendingConfirmation }
  | { readonly kind: 'not-yours'; readonly pending: PendingConfirmation }
  | { readonly kind: 'expired' }
  | { readonly kind: 'gone' };

const keyOf = (token: string): string => `confirm:${token}`;

function isPending(value: unknown): value is PendingConfirmation {
  return isRecord(value) && typeof value['personId'] === 'string' && typeof value['expiresAt'] === 'number';
}

/** Splits a button's tag into its token and its answer. */
export function parseConfirmTag(tag: string): { token: string; yes: boolean } | undefined {
  const m = /^([0-9a-f]{32}):(yes|no)$/.exec(tag);
  return m ? { token: m[1]!, yes: m[2] === 'yes' } : undefined;
}

/** The Yes/No card for `pending` under `token`. */
export function confirmationCard(token: string, pending: PendingConfirmation): Record<string, unknown> {
  const minutes = Math.round(CONFIRM_TIMEOUT_MS / 60_000);
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.3',
    body: [
      { type: 'TextBlock', text: 'Are you sure?', weight: 'Bolder', size: 'Medium', wrap: true },
      { type: 'TextBlock', text: pending.what, wrap: true },
      {
        type: 'TextBlock',
        text: `Only ${pending.personName} can answer, within ${minutes} minutes.`,
        isSubtle: true,
        size: 'Small',
        wrap: true,
      },
    ],
    actions: [
      { type: 'Action.Submit', title: 'Yes', style: 'destructive', data: { [CONFIRM_INPUT]: `${token}:yes` } },
      { type: 'Action.Submit', title: 'No', data: { [CONFIRM_INPUT]: `${token}:no` } },
    ],
  };
}

/** The pending confirmations, in a store. */
export class Confirmations {
  constructor(
    private readonly store: KeyValueStore,
    private readonly clock: Clock,
  ) {}

  /** Records `pending` (its `expiresAt` set here) and returns its token. */
  async create(
    pending: Omit<PendingConfirmation, 'expiresAt'>,
  ): Promise<{ token: string; record: PendingConfirmation }> {
    const token = randomBytes(16).toString('hex');
    const record: PendingConfirmation = { ...pending, expiresAt: this.clock.now() + CONFIRM_TIMEOUT_MS };
    await this.store.set(keyOf(token), record, { ttlMs: CONFIRM_TIMEOUT_MS + 60_000 });
    return { token, record };
  }

  /**
   * Settles an answer by `personId`: a Yes or No from the person who asked removes the record
   * (once: the first answer wins) and is `run` or `declined`; anyone else's answer changes nothing.
   */
  async answer(token: string, yes: boolean, personId: string): Promise<ConfirmationAnswer> {
    const key = keyOf(token);
    const record = await this.store.get(key);
    if (!isPending(record)) return { kind: 'gone' };
    if (record.personId !== personId) return { kind: 'not-yours', pending: record };
    if (!(await this.store.delete(key))) return { kind: 'gone' };
    if (record.expiresAt <= this.clock.now()) return { kind: 'expired' };
    return yes ? { kind: 'run', pending: record } : { kind: 'declined', pending: record };
  }
}
