/**
 * Where an Adaptive Card renders text as markdown, as Microsoft's renderer does (the one the
 * playground uses; see docs/webex-cards.md):
 * - a `TextBlock`'s `text`;
 * - a `FactSet` fact's `title` and `value`;
 * - an input's `errorMessage`;
 * - an `Input.Toggle`'s `title`, and the choices' `title` of an `Input.ChoiceSet` drawn as
 *   radio buttons or check boxes (`style: "expanded"` or `isMultiSelect: true`).
 * Everything else (input values and labels, placeholders, a compact choice set's titles, button
 * titles and data, URLs, `RichTextBlock` runs) is shown as it is, so it is never escaped.
 */
import { escapeCardMarkdown, isMarkdown } from '../skill-kit/markdown.js';
import { isRecord } from '../util/is-record.js';

/** What the objects in an array of a card are, when their own `type` does not say: facts, or choices drawn with markdown. */
export type Slot = 'fact' | 'markdown-choice' | undefined;

/** The members of an object that decide where its markdown is. */
export interface Holder {
  readonly type?: unknown;
  readonly style?: unknown;
  readonly isMultiSelect?: unknown;
}

const TEXT = ['text'] as const;
const FACT = ['title', 'value'] as const;
const TITLE = ['title'] as const;
const INPUT = ['errorMessage'] as const;
const TOGGLE = ['errorMessage', 'title'] as const;
const NONE = [] as const;

/**
 * The keys of an object (`holder`, found in `slot`) whose text the card renders as markdown.
 * @example markdownKeysOf({ type: 'TextBlock' }, undefined) // → ['text']
 */
export function markdownKeysOf(holder: Holder, slot: Slot): readonly string[] {
  if (slot === 'fact') return FACT;
  if (slot === 'markdown-choice') return TITLE;
  const type = holder.type;
  if (type === 'TextBlock') return TEXT;
  if (type === 'Input.Toggle') return TOGGLE;
  if (typeof type === 'string' && type.startsWith('Input.')) return INPUT;
  return NONE;
}

/**
 * What the objects under `holder[key]` are.
 * @example slotUnder({ type: 'FactSet' }, 'facts') // → 'fact'
 */
export function slotUnder(holder: Holder, key: string): Slot {
  if (holder.type === 'FactSet' && key === 'facts') return 'fact';
  if (
    holder.type === 'Input.ChoiceSet' &&
    key === 'choices' &&
    (holder.style === 'expanded' || holder.isMultiSelect === true)
  )
    return 'markdown-choice';
  return undefined;
}

/**
 * A copy of `value` (data that became part of a card at `slot`) with its strings escaped where
 * the card renders markdown, and {@link markdown} values turned into their text, unescaped.
 * @example escapeData([{ title: 'Note', value: '**hi**' }], 'fact') // → [{ title: 'Note', value: '\\*\\*hi\\*\\*' }]
 */
export function escapeData(value: unknown, slot: Slot): unknown {
  if (isMarkdown(value)) return value.text;
  if (Array.isArray(value)) return value.map((v) => escapeData(v, slot));
  if (!isRecord(value)) return value;
  const keys = markdownKeysOf(value, slot);
  const copy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    copy[k] = typeof v === 'string' && keys.includes(k) ? escapeCardMarkdown(v) : escapeData(v, slotUnder(value, k));
  }
  return copy;
}
