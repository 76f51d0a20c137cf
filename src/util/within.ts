/** Waiting for a promise at most so long, without a rejection: for drains and stops that give up quietly. */

/**
 * Resolves with `promise`'s value, or with `undefined` once `ms` have passed (the timer is
 * cleared either way). A rejection of `promise` passes through.
 */
export function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
