/**
 * People and bots: creation (with a token each) and who may see what of them.
 */
import { ApiError, badRequest } from '../errors.js';
import { mintId, mintToken } from '../ids.js';
import type { Person, SeedPerson } from '../types.js';
import type { Core } from './core.js';

/** Input of {@link createPerson}. */
export interface NewPerson {
  displayName: string;
  email: string;
  type?: 'person' | 'bot';
  /** Default: a fresh real-format token. */
  token?: string;
}

const EMAIL = /^[^\s@<>|]+@[^\s@<>|]+\.[^\s@<>|]+$/;

/**
 * Adds a person (or bot) to the organization and returns it with its token.
 *
 * @example
 * const carol = createPerson(core, { displayName: 'Carol Example', email: 'carol@example.com' });
 */
export function createPerson(core: Core, input: NewPerson): SeedPerson {
  const { store } = core;
  const displayName = typeof input.displayName === 'string' ? input.displayName.trim() : '';
  const email = typeof input.email === 'string' ? input.email.trim().toLowerCase() : '';
  const type = input.type ?? 'person';
  if (!displayName) throw badRequest('displayName is required');
  if (!EMAIL.test(email))
    throw badRequest(`email must be an email address (got ${JSON.stringify(input.email ?? null)})`);
  if (type !== 'person' && type !== 'bot')
    throw badRequest(`type must be 'person' or 'bot' (got ${JSON.stringify(type)})`);
  if (store.personByEmail(email)) throw new ApiError(409, `A person with email ${email} already exists`);
  const token = input.token ?? mintToken(store.orgUuid);
  if (!token || /\s/.test(token)) throw badRequest('token must be a non-empty string without spaces');
  if (store.personByToken(token)) throw new ApiError(409, 'That token is already in use');
  const now = store.now();
  const [first, ...rest] = displayName.split(/\s+/);
  const person: Person = {
    id: mintId('PEOPLE'),
    emails: [email],
    phoneNumbers: [],
    displayName,
    nickName: type === 'bot' ? displayName : (first ?? displayName),
    ...(type === 'person' ? { firstName: first ?? displayName, lastName: rest.join(' ') } : {}),
    orgId: store.orgId,
    created: now,
    lastModified: now,
    type,
  };
  store.addPerson({ person, token });
  core.log.debug('person created', { personId: person.id, type });
  return { ...person, token };
}
