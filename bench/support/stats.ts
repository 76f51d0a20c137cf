/**
 * Percentiles of a benchmark's samples (latencies), by the nearest-rank method.
 */

/**
 * The `q`-th percentile (0 < q ≤ 100) of `xs` by nearest rank: the smallest sample with at least
 * q% of the samples at or below it. NaN for no samples.
 * @example percentile([5, 1, 3, 2, 4], 50) // → 3
 */
export function percentile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((q / 100) * sorted.length) - 1))]!;
}
