/**
 * Markdown helpers for replies that include user-provided text. Webex markdown turns `<@all>`
 * into a mention of everyone and renders `*`, `_`, links and code; user text must be escaped
 * before it is put into a reply, or a user could make the bot @mention the whole space.
 *
 * Card data needs nothing of the kind: the bot escapes string data where a card renders it as
 * markdown. {@link markdown} marks a value that is meant as markdown.
 */

/** Backslash-escapes what makes markdown of `text`: inline marks in `inline`, and block markers at a line's start. */
function escapeSyntax(text: string, inline: RegExp): string {
  return (
    text
      .replace(inline, '\\$1')
      // Block markers only matter at the start of a line: headings, lists, numbered lists.
      .replace(/^(\s*)([#+-])(?=\s)/gm, '$1\\$2')
      .replace(/^(\s*\d+)\.(?=\s)/gm, '$1\\.')
  );
}

/**
 * Escapes `text` so Webex shows it literally (no formatting, links or mentions).
 * @example escapeMarkdown('<@all> **hi**') // → '&lt;@all&gt; \\*\\*hi\\*\\*'
 */
export function escapeMarkdown(text: string): string {
  return escapeSyntax(text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'), /([\\`*_[\]|~])/g);
}

/**
 * Escapes `text` for the markdown of an Adaptive Card (a TextBlock's text, a fact): as
 * {@link escapeMarkdown}, but `<` and `>` (autolinks, quotes) are backslash-escaped and `&` is left
 * alone, because card renderers show HTML characters as they are (an `&amp;` would show as such).
 * The bot applies it to template data; skills do not need it.
 * @example escapeCardMarkdown('[Verify](https://evil.example)') // → '\\[Verify\\](https://evil.example)'
 */
export function escapeCardMarkdown(text: string): string {
  return escapeSyntax(text, /([\\`*_[\]|~<>])/g);
}

/** `text` escaped by {@link escapeCardMarkdown} made plain again (for a card's plain-text fallback). */
export function withoutCardEscapes(text: string): string {
  return text.replace(/\\([\\`*_[\]|~<>#+.-])/g, '$1');
}

const MARKDOWN: unique symbol = Symbol.for('webex-skill-bot.markdown');

/** Text meant as markdown, made by {@link markdown}. */
export interface Markdown {
  readonly [MARKDOWN]: true;
  readonly text: string;
  /** The markdown text (what a card shows where it does not render markdown). */
  toString(): string;
  toJSON(): string;
}

/**
 * Marks `text` as markdown on purpose, for card data: the bot escapes every other string it
 * binds into a card where the card renders markdown (so a user's `**urgent**` or
 * `[Verify](https://…)` shows as typed), but not this one. Never wrap text a user typed.
 * @example
 * await reply.card('status', { title: markdown(`**${escapeCardMarkdown(name)}** is online`) });
 * await reply.card('status', { note: markdown('See [the runbook](https://example.com/runbook)') });
 */
export function markdown(text: string): Markdown {
  if (typeof text !== 'string') throw new TypeError('markdown() takes a string');
  return Object.freeze({
    [MARKDOWN]: true as const,
    text,
    toString: () => text,
    toJSON: () => text,
  });
}

/** True for a value made by {@link markdown} (in this module or another copy of it). */
export function isMarkdown(value: unknown): value is Markdown {
  return typeof value === 'object' && value !== null && (value as Partial<Markdown>)[MARKDOWN] === true;
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
