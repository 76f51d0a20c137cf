/**
 * The scheduler: runs the skills' jobs on their cron ticks, on the bot's clock.
 *
 * - **Once per tick, across instances.** Each tick is claimed in the shared state store under
 *   `job:<skill>:<job>:<tick ISO>` (an atomic claim: Redis with `REDIS_URL`, else the file store
 *   in `STATE_DIR`), and only the instance that wins it runs the job. The claim outlives the tick,
 *   so a restart does not run it again.
 * - **Missed ticks.** The latest tick handled is kept under `job-last:<skill>:<job>`. At start,
 *   a tick after it that already passed was missed while no instance ran: a `run-once` job runs
 *   once for the latest such tick (claimed as that tick, so never twice); a `skip` job leaves them.
 *   A timer that fires late (the machine slept, the clock was moved) runs the latest due tick only.
 * - **Failures stay in their run.** A job that throws is logged and counted; its next tick runs
 *   as usual. A job still running at its next tick on this instance skips that tick (logged).
 *
 * It knows nothing of skills or Webex: each job comes with its `run(tick)`.
 */
import type { Logger } from '../logging.js';
import type { BotMetrics } from '../metrics/types.js';
import type { KeyValueStore } from '../store/types.js';
import type { Clock } from './clock.js';
import { schedule, type Schedule } from './cron.js';

/** A job as the scheduler runs it. */
export interface ScheduledJob {
  readonly skill: string;
  readonly name: string;
  readonly cron: string;
  readonly timeZone: string;
  readonly missed: 'run-once' | 'skip';
  run(tick: Date): unknown;
}

/** What the scheduler needs. */
export interface SchedulerDeps {
  /** The shared state store: tick claims and the latest tick of each job. */
  readonly store: KeyValueStore;
  readonly clock: Clock;
  readonly log: Logger;
  readonly metrics: Pick<BotMetrics, 'jobRun'>;
}

/** A claim lasts at least this long, and at least two of the job's intervals. */
const MIN_CLAIM_MS = 3600_000;

/** One job, armed. */
class ArmedJob {
  private readonly schedule: Schedule;
  private cancel: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly job: ScheduledJob,
    private readonly deps: SchedulerDeps,
  ) {
    this.schedule = schedule(job.cron, job.timeZone);
  }

  private get lastKey(): string {
    return `job-last:${this.job.skill}:${this.job.name}`;
  }

  /**
   * Handles ticks missed while no instance ran, then waits for the next tick. A store that does
   * not answer loses the look back, never the job: it is scheduled all the same.
   */
  async start(): Promise<void> {
    const now = this.deps.clock.now();
    try {
      await this.catchUp(now);
    } catch (err) {
      this.deps.log.error('could not look for ticks missed while the bot was down: the job is scheduled anyway', {
        ...this.fields(now),
        err,
      });
    }
    this.arm(now);
  }

  private async catchUp(now: number): Promise<void> {
    const { store, log } = this.deps;
    // The first start of a job: nothing was missed; from now on ticks count.
    const last = await store.update<number>(this.lastKey, (v) => (typeof v === 'number' ? v : now));
    const previous = this.schedule.previous(now);
    if (previous !== undefined && last !== undefined && previous > last) {
      if (this.job.missed === 'run-once') {
        log.info('a tick passed while the bot was down: running the job once for it', this.fields(previous));
        void this.tick(previous);
      } else {
        log.info('ticks passed while the bot was down: skipped, as the job says (missed: skip)', this.fields(previous));
        this.deps.metrics.jobRun(this.job.skill, this.job.name, 'missed', 0);
        await this.noteHandled(previous);
      }
    }
  }

  /** Stops waiting; resolves once a run in progress ends. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancel?.();
    await this.running;
  }

  private arm(after: number): void {
    if (this.stopped) return;
    const next = this.schedule.next(after);
    if (next === undefined) return;
    this.cancel = this.deps.clock.at(next, () => {
      // Late (a sleep, a clock moved forward): only the latest due tick runs.
      const now = this.deps.clock.now();
      const due = Math.max(next, this.schedule.previous(now) ?? next);
      this.arm(Math.max(now, due));
      void this.tick(due);
    });
  }

  /** Claims tick `at` and, if this instance won it, runs the job. Never rejects. */
  private async tick(at: number): Promise<void> {
    const { job, deps } = this;
    if (this.running) {
      deps.log.warn('a job is still running at its next tick: this tick is skipped', this.fields(at));
      deps.metrics.jobRun(job.skill, job.name, 'overlap', 0);
      return;
    }
    let won: boolean;
    try {
      won = await deps.store.claim(`job:${job.skill}:${job.name}:${new Date(at).toISOString()}`, deps.clock.now(), {
        ttlMs: this.claimMs(at),
      });
      await this.noteHandled(at);
    } catch (err) {
      deps.log.error('a job tick was not run: the state store did not answer', { ...this.fields(at), err });
      deps.metrics.jobRun(job.skill, job.name, 'failed', 0);
      return;
    }
    if (!won) {
      deps.log.debug('another instance runs this tick', this.fields(at));
      return;
    }
    this.running = this.run(at).finally(() => {
      this.running = undefined;
    });
    await this.running;
  }

  private async run(at: number): Promise<void> {
    const { job, deps } = this;
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    deps.log.info('job started', this.fields(at));
    try {
      await job.run(new Date(at));
      deps.log.info('job done', { ...this.fields(at), ms: Math.round(seconds() * 1000) });
      deps.metrics.jobRun(job.skill, job.name, 'ok', seconds());
    } catch (err) {
      deps.log.error('job failed (its next tick runs as usual)', { ...this.fields(at), err });
      deps.metrics.jobRun(job.skill, job.name, 'failed', seconds());
    }
  }

  private async noteHandled(at: number): Promise<void> {
    await this.deps.store.update<number>(this.lastKey, (v) => Math.max(typeof v === 'number' ? v : 0, at));
  }

  /** How long tick `at`'s claim is kept: two intervals of the job, at least an hour. */
  private claimMs(at: number): number {
    const next = this.schedule.next(at);
    return Math.max(MIN_CLAIM_MS, next === undefined ? 0 : 2 * (next - at));
  }

  private fields(at: number): Record<string, unknown> {
    return { skill: this.job.skill, job: this.job.name, tick: new Date(at).toISOString() };
  }
}

/**
 * Runs `jobs` on their ticks (see the file's comment).
 * @example
 * const scheduler = new Scheduler({ store, clock: systemClock, log, metrics });
 * await scheduler.start([{ skill: 'standup', name: 'prompt', cron: '30 9 * * 1-5', timeZone: 'UTC', missed: 'skip', run }]);
 */
export class Scheduler {
  private armed: ArmedJob[] = [];

  constructor(private readonly deps: SchedulerDeps) {}

  /** Starts `jobs` (stopping those started before: a reload of skills). */
  async start(jobs: readonly ScheduledJob[]): Promise<void> {
    await this.stop();
    this.armed = jobs.map((job) => new ArmedJob(job, this.deps));
    await Promise.all(this.armed.map((job) => job.start()));
    if (jobs.length > 0) this.deps.log.info('jobs scheduled', { jobs: jobs.map((j) => `${j.skill}/${j.name}`) });
  }

  /** Stops every job; resolves once the runs in progress end. */
  async stop(): Promise<void> {
    const armed = this.armed;
    this.armed = [];
    await Promise.all(armed.map((job) => job.stop()));
  }
}
