/**
 * What the stores share for {@link KeyValueStore.update}: calling the caller's function and
 * checking what it gives back.
 */

/**
 * `fn(current)`, refusing a promise (an `async` function cannot be part of an atomic update).
 * @throws {TypeError} when `fn` returns a promise; whatever `fn` throws.
 */
export function nextValue<T>(key: string, fn: (current: T | undefined) => T | undefined, current: T | undefined) {
  if (typeof fn !== 'function') throw new TypeError(`update of "${key}": pass a function of the current value`);
  const next = fn(current);
  if (typeof (next as { then?: unknown } | undefined)?.then === 'function')
    throw new TypeError(
      `update of "${key}": the function returned a promise; it must be synchronous (read what it needs first)`,
    );
  return next;
}
