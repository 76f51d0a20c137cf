/**
 * The provision skill's records, kept in its state:
 * - `request:<id>` (skill-wide): the request itself;
 * - `email:<address>` (skill-wide): the id of the pending request for an address (one per address);
 * - `requests` (per space): the ids requested in that space, oldest first;
 * - `all` (skill-wide): every id, oldest first (for admins' `provision all`);
 * - `submitted` (per form): the id the form was turned into (a form makes one request).
 */
import { randomBytes } from 'node:crypto';
import type { SkillState, SubmitState } from 'webex-skill-bot';

/** An account request. */
export interface AccountRequest {
  readonly id: string;
  readonly fullName: string;
  readonly email: string;
  readonly department: string;
  readonly startDate: string;
  readonly managerEmail: string | undefined;
  readonly requesterId: string;
  readonly requesterName: string;
  readonly spaceId: string;
  readonly status: 'pending' | 'cancelled';
  readonly requested: string;
}

/** How a new request came out. */
export type Outcome =
  | { readonly kind: 'created'; readonly request: AccountRequest }
  | { readonly kind: 'already-submitted'; readonly id: string }
  | { readonly kind: 'duplicate-email'; readonly existing: AccountRequest };

const ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A request id such as `PRV-7K2M9Q` (no 0/O, 1/I/L, U: easy to read back). */
export function newRequestId(): string {
  return `PRV-${[...randomBytes(6)].map((b) => ALPHABET[b % ALPHABET.length]).join('')}`;
}

/** The address as stored and compared: trimmed, lower case. */
export const normalEmail = (email: string): string => email.trim().toLowerCase();

export function getRequest(state: SkillState, id: string): Promise<AccountRequest | undefined> {
  return state.skill.get<AccountRequest>(`request:${id.toUpperCase()}`);
}

/** The pending request for `email`, if there is one. */
export async function pendingFor(state: SkillState, email: string): Promise<AccountRequest | undefined> {
  const id = await state.skill.get<string>(`email:${normalEmail(email)}`);
  const request = id === undefined ? undefined : await getRequest(state, id);
  return request?.status === 'pending' ? request : undefined;
}

/** The requests made in this space, oldest first. */
export async function spaceRequests(state: SkillState): Promise<AccountRequest[]> {
  const ids = (await state.space.get<string[]>('requests')) ?? [];
  const found = await Promise.all(ids.map((id) => getRequest(state, id)));
  return found.filter((r): r is AccountRequest => r !== undefined);
}

/** Every request, in every space, oldest first. */
export async function allRequests(state: SkillState): Promise<AccountRequest[]> {
  const ids = (await state.skill.get<string[]>('all')) ?? [];
  const found = await Promise.all(ids.map((id) => getRequest(state, id)));
  return found.filter((r): r is AccountRequest => r !== undefined);
}

/**
 * Stores `draft` as a new request, once per form and once per e-mail address. Claims first (the
 * form, then the address), writes last, and undoes its claims if a write fails: a failure never
 * leaves half a request behind.
 */
export async function createRequest(
  state: SubmitState,
  draft: Omit<AccountRequest, 'id' | 'status'>,
): Promise<Outcome> {
  let id = newRequestId();
  while ((await getRequest(state, id)) !== undefined) id = newRequestId();

  if (!(await state.card.claim('submitted', id))) {
    return { kind: 'already-submitted', id: (await state.card.get<string>('submitted')) ?? '' };
  }
  const emailKey = `email:${normalEmail(draft.email)}`;
  if (!(await state.skill.claim(emailKey, id))) {
    const existing = await pendingFor(state, draft.email);
    if (existing) {
      await state.card.delete('submitted'); // the form can be fixed and sent again
      return { kind: 'duplicate-email', existing };
    }
    await state.skill.set(emailKey, id); // the address's last request was cancelled (or never written)
  }
  const request: AccountRequest = { ...draft, id, status: 'pending' };
  try {
    await state.skill.set(`request:${id}`, request);
    await state.space.update<string[]>('requests', (ids) => [...(ids ?? []), id]);
    await state.skill.update<string[]>('all', (ids) => [...(ids ?? []), id]);
  } catch (err) {
    await Promise.allSettled([
      state.skill.delete(`request:${id}`),
      state.skill.delete(emailKey),
      state.card.delete('submitted'),
    ]);
    throw err;
  }
  return { kind: 'created', request };
}

/** Marks `request` cancelled and frees its e-mail address for a new request. */
export async function cancelRequest(state: SkillState, request: AccountRequest): Promise<void> {
  await state.skill.set(`request:${request.id}`, { ...request, status: 'cancelled' } satisfies AccountRequest);
  const emailKey = `email:${normalEmail(request.email)}`;
  if ((await state.skill.get<string>(emailKey)) === request.id) await state.skill.delete(emailKey);
}
