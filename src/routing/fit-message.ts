/**
 * Fitting one message into Webex's size limit (for texts that must stay one message, such as a
 * card's fallback text; replies are split instead, see `split-message.ts`).
 */
import { MAX_MESSAGE_BYTES } from '../protocol/limits.js';

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
  cut = Buffer.from(cut)
    .subarray(0, budget - Buffer.byteLength(closing))
    .toString('utf8')
    .replace(/\uFFFD+$/, '');
  return { text: `${cut}${closing}${note}`, truncated: true };
}
