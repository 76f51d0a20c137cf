/**
 * Markdown helpers for replies that include user-provided text. Webex markdown turns `<@all>`
 * into a mention of everyone and renders `*`, `_`, links and code; user text must be escaped
 * before it is put into a reply, or a user could make the bot @mention the whole space.
 */
import { MAX_MESSAGE_BYTES } from '../protocol/limits.js';

/**
 * Escapes `text` so Webex shows it literally (no formatting, links or mentions).
 * @example escapeMarkdown('<@all> **hi**') // → '&lt;@all&gt; \\*\\*hi\\*\\*'
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~])/g, '\\$1')
    // Block markers only matter at the start of a line: headings, lists, numbered lists.
    .replace(/^(\s*)([#+-])(?=\s)/gm, '$1\\$2')
    .replace(/^(\s*\d+)\.(?=\s)/gm, '$1\\.');
}

/**
 * A fenced code block that `content` cannot break out of (the fence is longer than any run of
 * backticks inside it).
 * @example codeBlock('{"a":1}', 'json')
 */
export function codeBlock(content: string, language = ''): string {
  const longest = Math.max(0, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${content}\n${fence}`;
}


/**
 * Cuts `markdown` to fit Webex's limit, on a character boundary, with a note when cut.
 * Returns the text unchanged when it fits.
 */
export function fitMessage(markdown: string, maxBytes = MAX_MESSAGE_BYTES): { text: string; truncated: boolean } {
  if (Buffer.byteLength(markdown) <= maxBytes) return { text: markdown, truncated: false };
  const note = '\n\n… (cut: the message was longer than Webex allows)';
  const budget = maxBytes - Buffer.byteLength(note);
  let cut = Buffer.from(markdown).subarray(0, budget).toString('utf8');
  // A multi-byte character split by the cut decodes to U+FFFD: drop it.
  cut = cut.replace(/\uFFFD+$/, '');
  // Close an open code fence so the note is not swallowed by it.
  const fences = cut.match(/^`{3,}/gm) ?? [];
  const closing = fences.length % 2 === 1 ? `\n${fences[fences.length - 1]}` : '';
  cut = Buffer.from(cut).subarray(0, budget - Buffer.byteLength(closing)).toString('utf8').replace(/\uFFFD+$/, '');
  return { text: `${cut}${closing}${note}`, truncated: true };
}
