/**
 * Markdown that is still arriving, made safe to show: a streamed answer is shown many times
 * before it is complete, and each time it must not show half a construct. An open code block is
 * closed (and a fence line still being typed held back); an open `**`, `*`, `_`, `~~` or code
 * span is closed; a link, image or `<…>` not yet complete, a `&entity` being typed and emphasis
 * marks at the very end (they could still grow) are held back until the rest arrives.
 *
 * The rules are CommonMark's, simplified: emphasis opens on a run of marks followed by a
 * non-space (for `_`, not inside a word) and closes on the same run after a non-space; inline
 * constructs end at a blank line.
 *
 * @example
 * streamingView('Here is **the pla');       // → 'Here is **the pla**'
 * streamingView('See [the docs](https://ex'); // → 'See '
 * streamingView('```js\nconst a = 1;');      // → '```js\nconst a = 1;\n```'
 */

const FENCE_LINE = /^(`{3,}|~{3,})(.*)$/;

/** Where the code block open at the end of `text` starts, if one is: its fence and the offset after its opening line. */
function openFence(text: string): { fence: string; bodyStart: number; lineStart: number } | undefined {
  let open: { fence: string; bodyStart: number; lineStart: number } | undefined;
  let offset = 0;
  for (const line of text.split('\n')) {
    const m = FENCE_LINE.exec(line);
    if (m) {
      const fence = m[1]!;
      if (!open) open = { fence, bodyStart: offset + line.length + 1, lineStart: offset };
      else if (fence[0] === open.fence[0] && fence.length >= open.fence.length && m[2]!.trim() === '') open = undefined;
    }
    offset += line.length + 1;
  }
  return open;
}

/** Where the inline text of the last paragraph starts: after the last blank line or closed code block. */
function lastParagraphStart(text: string): number {
  let start = 0;
  let offset = 0;
  let fence: string | undefined;
  for (const line of text.split('\n')) {
    const end = offset + line.length + 1;
    const m = FENCE_LINE.exec(line);
    if (fence === undefined && m) fence = m[1]!;
    else if (fence !== undefined && m && m[1]![0] === fence[0] && m[1]!.length >= fence.length && m[2]!.trim() === '') {
      fence = undefined;
      start = end;
    } else if (fence === undefined && line.trim() === '') start = end;
    offset = end;
  }
  return Math.min(start, text.length);
}

/** An emphasis or code mark opened and not closed yet. */
interface OpenMark {
  readonly at: number;
  readonly marks: string;
}

/** The inline state of `text`: where to cut it (what follows is held back), and the marks left open before the cut. */
export interface InlineState {
  readonly cut: number;
  readonly open: readonly OpenMark[];
}

const isSpace = (c: string | undefined) => c === undefined || /\s/.test(c);
const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);

/** The length of the run of `c` at `i`. */
function runAt(text: string, i: number): number {
  let n = 0;
  while (text[i + n] === text[i]) n++;
  return n;
}

/** Where a link or image starting with `[` at `i` ends (after its `)`), or -1 when it is not complete. */
function linkEnd(text: string, i: number): number {
  const close = text.indexOf(']', i + 1);
  // `[text]` at the very end may still become a link.
  if (close === -1 || close + 1 >= text.length) return -1;
  if (text[close + 1] !== '(') return close + 1;
  const paren = text.indexOf(')', close + 2);
  return paren === -1 ? -1 : paren + 1;
}

/**
 * Scans inline text (one paragraph, no code block) for what is open at its end.
 * @example inlineState('a **b').open // → [{ at: 2, marks: '**' }]
 */
export function inlineState(text: string): InlineState {
  const open: OpenMark[] = [];
  const cutAt = (at: number): InlineState => ({ cut: at, open: open.filter((m) => m.at < at) });
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '`') {
      const n = runAt(text, i);
      const closing = text.indexOf('`'.repeat(n), i + n);
      if (i + n >= text.length) return cutAt(i); // marks at the end: could still grow
      if (closing === -1) {
        // Backticks at the end may be the start of its closing run: held back.
        let end = text.length;
        while (end > i + n && text[end - 1] === '`') end--;
        // Nothing but spaces inside yet: an empty code span would show its backticks.
        if (text.slice(i + n, end).trim() === '') return cutAt(i);
        open.push({ at: i, marks: '`'.repeat(n) });
        return { cut: end, open }; // nothing inside a code span is markdown
      }
      i = closing + n;
      continue;
    }
    if (c === '[' || (c === '!' && text[i + 1] === '[')) {
      const start = i;
      const end = linkEnd(text, c === '!' ? i + 1 : i);
      if (end === -1) return cutAt(start);
      i = end; // a whole link: its marks (an `_` in a URL) are not emphasis
      continue;
    }
    if (c === '<' && /[A-Za-z@/!]/.test(text[i + 1] ?? 'a')) {
      if (text.indexOf('>', i) === -1) return cutAt(i);
    }
    if (c === '&' && /^&#?[A-Za-z0-9]*$/.test(text.slice(i))) return cutAt(i);
    if (c === '*' || c === '_' || c === '~') {
      const n = runAt(text, i);
      if (i + n >= text.length) return cutAt(i);
      if (c === '~' && n < 2) {
        i += n;
        continue;
      }
      const before = text[i - 1];
      const after = text[i + n];
      const canOpen = !isSpace(after) && (c !== '_' || !isWordChar(before));
      const canClose = !isSpace(before) && (c !== '_' || !isWordChar(after));
      const marks = c.repeat(n);
      const match = canClose ? open.map((m) => m.marks).lastIndexOf(marks) : -1;
      if (match !== -1) open.splice(match);
      else if (canOpen) open.push({ at: i, marks });
      i += n;
      continue;
    }
    i++;
  }
  return { cut: text.length, open };
}

