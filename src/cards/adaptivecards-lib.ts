/**
 * Microsoft's `adaptivecards` object model, loaded once for the whole process, with a workaround
 * for a flaw of the library applied.
 *
 * The flaw: a property definition may carry a pattern its values must match, and the library
 * checks a value with `pattern.exec(value)`. The pattern of `lang` (`CardElement.langProperty`,
 * `/^[a-z]{2,3}$/gi`) has the `g` flag, so `exec` starts where the last match ended
 * (`lastIndex`): a card with `"lang": "en"` passes, the same card fails the next time
 * (`Invalid value "en" for property "lang"`), passes the time after, and so on. The pattern is
 * shared by every card the process parses. The workaround gives each such property a copy of its
 * pattern without the `g` (and `y`) flag: a match then depends on the value only.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A property definition of the object model: a static member such as `CardElement.langProperty`. */
interface PropertyDefinition {
  name: string;
  regEx?: RegExp;
}

/** A problem the library found, and the element or action it is about (when it says). */
export interface ValidationEvent {
  message: string;
  source?: { id?: string; getJsonTypeName?(): string };
}

/** The members of the library the bot uses (its own typings point at sources that do not compile here). */
export interface AdaptiveCardsModule {
  AdaptiveCard: new () => {
    parse(json: unknown, context: unknown): void;
    validateProperties(): { validationEvents: ValidationEvent[] };
  };
  SerializationContext: new (targetVersion: unknown) => { eventCount: number; getEventAt(i: number): ValidationEvent };
  Versions: { v1_3: unknown };
  CardElement: { langProperty?: PropertyDefinition };
}

/** The property definitions of the library's exported classes that check values with a pattern. */
export function patternProperties(ac: object): Array<{ where: string; property: PropertyDefinition }> {
  const found: Array<{ where: string; property: PropertyDefinition }> = [];
  for (const [className, value] of Object.entries(ac)) {
    if (typeof value !== 'function') continue;
    for (const member of Object.getOwnPropertyNames(value)) {
      // Data members only: some static accessors throw (e.g. the removed `processMarkdown`).
      const property: unknown = Object.getOwnPropertyDescriptor(value, member)?.value;
      if (typeof property === 'object' && property !== null && (property as PropertyDefinition).regEx instanceof RegExp)
        found.push({ where: `${className}.${member}`, property: property as PropertyDefinition });
    }
  }
  return found;
}

/**
 * Replaces every stateful pattern (`g` or `y` flag) of the library's property definitions with a
 * stateless copy; returns where it did (e.g. `['CardElement.langProperty']`).
 */
export function makePatternsStateless(ac: object): string[] {
  const fixed: string[] = [];
  for (const { where, property } of patternProperties(ac)) {
    const re = property.regEx!;
    if (!re.global && !re.sticky) continue;
    property.regEx = new RegExp(re.source, re.flags.replace(/[gy]/g, ''));
    fixed.push(where);
  }
  return fixed;
}

// The package's `lib/` is ESM with extension-less imports Node cannot resolve; its UMD bundle works.
// The minified one: the same build, 0.3 MB instead of 2.8 MB with a 1.8 MB source map inlined,
// which every bot process held in memory (about 8 MB of RSS less; measured in `bench/`).
const AC = require('adaptivecards/dist/adaptivecards.min.js') as AdaptiveCardsModule;

/** Where the workaround applied when the library was loaded (the tests check it still finds `lang`). */
export const statelessPatternsApplied: readonly string[] = makePatternsStateless(AC);

export { AC };
