/**
 * The `regex` of an `Input.Text`, compiled for checking submitted values on the bot.
 *
 * The pattern comes from the card, and for a pasted card (or a card built from user data) the
 * person who wrote it chose it. JavaScript's own `RegExp` backtracks: `^(a+)+$` against 33
 * characters held the event loop for 110 s, and every character more doubles it. So patterns
 * from cards never run on `RegExp`: they are compiled with `re2js`, a JavaScript port of Google's
 * RE2, which matches in time linear in the value's length whatever the pattern (its automaton
 * never backtracks). What RE2 cannot do in linear time — backreferences (`\1`) and lookaround
 * (`(?=…)`, `(?<=…)`) — it refuses, and so does the card check, at load and at paste, with the
 * reason. The value is also capped in length before it is matched ({@link MAX_CHECKED_LENGTH}).
 *
 * Why a linear-time engine rather than a safety check on `RegExp` or a time budget off the main
 * thread: a "dangerous pattern" detector has false negatives (star height is not the only way to
 * blow up), and a worker with a timeout still spends a core per attack for the whole budget and
 * needs a pool; RE2 makes the cost of every check bounded by construction. Webex's own examples
 * (`\p{L}` classes, anchors, counted repetition) compile unchanged. Like the Adaptive Cards
 * renderer, the pattern is not anchored: write `^…$` to match the whole value.
 */
import { RE2JS } from 're2js';

/** Values longer than this are not matched against a pattern (they are refused as too long). */
export const MAX_CHECKED_LENGTH = 10_000;

/** A compiled input pattern. */
export interface InputPattern {
  /** Whether the pattern is found in `value` (linear in `value.length`). */
  test(value: string): boolean;
}

/** Why a pattern cannot be used, in words for the card's author. */
function reasonOf(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (/\\[1-9]/.test(message) || /Perl syntax: `\(\?[=!]/.test(message) || /named capture: `\(\?<[=!]/.test(message)) {
    return `${message}; backreferences and lookaround are not supported (patterns are matched in linear time, with RE2's syntax)`;
  }
  return message;
}

/** The compiled pattern, or an `Error` saying why it cannot be compiled. */
export function compileInputRegex(source: string): InputPattern | Error {
  try {
    return RE2JS.compile(source);
  } catch (err) {
    return new Error(reasonOf(err));
  }
}