/** The marks that close `open`, innermost first. */
export function closers(open: readonly OpenMark[]): string {
  return [...open]
    .reverse()
    .map((m) => m.marks)
    .join('');
}

/**
 * `text` (markdown still arriving) as it can be shown now: nothing half shown. See the module's
 * examples.
 */
export function streamingView(text: string): string {
  const fence = openFence(text);
  if (fence) {
    const lastLine = text.slice(text.lastIndexOf('\n') + 1);
    // The opening line itself is still being typed (its language, say): hold the block back.
    if (fence.bodyStart > text.length) return streamingView(text.slice(0, fence.lineStart).replace(/\s+$/, ''));
    // A closing fence being typed: hold that line back.
    const body = /^[`~]+$/.test(lastLine) ? text.slice(0, text.length - lastLine.length) : text;
    return `${body.replace(/\n?$/, '\n')}${fence.fence}`;
  }
  const lastLine = text.slice(text.lastIndexOf('\n') + 1);
  // A fence line being typed ("``", "```js"): it would open a code block; hold it back.
  if (/^(`{2,}|~{3,})[^`~]*$/.test(lastLine) || /^[`~]{1,2}$/.test(lastLine))
    return streamingView(text.slice(0, text.length - lastLine.length).replace(/\s+$/, ''));
  const start = lastParagraphStart(text);
  const state = inlineState(text.slice(start));
  const kept = text.slice(0, start + state.cut);
  if (state.open.length === 0) return kept;
  const trimmed = kept.replace(/\s+$/, '');
  // A backtick just before a code span's closer would join it: a space keeps them apart.
  const gap = state.open.at(-1)!.marks.startsWith('`') && trimmed.endsWith('`') ? ' ' : '';
  return `${trimmed}${gap}${closers(state.open)}`;
}

/**
 * How to end a message at the end of `text` when the answer goes on in another one: `cut` (what
 * follows moves to the next message), the marks to close it with, and those to reopen the next
 * message with. Code blocks are not its concern (`splitMessage` closes and reopens them).
 * @example
 * sealAt('see **the plan and [the gu');
 * // → { cut: 21, close: '**', reopen: '**' }: 'see **the plan and**' | '**[the gu…'
 */
export function sealAt(text: string): { cut: number; close: string; reopen: string } {
  if (openFence(text)) return { cut: text.length, close: '', reopen: '' };
  const start = lastParagraphStart(text);
  const state = inlineState(text.slice(start));
  return {
    cut: start + state.cut,
    close: closers(state.open),
    reopen: state.open.map((m) => m.marks).join(''),
  };
}

/**
 * A complete answer as it is shown at the end: as written, except that a code block left open is
 * closed (so nothing after it in the space is swallowed).
 * @example finalView('```\ncode') // → '```\ncode\n```'
 */
export function finalView(text: string): string {
  const fence = openFence(text);
  return fence ? `${text.replace(/\n?$/, '\n')}${fence.fence}` : text;
}
