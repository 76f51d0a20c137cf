// Markdown as Webex clients show it, rendered safely with markdown-it: raw HTML is never
// passed through (`html: false`), links must be http(s) or mailto and open in a new tab,
// images are not rendered. Webex mentions (`<@personId:ID|Label>`, `<@all>`) become chips.

import markdownit from '/vendor/markdown-it.mjs';
import { escapeHtml } from './format.js';

const SAFE_LINK = /^(https?:|mailto:)/i;
const MENTION = /<@(personId|personEmail):([^|>\s]+)(?:\|([^>]*))?>|<@all>/g;
// Private-use characters stand in for mentions while markdown-it runs.
const SLOT = /\uE000(\d+)\uE001/g;

function hardenLinks(md) {
  md.validateLink = (url) => SAFE_LINK.test(url.trim());
  const fallback =
    md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    tokens[idx].attrSet('target', '_blank');
    tokens[idx].attrSet('rel', 'noopener noreferrer nofollow');
    return fallback(tokens, idx, options, env, self);
  };
  return md;
}

/** Messages: Webex's markdown (paragraphs, line breaks, emphasis, lists, code, quotes, links). */
const messageMd = hardenLinks(
  markdownit({ html: false, linkify: true, breaks: true, typographer: false }).disable(['image']),
);

/**
 * Card TextBlocks: the markdown subset Adaptive Cards define (emphasis, lists, links), with
 * backslash escapes (the bot escapes data that way: `\*\*hi\*\*` shows as `**hi**`).
 */
const cardMd = hardenLinks(
  markdownit('zero', { html: false, breaks: false }).enable(['emphasis', 'link', 'list', 'newline', 'escape']),
);

/**
 * HTML for a message's markdown (or plain text), with mentions shown by label.
 * `nameOf(kind, value)` gives a display name for a mention without a label.
 */
export function renderMessageMarkdown(source, nameOf = () => undefined) {
  const mentions = [];
  const slotted = String(source ?? '')
    .replace(/[\uE000\uE001]/g, '')
    .replace(MENTION, (whole, kind, value, label) => {
      const text = whole === '<@all>' ? 'All' : label || nameOf(kind, value) || value;
      mentions.push(`<span class="mention">${escapeHtml(text)}</span>`);
      return `\uE000${mentions.length - 1}\uE001`;
    });
  return messageMd.render(slotted).replace(SLOT, (_, i) => mentions[Number(i)] ?? '');
}

/** HTML for the markdown of an Adaptive Card TextBlock (its paragraphs get no margin: see cards.css). */
export function renderCardMarkdown(text) {
  return cardMd.render(String(text ?? '')).trim();
}
