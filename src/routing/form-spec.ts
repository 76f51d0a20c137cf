/**
 * A form handler's declared inputs (`form({ inputs: { email: 'text', start: 'date?' } })`)
 * against its card: at start against the card rendered with its sample data, and on each
 * submission against the card as it was sent (a card sent by an older version of the bot may
 * no longer match, and is then refused as out of date rather than handed to a handler whose
 * types it breaks).
 */
import { inputsOf } from '../cards/card-inputs.js';
import type { InputSpec, InputSpecKind } from '../skill-kit/input-types.js';
import { isRecord } from '../util/is-record.js';

const KINDS = new Set<string>(['text', 'number', 'date', 'time', 'toggle', 'choice', 'choices']);

/** What is wrong with a declared `inputs` object itself, or `undefined`. */
export function checkInputSpec(spec: unknown): string | undefined {
  if (!isRecord(spec)) return '"inputs" must map each input id of the card to its kind, e.g. { email: \'text\' }';
  for (const [id, kind] of Object.entries(spec)) {
    const base = typeof kind === 'string' ? kind.replace(/\?$/, '') : '';
    if (!KINDS.has(base) || kind === 'toggle?') {
      return `inputs["${id}"] must be one of ${[...KINDS].join(', ')} (with "?" when the card does not require it; a toggle always has a value), got ${JSON.stringify(kind)}`;
    }
  }
  return undefined;
}

/** How the card's input would be declared. */
function declared(kind: string, required: boolean): InputSpecKind {
  return (kind === 'toggle' || required ? kind : `${kind}?`) as InputSpecKind;
}

/**
 * Where `spec` and the inputs of `card` disagree, one line each; empty when they agree.
 *
 * @example
 * formProblems({ email: 'text' }, card) // → ['"email" is declared text, but the card has it as date? (Input.Date, not required)']
 */
export function formProblems(spec: InputSpec, card: unknown): string[] {
  const inputs = new Map(inputsOf(card).map((i) => [i.id, declared(i.kind, i.required)] as const));
  const problems: string[] = [];
  for (const [id, kind] of Object.entries(spec)) {
    const actual = inputs.get(id);
    if (actual === undefined) problems.push(`"${id}" is declared, but the card has no input with that id`);
    else if (actual !== kind) problems.push(`"${id}" is declared ${kind}, but the card has it as ${actual}`);
  }
  for (const [id, kind] of inputs) {
    if (!(id in spec)) problems.push(`the card's input "${id}" (${kind}) is not declared`);
  }
  return problems;
}
