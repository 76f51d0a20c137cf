/**
 * Removing the bot's @mention from the start of a message, so that "Skill Bot help" in a group
 * space is matched as "help".
 *
 * In group spaces Webex puts the mention label (the bot's display name, or the part of it the
 * sender kept) at the start of `text`, and `<spark-mention data-object-id="…">Label</spark-mention>`
 * in `html`. The label from `html` is the reliable one; the bot's display name and first name
 * are fallbacks for messages without `html`.
 */

/** Who the bot is, as far as mentions are concerned. */
export interface MentionIdentity {
  readonly id: string;
  readonly displayName: string;
  readonly firstName?: string | undefined;
}

/** The uuid inside a Webex id (`ciscospark://us/PEOPLE/<uuid>`, base64url), or undefined. */
export function uuidOfWebexId(id: string): string | undefined {
  try {
    const decoded = Buffer.from(id, 'base64url').toString('utf8');
    const m = /^ciscospark:\/\/[^/]+\/[A-Z_]+\/([0-9a-f-]{36})$/i.exec(decoded);
    return m?.[1]?.toLowerCase();
  } catch {
    return undefined;
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: ' ' };

function decodeEntities(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39|apos|nbsp);/g, (_, e: string) => ENTITIES[e] ?? _);
}

/** Labels used to mention `bot` in `html` (in order of appearance). */
export function mentionLabels(html: string | undefined, bot: MentionIdentity): string[] {
  if (!html) return [];
  const ids = new Set(
    [bot.id, uuidOfWebexId(bot.id)].filter((v): v is string => Boolean(v)).map((v) => v.toLowerCase()),
  );
  const labels: string[] = [];
  const re = /<spark-mention\b([^>]*)>([\s\S]*?)<\/spark-mention>/gi;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    const idMatch = /data-object-id\s*=\s*"([^"]*)"/i.exec(m[1] ?? '');
    if (idMatch && ids.has(idMatch[1]!.toLowerCase()))
      labels.push(decodeEntities((m[2] ?? '').replace(/<[^>]*>/g, '')).trim());
  }
  return labels.filter((l) => l !== '');
}

/**
 * Returns `text` without a leading @mention of the bot (and the punctuation and spaces after it).
 * Text that does not start with a mention is returned trimmed but otherwise unchanged.
 *
 * @example
 * stripMention('Skill Bot help', '<spark-mention data-object-id="…">Skill Bot</spark-mention> help', bot) // → 'help'
 * stripMention('Skill, echo hi', undefined, { id, displayName: 'Skill Bot', firstName: 'Skill' })     // → 'echo hi'
 */
export function stripMention(text: string, html: string | undefined, bot: MentionIdentity): string {
  const trimmed = text.trim();
  const candidates = [...mentionLabels(html, bot), bot.displayName, bot.firstName]
    .filter((l): l is string => typeof l === 'string' && l.trim() !== '')
    .sort((a, b) => b.length - a.length);
  const lower = trimmed.toLowerCase();
  for (const label of candidates) {
    const l = label.trim().toLowerCase();
    const next = trimmed.charAt(l.length);
    if (lower.startsWith(l) && (next === '' || /[\s,:;!.]/.test(next))) {
      return trimmed.slice(l.length).replace(/^[\s,:;!.]+/, '');
    }
  }
  return trimmed;
}
