/**
 * The `regex` of an `Input.Text`, compiled the way clients read it. Webex's own examples use
 * Unicode classes such as `\p{L}`, which JavaScript understands only with the `u` flag; a
 * pattern that is invalid under `u` (some legacy escapes) is compiled without it. Like the
 * Adaptive Cards renderer, the pattern is not anchored: write `^…$` to match the whole value.
 */

/** The compiled pattern, or the reason it does not compile. */
export function compileInputRegex(source: string): RegExp | Error {
  try {
    return new RegExp(source, 'u');
  } catch {
    try {
      return new RegExp(source);
    } catch (err) {
      return err as Error;
    }
  }
}
