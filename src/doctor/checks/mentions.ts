/**
 * The mention rule: in group spaces Webex delivers a bot only the messages that @mention it.
 * People who write to the bot there without the mention get no answer and no error. The check
 * looks at the most recently active group spaces (a bounded number of calls: one list, then one
 * `GET /messages?mentionedPeople=me&max=1` per space) and names those where the bot was never
 * mentioned.
 */
import type { CheckResult } from '../report.js';
import type { DoctorApi } from '../webex-api.js';

/** How many group spaces are looked at, at most. */
export const MENTION_SPACES_CHECKED = 10;

/** Checks the most active group spaces for a mention of the bot. */
export async function checkMentions(
  api: DoctorApi,
  botName: string,
  limit = MENTION_SPACES_CHECKED,
): Promise<CheckResult> {
  const rooms = await api.get('rooms', { type: 'group', sortBy: 'lastactivity', max: limit });
  if (!rooms.ok)
    return {
      id: 'mentions',
      status: 'warn',
      verdict: `could not list the group spaces: ${rooms.reason}`,
      fix: 'run the doctor again later',
    };
  const items = ((rooms.body as { items?: unknown })?.items ?? []) as Array<{ id?: unknown; title?: unknown }>;
  const spaces = items.filter((r): r is { id: string; title?: unknown } => typeof r.id === 'string').slice(0, limit);
  if (spaces.length === 0)
    return {
      id: 'mentions',
      status: 'pass',
      verdict: 'the bot is in no group space (in direct spaces no @mention is needed)',
    };
  const never: string[] = [];
  const unknown: string[] = [];
  for (const space of spaces) {
    const title = typeof space.title === 'string' ? space.title : space.id;
    const mentions = await api.get('messages', { roomId: space.id, mentionedPeople: 'me', max: 1 });
    if (!mentions.ok) unknown.push(title);
    else if ((((mentions.body as { items?: unknown })?.items ?? []) as unknown[]).length === 0) never.push(title);
  }
  const of =
    spaces.length === limit
      ? `the ${limit} most recently active group spaces`
      : `the ${spaces.length} group space(s) it is in`;
  const details = { checked: spaces.length, neverMentioned: never, notChecked: unknown };
  if (never.length === 0) {
    return {
      id: 'mentions',
      status: unknown.length ? 'warn' : 'pass',
      verdict: `the bot was @mentioned in each of ${of}${unknown.length ? ` that could be read (${unknown.length} could not)` : ''}`,
      details,
    };
  }
  const named =
    never
      .slice(0, 5)
      .map((t) => `"${t}"`)
      .join(', ') + (never.length > 5 ? ', …' : '');
  return {
    id: 'mentions',
    status: 'warn',
    verdict: `the bot was never @mentioned in ${never.length} of ${of} (${named}): there Webex delivers it only the messages that @mention it`,
    fix: `tell people in group spaces to start with @${botName} (in direct spaces no mention is needed)`,
    details,
  };
}
