/**
 * `space.members()`: a space's members as an async iterable, a page at a time: the next page is
 * fetched (following Webex's `Link: rel="next"`) only when the loop gets there, so a skill that
 * stops early makes no more calls. Each page is one governed Webex call.
 */
import type { Member, MembersOptions, Space, SpaceContext } from '../skill-kit/types.js';
import { NotConnectedError } from '../errors.js';

/** A membership as Webex lists it (the fields read here). */
export interface MembershipRecord {
  readonly personId: string;
  readonly personEmail?: string;
  readonly personDisplayName?: string;
  readonly isModerator?: boolean;
}

/** One page of a space's members, or the page at `next`. */
export type MemberPages = (
  roomId: string,
  max: number,
  next?: string,
) => Promise<{ readonly items: readonly MembershipRecord[]; readonly next: string | undefined }>;

/** Bot accounts have an address at `webex.bot` (older ones at `sparkbot.io`). */
export function isBotAddress(email: string | undefined): boolean {
  return /@(webex\.bot|sparkbot\.io)$/i.test(email ?? '');
}

/** A membership as skills see its person. */
export function toMember(m: MembershipRecord): Member {
  const email = m.personEmail ?? '';
  return {
    id: m.personId,
    displayName: m.personDisplayName || email || 'someone',
    email,
    isBot: isBotAddress(email),
    isModerator: m.isModerator === true,
  };
}

/** Webex's page size for memberships is at most 1000. */
const MAX_PAGE = 1000;

/** The members of `roomId`, page by page (see the file's comment). */
export async function* listMembers(
  pages: MemberPages,
  roomId: string,
  options: MembersOptions = {},
): AsyncGenerator<Member, void, undefined> {
  const max = Math.max(1, Math.min(MAX_PAGE, Math.floor(options.pageSize ?? 100)));
  let next: string | undefined;
  do {
    const page = await pages(roomId, max, next);
    for (const m of page.items) {
      const member = toMember(m);
      if (member.isBot && !options.includeBots) continue;
      yield member;
    }
    next = page.next;
  } while (next !== undefined);
}

/** `space` with its `members()`; without `pages` (no Webex to ask), listing rejects saying so. */
export function spaceContext(space: Space, pages: MemberPages | undefined): SpaceContext {
  return {
    ...space,
    members: (options) => {
      if (!pages) throw new NotConnectedError('space.members()');
      return listMembers(pages, space.id, options);
    },
  };
}
