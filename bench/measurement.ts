/**
 * What a benchmark measurement is: a named run that produces one figure, compared with a
 * baseline and a goal. `bench/run.ts` runs the registered ones (`bench/measurements/index.ts`)
 * one after the other and writes `bench/results.json` and `bench/RESULTS.md`.
 *
 * A measurement loads only servers it starts itself on 127.0.0.1, bounds its own loops, stops
 * everything it started (also when `signal` aborts), and finishes within `budgetMs`.
 */

/** A number with its unit and what it is. */
export interface Figure {
  readonly value: number;
  readonly unit: string;
  /** e.g. "3 instances". */
  readonly label: string;
}

/**
 * The goal: on the ratio `figure / baseline`, or on the figure itself (in its unit), or both;
 * every bound given must hold.
 */
export interface Goal {
  /** Met when the ratio is at least this (higher is better)... */
  readonly ratioAtLeast?: number;
  /** ...or at most this (lower is better). */
  readonly ratioAtMost?: number;
  /** Met when the figure is at least this... */
  readonly valueAtLeast?: number;
  /** ...or at most this (e.g. MB, ms). */
  readonly valueAtMost?: number;
  /** The goal in words, with the reason for its number. */
  readonly description: string;
}

/** What one run of a measurement found (one row of the results; a measurement may give several). */
export interface MeasurementResult {
  /** The row's title when a measurement gives several figures (default: the measurement's title). */
  readonly title?: string;
  readonly figure: Figure;
  readonly baseline: Figure;
  readonly goal: Goal;
  /** Why the goal was met or missed (what limited the figure). */
  readonly why: string;
  /** Anything else worth keeping: every round's figure, settings. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Given to a running measurement. */
export interface MeasurementContext {
  /** A progress line, printed as it runs. */
  log(line: string): void;
  /** Aborted when the budget is spent: stop and clean up. */
  readonly signal: AbortSignal;
}

/** One registered measurement. */
export interface Measurement {
  /** Short id, used on the command line (`npm run bench -- scale-out`). */
  readonly name: string;
  readonly title: string;
  /** Longest it may take; the runner aborts it then. */
  readonly budgetMs: number;
  run(context: MeasurementContext): Promise<MeasurementResult | readonly MeasurementResult[]>;
}
