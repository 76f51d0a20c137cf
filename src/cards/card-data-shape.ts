/**
 * What data a card template reads: every `${…}` expression of the template is parsed (with
 * adaptive-expressions, the templating library's own parser) and the data paths it refers to are
 * collected, following `$data` into the items of the list it repeats over. The result is a tree
 * of the fields the template needs, for `card-types.ts` to type from the sample data.
 */
import { Expression } from 'adaptive-expressions';
import { isRecord } from '../util/is-record.js';

/** The fields a template reads at one level: name → what it reads below it; `[]` for a list's items. */
export interface DataShape {
  readonly fields: Map<string, DataShape>;
}

/** The key under which a list's items are read. */
export const ITEMS = '[]';

const newShape = (): DataShape => ({ fields: new Map() });

/** The shape one level down at `key`, made when missing. */
function child(shape: DataShape, key: string): DataShape {
  let next = shape.fields.get(key);
  if (!next) {
    next = newShape();
    shape.fields.set(key, next);
  }
  return next;
}

/** `a.b[0].c` → `['a', 'b', '[]', 'c']`. */
function pathOf(reference: string): string[] {
  return reference
    .replace(/\[[^\]]*\]/g, `.${ITEMS}`)
    .split('.')
    .filter((p) => p !== '');
}

/** The `${…}` expressions in a string of the template. */
function expressionsIn(text: string): string[] {
  const found: string[] = [];
  for (let start = text.indexOf('${'); start !== -1; start = text.indexOf('${', start + 2)) {
    let depth = 0;
    for (let i = start + 2; i < text.length; i++) {
      const c = text[i];
      if (c === '{') depth++;
      else if (c === '}' && depth-- === 0) {
        found.push(text.slice(start + 2, i));
        break;
      }
    }
  }
  return found;
}

/** The data paths `expression` reads (none when it does not parse: the card check reports that). */
function referencesOf(expression: string): string[][] {
  try {
    return Expression.parse(expression)
      .references()
      .map(pathOf)
      .filter((p) => p.length > 0 && p[0] !== '$index' && p[0] !== '$host' && p[0] !== '$when');
  } catch {
    return [];
  }
}

/** Records `path`, read in `scope` (the items of a `$data` list, or the root). */
function record(root: DataShape, scope: DataShape, path: readonly string[]): DataShape | undefined {
  const [head, ...rest] = path;
  let at = head === '$root' ? root : head === '$data' ? scope : child(scope, head!);
  for (const key of rest) at = child(at, key);
  return at;
}

/** Reads the template at `node`, with `scope` the shape its expressions refer to. */
function walk(node: unknown, root: DataShape, scope: DataShape): void {
  if (typeof node === 'string') {
    for (const e of expressionsIn(node)) for (const p of referencesOf(e)) record(root, scope, p);
    return;
  }
  if (Array.isArray(node)) {
    for (const item of node) walk(item, root, scope);
    return;
  }
  if (!isRecord(node)) return;
  let inner = scope;
  const data = node['$data'];
  if (typeof data === 'string') {
    // `"$data": "${list}"` repeats this object over the list's items: inside, names are an item's fields.
    const expressions = expressionsIn(data);
    const references = expressions.length === 1 ? referencesOf(expressions[0]!) : [];
    const list = references.length === 1 ? record(root, scope, references[0]!) : undefined;
    inner = list ? child(list, ITEMS) : newShape();
    for (const e of expressions) for (const p of referencesOf(e)) record(root, scope, p);
  } else if (data !== undefined) {
    return; // data written into the template itself: nothing comes from the handler below
  }
  for (const [key, value] of Object.entries(node)) if (key !== '$data') walk(value, root, inner);
}

/**
 * The fields `template` reads from the data it is rendered with.
 * @example
 * [...dataShape({ body: [{ type: 'TextBlock', text: 'Hi ${name}' }] }).fields.keys()] // → ['name']
 */
export function dataShape(template: unknown): DataShape {
  const root = newShape();
  walk(template, root, root);
  return root;
}
