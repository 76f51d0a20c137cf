/**
 * What Webex derives from a message's markdown: the plain `text`, the `html` its clients use and
 * who is mentioned. Mentions are written `<@personId:ID|Label>`, `<@personEmail:EMAIL|Label>`
 * or `<@all>`; they become `<spark-mention>` elements, and their label in `text`.
 *
 * The markdown dialect is small on purpose (paragraphs, line breaks, bold, italic, inline and
 * fenced code, links): enough for bots to read `html` for mentions and for the playground to show
 * something sensible. `text` keeps the markdown as written except for mentions, so that text a
 * person pastes (card JSON, for example) survives intact.
 */

/** Someone a mention refers to. */
export interface MentionTarget {
  id: string;
  displayName: string;
}

/** Finds the person a mention names, by id or by email. */
export type ResolveMention = (kind: 'personId' | 'personEmail', value: string) => MentionTarget | undefined;

/** The fields Webex derives from markdown. */
export interface RenderedMarkdown {
  text: string;
  html: string;
  mentionedPeople: string[];
  mentionedGroups: string[];
}

const MENTION = /<@(personId|personEmail):([^|>\s]+)(?:\|([^>]*))?>|<@all>/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 delimits a mention's placeholder; renderMarkdown strips it from the input, so no text can forge one
const MENTION_SLOT = /\u0000(\d+)\u0000/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0001 delimits the placeholder of HTML kept aside (code); renderMarkdown strips it from the input, so no text can forge one
const PROTECTED_SLOT = /\u0001(\d+)\u0001/g;

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Derives `text`, `html` and the mentions from markdown.
 *
 * @example
 * renderMarkdown('<@personId:Y2lz...|Skill Bot> help', resolve).text // 'Skill Bot help'
 */
export function renderMarkdown(markdown: string, resolve: ResolveMention): RenderedMarkdown {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removes the placeholder delimiters (U+0000, U+0001) from the input so no text can forge a placeholder
  const source = markdown.replace(/[\u0000\u0001]/g, '');
  const mentionedPeople: string[] = [];
  const mentionedGroups: string[] = [];
  const mentionHtml: string[] = [];
  let text = '';
  let slotted = '';
  let last = 0;
  for (const m of source.matchAll(MENTION)) {
    const before = source.slice(last, m.index);
    text += before;
    slotted += before;
    let label: string;
    let html: string;
    if (m[0] === '<@all>') {
      label = 'All';
      html = '<spark-mention data-object-type="groupMention" data-group-type="all">All</spark-mention>';
      if (!mentionedGroups.includes('all')) mentionedGroups.push('all');
    } else {
      const target = resolve(m[1] as 'personId' | 'personEmail', m[2] ?? '');
      label = m[3] || target?.displayName || m[2] || '';
      if (target) {
        html = `<spark-mention data-object-type="person" data-object-id="${escapeHtml(target.id)}">${escapeHtml(label)}</spark-mention>`;
        if (!mentionedPeople.includes(target.id)) mentionedPeople.push(target.id);
      } else {
        html = escapeHtml(label);
      }
    }
    text += label;
    slotted += `\u0000${mentionHtml.length}\u0000`;
    mentionHtml.push(html);
    last = m.index + m[0].length;
  }
  text += source.slice(last);
  slotted += source.slice(last);
  const html = markdownToHtml(slotted).replace(MENTION_SLOT, (_, i: string) => mentionHtml[Number(i)] ?? '');
  return { text, html, mentionedPeople, mentionedGroups };
}

/** A small markdown-to-HTML conversion (see the module comment for what it covers). */
export function markdownToHtml(markdown: string): string {
  const kept: string[] = [];
  const keep = (html: string): string => `\u0001${kept.push(html) - 1}\u0001`;
  let s = markdown.replace(/\r\n?/g, '\n');
  s = s.replace(
    /```[^\n]*\n([\s\S]*?)\n?```/g,
    (_, code: string) => `\n\n${keep(`<pre><code>${escapeHtml(code)}</code></pre>`)}\n\n`,
  );
  s = s.replace(/`([^`\n]+)`/g, (_, code: string) => keep(`<code>${escapeHtml(code)}</code>`));
  s = escapeHtml(s);
  s = s.replace(/\[([^\]\n]+)\]\((https?:\/\/[^)\s]+)\)/g, '<a href="$2">$1</a>');
  s = s.replace(/\*\*([^*\n]+)\*\*/g, '<strong>$1</strong>');
  s = s.replace(/(^|[^*\w])\*([^*\n]+)\*(?![*\w])/g, '$1<em>$2</em>');
  const blocks = s
    .split(/\n{2,}/)
    .map((b) => b.trim())
    .filter((b) => b.length > 0)
    .map((b) =>
      // biome-ignore lint/suspicious/noControlCharactersInRegex: a block that is only a kept-HTML placeholder (U+0001 delimited, see PROTECTED_SLOT)
      /^\u0001\d+\u0001$/.test(b) && kept[Number(b.slice(1, -1))]?.startsWith('<pre>')
        ? b
        : `<p>${b.replace(/\n/g, '<br/>')}</p>`,
    );
  return blocks.join('').replace(PROTECTED_SLOT, (_, i: string) => kept[Number(i)] ?? '');
}
