/**
 * Readiness: whether the bot can take events now. Several conditions each say yes or no (start-up
 * finished, the token accepted, not draining...); the bot is ready when all say yes, and
 * `/readyz` lists the ones that do not. Liveness (`/healthz`) is separate: a bot that is alive but
 * not ready must not be restarted for it.
 */

/** One condition that is not met, with why. */
export interface ReadinessProblem {
  readonly condition: string;
  readonly reason: string;
}

/** The readiness of one bot process. */
export class Readiness {
  private readonly problems = new Map<string, string>();

  /**
   * @param initially conditions that start unmet, e.g. `{ started: 'starting up' }`
   * @param onChange told whenever the set of unmet conditions changes
   */
  constructor(
    initially: Readonly<Record<string, string>> = {},
    private readonly onChange: (problems: readonly ReadinessProblem[]) => void = () => undefined,
  ) {
    for (const [condition, reason] of Object.entries(initially)) this.problems.set(condition, reason);
  }

  /** Marks `condition` met. */
  pass(condition: string): void {
    if (this.problems.delete(condition)) this.onChange(this.unmet);
  }

  /** Marks `condition` unmet, saying why. */
  fail(condition: string, reason: string): void {
    if (this.problems.get(condition) === reason) return;
    this.problems.set(condition, reason);
    this.onChange(this.unmet);
  }

  /** True when every condition is met. */
  get ready(): boolean {
    return this.problems.size === 0;
  }

  /** Whether `condition` is unmet. */
  isUnmet(condition: string): boolean {
    return this.problems.has(condition);
  }

  /** The conditions not met, with why. */
  get unmet(): ReadinessProblem[] {
    return [...this.problems].map(([condition, reason]) => ({ condition, reason }));
  }
}
