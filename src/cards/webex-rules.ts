/**
 * What Webex renders of Adaptive Cards, beyond what Microsoft's library checks: Webex clients
 * render schema 1.3, and of its elements and actions only those listed here (no `Media`, no
 * `Action.Execute`). Anything else is dropped or breaks the card in front of users.
 */
import { isRecord } from '../util/is-record.js';
import { compileInputRegex } from './input-regex.js';

/** Element types Webex renders (schema 1.3). */
export const WEBEX_ELEMENTS: ReadonlySet<string> = new Set([
  'TextBlock',
  'RichTextBlock',
  'TextRun',
  'Image',
  'ImageSet',
  'Container',
  'ColumnSet',
  'Column',
  'FactSet',
  'ActionSet',
  'Input.Text',
  'Input.Number',
  'Input.Date',
  'Input.Time',
  'Input.Toggle',
  'Input.ChoiceSet',
  'Input.Choice',
  'BackgroundImage',
]);

/** Action types Webex renders. */
export const WEBEX_ACTIONS: ReadonlySet<string> = new Set([
  'Action.Submit',
  'Action.OpenUrl',
  'Action.ShowCard',
  'Action.ToggleVisibility',
]);

/** Walks every object in a card (elements, actions, nested cards) depth-first. */
export function forEachObject(value: unknown, visit: (o: Record<string, unknown>) => void): void {
  if (Array.isArray(value)) {
    for (const v of value) forEachObject(v, visit);
  } else if (isRecord(value)) {
    visit(value);
    for (const v of Object.values(value)) forEachObject(v, visit);
  }
}

/** How an element is named in a problem: its type and id (or title). */
export function describeElement(o: Readonly<Record<string, unknown>>): string {
  const name = o['id'] ?? o['title'];
  return typeof name === 'string' && name !== '' ? `${String(o['type'])} "${name}"` : String(o['type']);
}

/**
 * Problems Webex-specific to `card`: types it does not render (except those in `alreadyReported`,
 * which the library named), and `regex` patterns that do not compile.
 */
export function webexProblems(card: unknown, alreadyReported: readonly string[]): string[] {
  const problems: string[] = [];
  forEachObject(card, (o) => {
    const type = o['type'];
    if (typeof type !== 'string' || type === 'AdaptiveCard') return;
    const known = type.startsWith('Action.') ? WEBEX_ACTIONS.has(type) : WEBEX_ELEMENTS.has(type);
    if (!known && !alreadyReported.some((p) => p.includes(`"${type}"`))) {
      problems.push(
        `${describeElement(o)}: Webex does not render ${type.startsWith('Action.') ? 'this action' : 'this element'} (it renders ${type.startsWith('Action.') ? [...WEBEX_ACTIONS].join(', ') : 'the Adaptive Cards 1.3 elements except Media'})`,
      );
    }
    if (type === 'Input.Text' && o['regex'] !== undefined) {
      const re = typeof o['regex'] === 'string' ? compileInputRegex(o['regex']) : new Error('it must be a string');
      if (re instanceof Error) problems.push(`${describeElement(o)}: "regex" does not compile (${re.message})`);
    }
  });
  return problems;
}
