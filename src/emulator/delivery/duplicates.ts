/**
 * Which deliveries get a twin (the `duplicates` delivery option), and how the twin is sent.
 */
import { seededRandom } from './random.js';
import type { DuplicateSettings } from './settings.js';

/** How one twin is sent. */
export interface TwinPlan {
  /** At the same moment as the original; otherwise `delayMs` after the original delivery ended. */
  concurrent: boolean;
  delayMs: number;
}

/** Decides, delivery by delivery, whether a twin is sent; reproducible when seeded. */
export class DuplicatePlanner {
  private readonly random: () => number;

  constructor(private readonly settings: DuplicateSettings) {
    this.random = settings.seed !== undefined ? seededRandom(settings.seed) : Math.random;
  }

  /**
   * The plan for the next delivery's twin, or undefined for none. Two numbers are drawn every
   * time, so that changing `concurrent` does not change which deliveries get twins.
   */
  next(): TwinPlan | undefined {
    const twin = this.random() < this.settings.rate;
    const concurrent = this.random() < this.settings.concurrentProbability;
    return twin ? { concurrent, delayMs: concurrent ? 0 : this.settings.delayMs } : undefined;
  }
}
