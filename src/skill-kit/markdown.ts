/**
 * Markdown helpers for replies that include user-provided text. Webex markdown turns `<@all>`
 * into a mention of everyone and renders `*`, `_`, links and code; user text must be escaped
 * before it is put into a reply, or a user could make the bot @mention the whole space.
 */

/**
 * Escapes `text` so Webex shows it literally (no formatting, links or mentions).
 * @example escapeMarkdown('<@all> **hi**') // → '&lt;@all&gt; \\*\\*hi\\*\\*'
 */
export function escapeMarkdown(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/([\\`*_[\]|~])/g, '\\$1')
      // Block markers only matter at the start of a line: headings, lists, numbered lists.
      .replace(/^(\s*)([#+-])(?=\s)/gm, '$1\\$2')
      .replace(/^(\s*\d+)\.(?=\s)/gm, '$1\\.')
  );
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
