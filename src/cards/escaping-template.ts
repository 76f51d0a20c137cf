/**
 * A parsed `adaptivecards-templating` template whose expansion escapes the data it binds where
 * the card renders markdown (see `markdown-slots.ts`), and only there: the template's own text
 * keeps its markdown (`"**Request** ${id}"` stays bold), an input's `value` or a button's `data`
 * get the data exactly as given.
 *
 * How: the library expands an object key by key (`expandSingleObject`) and any node through
 * `internalExpand`. This instance replaces the first, to know which key of which element it is
 * expanding and to evaluate a markdown key's expressions one by one (escaping each result, never
 * the text around them), and wraps the second, to escape data that arrives as a whole object or
 * array (`"facts": "${facts}"`). Those are members the library does not publish: the checks below
 * fail at load, and the unit tests fail, if a new version of the library moves them.
 */
import * as ACData from 'adaptivecards-templating';
import { escapeCardMarkdown, isMarkdown } from '../skill-kit/markdown.js';
import { escapeData, markdownKeysOf, slotUnder, type Holder, type Slot } from './markdown-slots.js';

/** An adaptive expression, as the library holds one (duck-typed: the library's own copy of the module). */
interface Expression {
  readonly type: string;
  readonly children: readonly Expression[];
  tryEvaluate(...args: unknown[]): Evaluation;
  toString(): string;
}

/** What an evaluation gives. */
interface Evaluation {
  readonly value: unknown;
  readonly error: unknown;
}

/** The library's unpublished members this module relies on. */
interface EngineInstance {
  _context: { isReservedField(name: string): boolean };
  expandSingleObject(node: Record<string, unknown>): Record<string, unknown>;
  internalExpand(node: unknown): unknown;
  expand(context: { $root: unknown }): unknown;
}
interface EngineClass {
  internalTryEvaluateExpression(expression: Expression, context: unknown, allowSubstitutions: boolean): Evaluation;
  prototype: Partial<EngineInstance>;
}

const Engine = ACData.Template as unknown as EngineClass;

function libraryMember<T>(member: T | undefined): T {
  if (typeof member === 'function') return member;
  throw new Error(
    'adaptivecards-templating changed: Template.internalTryEvaluateExpression, expandSingleObject or internalExpand ' +
      'is gone, so card data cannot be escaped (see src/cards/escaping-template.ts)',
  );
}
const baseInternalExpand = libraryMember(Engine.prototype.internalExpand);
libraryMember(Engine.prototype.expandSingleObject);
libraryMember(Engine.internalTryEvaluateExpression);

const isExpression = (node: unknown): node is Expression =>
  typeof node === 'object' && node !== null && typeof (node as Expression).tryEvaluate === 'function';

/** A template parsed once, expanded any number of times with its data escaped for markdown. */
export class EscapingTemplate {
  private readonly engine: EngineInstance;
  /** Where the node being expanded sits (one entry per key being expanded). */
  private readonly slots: Slot[] = [];

  constructor(template: unknown) {
    const engine = new ACData.Template(template) as unknown as EngineInstance;
    this.engine = engine;
    engine.expandSingleObject = (node) => this.expandObject(node);
    engine.internalExpand = (node) => {
      const result = baseInternalExpand.call(engine, node);
      return isExpression(node) ? escapeData(result, this.slots.at(-1)) : result;
    };
  }

  /** The card for `data`; throws the library's error for a broken expression. */
  expand(data: unknown): Record<string, unknown> {
    this.slots.length = 0;
    return this.engine.expand({ $root: data }) as Record<string, unknown>;
  }

  /** The library's `expandSingleObject`, telling markdown keys apart. */
  private expandObject(node: Record<string, unknown>): Record<string, unknown> {
    const holder: Holder = {
      type: this.shape(node['type']),
      style: this.shape(node['style']),
      isMultiSelect: this.shape(node['isMultiSelect']),
    };
    const markdownKeys = markdownKeysOf(holder, this.slots.at(-1));
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(node)) {
      if (this.engine._context.isReservedField(key)) continue;
      this.slots.push(slotUnder(holder, key));
      try {
        const value = markdownKeys.includes(key)
          ? this.expandMarkdown(node[key])
          : this.engine.internalExpand(node[key]);
        if (value !== undefined) result[key] = value;
      } finally {
        this.slots.pop();
      }
    }
    return result;
  }

  /** A member that decides where markdown is (`type`, `style`...), evaluated when it is an expression. */
  private shape(node: unknown): unknown {
    if (!isExpression(node)) return node;
    const r = Engine.internalTryEvaluateExpression(node, this.engine._context, false);
    return r.error ? undefined : r.value;
  }

  /**
   * A markdown key's value: each expression's result escaped, the template's own text as it is.
   * An expression without a value keeps the library's own answer (its `${…}`, which the
   * registry reports as missing data), unescaped.
   */
  private expandMarkdown(node: unknown): unknown {
    if (!isExpression(node)) return this.engine.internalExpand(node);
    if (node.type !== 'concat') return this.evaluateEscaped(node, false);
    let text = '';
    for (const child of node.children) {
      text +=
        child.type === 'Constant'
          ? String(Engine.internalTryEvaluateExpression(child, this.engine._context, false).value ?? '')
          : this.evaluateEscaped(child, true);
    }
    return text;
  }

  private evaluateEscaped(expression: Expression, inText: boolean): unknown {
    const context = this.engine._context;
    const own = Engine.internalTryEvaluateExpression(expression, context, false);
    if (!own.error && own.value !== undefined && own.value !== null) {
      const value = own.value;
      if (isMarkdown(value)) return value.text;
      if (typeof value === 'string') return escapeCardMarkdown(value);
      return inText ? escapeCardMarkdown(String(value)) : escapeData(value, undefined);
    }
    // As the library does it: substitutions for missing data, `${…}` for an error inside text.
    const library = Engine.internalTryEvaluateExpression(expression, context, true);
    if (!library.error) return inText ? String(library.value) : library.value;
    if (inText) return `\${${expression.toString()}}`;
    throw new Error(String(library.error));
  }
}
