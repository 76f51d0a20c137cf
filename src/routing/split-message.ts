/**
 * Splitting a reply that is longer than Webex allows into several messages, none over the limit,
 * instead of cutting it: on a paragraph, line or word boundary when there is one near the end of
 * the room left, and never inside a character. A code block split across messages is closed at
 * the end of one and reopened (same fence and language) at the start of the next, so each message
 * renders on its own.
 */
import { MAX_MESSAGE_BYTES } from '../protocol/limits.js';

/** The longest prefix of `text` within `budget` UTF-8 bytes, ending on a whole character. */
function prefixWithin(text: string, budget: number): string {
  let prefix = Buffer.from(text, 'utf8').subarray(0, Math.max(0, budget)).toString('utf8');
  // A character cut in half decodes to U+FFFD (or leaves half a surrogate pair): drop it.
  while (prefix.length > 0 && !text.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

/** Where to end a part of at most `prefix.length` characters: a boundary in its last half, or its end. */
function breakPoint(prefix: string): number {
  const half = prefix.length / 2;
  for (const boundary of ['\n\n', '\n', ' ']) {
    const at = prefix.lastIndexOf(boundary);
    if (at > half) return at;
  }
  return prefix.length;
}

const FENCE_LINE = /^(`{3,}|~{3,})(.*)$/;

/** The opening line of the code block still open at the end of `markdown`, if one is. */
function openFenceAt(markdown: string): string | undefined {
  let open: { line: string; fence: string } | undefined;
  for (const line of markdown.split('\n')) {
    const m = FENCE_LINE.exec(line);
    if (!m) continue;
    const fence = m[1]!;
    if (!open) open = { line, fence };
    else if (fence[0] === open.fence[0] && fence.length >= open.fence.length && m[2]!.trim() === '') open = undefined;
  }
  return open?.line;
}

/** The fence characters of an opening line (e.g. "```" of "```json"). */
function fenceOf(openingLine: string): string {
  return FENCE_LINE.exec(openingLine)?.[1] ?? '```';
}

/**
 * Splits `markdown` into parts of at most `maxBytes` UTF-8 bytes each; a text that fits is
 * returned as the only part.
 *
 * @example
 * splitMessage('a'.repeat(10_000)).length // → 2
 */
export function splitMessage(markdown: string, maxBytes = MAX_MESSAGE_BYTES): string[] {
  const parts: string[] = [];
  let rest = markdown;
  let reopen = '';
  for (;;) {
    const text = reopen ? `${reopen}\n${rest}` : rest;
    if (Buffer.byteLength(text, 'utf8') <= maxBytes) {
      parts.push(text);
      return parts;
    }
    // Room to close a code block at the end: a newline and the longest fence in the text.
    const longestFence = Math.max(3, ...[...text.matchAll(/^(`{3,}|~{3,})/gm)].map((m) => m[1]!.length));
    const prefix = prefixWithin(text, maxBytes - longestFence - 1);
    let end = breakPoint(prefix);
    // Always move forward, even when the only boundary is inside the reopened fence line.
    if (end <= reopen.length + 1) end = prefix.length;
    let head = text.slice(0, end).replace(/\s+$/, '');
    const open = openFenceAt(head);
    if (open !== undefined) head += `\n${fenceOf(open)}`;
    parts.push(head);
    rest = text.slice(end).replace(/^\n+/, '');
    reopen = open ?? '';
  }
}
