/**
 * The scheduler on a controllable clock (no real minutes waited) and real stores: a job due at
 * 09:30 runs at 09:30, once, also with two instances on one store and after a restart on the file
 * store; ticks missed while down follow the job's policy; a job that throws does not stop the next
 * tick; a late timer runs the latest due tick only.
 */
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPrometheusMetrics } from '../../../src/metrics/prometheus.js';
import type { BotMetrics, JobOutcome } from '../../../src/metrics/types.js';
import { Scheduler, type ScheduledJob } from '../../../src/schedule/scheduler.js';
import { FileStore, MemoryStore, type KeyValueStore } from '../../../src/store/index.js';
import { ManualClock } from '../../../src/testing/manual-clock.js';
import { capturedLog } from '../../e2e/support/captured-log.js';
import { waitUntil } from '../../scale/support/wait.js';

/** A job that records each tick it runs for (ISO), and a scheduler's metrics. */
function recorder(over: Partial<ScheduledJob> = {}) {
  const runs: string[] = [];
  const outcomes: Array<[string, JobOutcome]> = [];
  const job: ScheduledJob = {
    skill: 'team',
    name: 'prompt',
    cron: '30 9 * * *',
    timeZone: 'UTC',
    missed: 'skip',
    run: (tick) => void runs.push(tick.toISOString()),
    ...over,
  };
  const metrics = { jobRun: (_s: string, j: string, outcome: JobOutcome) => void outcomes.push([j, outcome]) };
  return { job, runs, outcomes, metrics };
}

function scheduler(store: KeyValueStore, clock: ManualClock, metrics: Pick<BotMetrics, 'jobRun'>) {
  const { log, lines } = capturedLog('debug');
  return { scheduler: new Scheduler({ store, clock, log, metrics }), lines };
}

const tempDir = (): string => mkdtempSync(path.join(tmpdir(), 'jobs-'));

describe('scheduler: jobs on a controllable clock', () => {
  it('a store that does not answer at start costs the look back for missed ticks, never the job', async () => {
    const clock = new ManualClock('2030-03-04T09:29:00Z');
    const { job, runs, metrics } = recorder();
    const store = new MemoryStore();
    const update = store.update.bind(store);
    let failures = 1;
    store.update = ((...args: Parameters<typeof update>) =>
      failures-- > 0 ? Promise.reject(new Error('ECONNRESET')) : update(...args)) as typeof store.update;
    const { scheduler: s, lines } = scheduler(store, clock, metrics);
    await s.start([job]);
    expect(lines.some((l) => l.level === 'error' && l.message.startsWith('could not look for ticks missed'))).to.equal(
      true,
    );
    clock.set('2030-03-04T09:30:00Z');
    await waitUntil('the 09:30 run', () => runs.length === 1);
    await s.stop();
  });

  it('a job due at 09:30 runs once at 09:30: not at 09:29:59, not twice, and waits for the next day', async () => {
    const clock = new ManualClock('2030-03-04T09:29:00Z');
    const { job, runs, outcomes, metrics } = recorder();
    const { scheduler: s } = scheduler(new MemoryStore(), clock, metrics);
    await s.start([job]);
    clock.set('2030-03-04T09:29:59.999Z');
    expect(runs).to.deep.equal([]);
    clock.set('2030-03-04T09:30:00Z');
    await waitUntil('the 09:30 run', () => runs.length === 1);
    expect(runs).to.deep.equal(['2030-03-04T09:30:00.000Z']);
    await waitUntil('its outcome is counted', () => outcomes.length === 1);
    expect(outcomes).to.deep.equal([['prompt', 'ok']]);
    clock.set('2030-03-04T23:59:00Z');
    expect(runs).to.have.length(1);
    expect(clock.pending).to.equal(1); // the next tick, 2030-03-05T09:30, is waited for
    await s.stop();
    expect(clock.pending).to.equal(0);
  });

  for (const [name, open] of [
    ['the memory store', async () => new MemoryStore()],
    ['the file store', async () => FileStore.open(tempDir())],
  ] as const) {
    it(`three instances on ${name}: each tick runs on exactly one of them`, async () => {
      const store = await open();
      const clock = new ManualClock('2030-03-04T09:29:00Z');
      const { job, runs, metrics } = recorder({ cron: '*/15 * * * *' });
      const instances = [0, 1, 2].map(() => scheduler(store, clock, metrics));
      for (const i of instances) await i.scheduler.start([job]);
      for (const tick of ['2030-03-04T09:30:00Z', '2030-03-04T09:45:00Z']) {
        clock.set(tick);
        // Each instance has settled the tick: one ran it, the two others saw it claimed.
        await waitUntil('every instance settled the tick', () =>
          instances.every((i) =>
            i.lines.some(
              (l) =>
                l['tick'] === new Date(tick).toISOString() &&
                (l.message === 'job done' || l.message === 'another instance runs this tick'),
            ),
          ),
        );
      }
      expect(runs).to.deep.equal(['2030-03-04T09:30:00.000Z', '2030-03-04T09:45:00.000Z']);
      for (const i of instances) await i.scheduler.stop();
      await store.close();
    });
  }

  it('after a restart on the file store, a tick that ran is not run again (even by a run-once job)', async () => {
    const dir = tempDir();
    let store = await FileStore.open(dir);
    const clock = new ManualClock('2030-03-04T09:29:00Z');
    const { job, runs, metrics } = recorder({ missed: 'run-once' });
    const first = scheduler(store, clock, metrics);
    await first.scheduler.start([job]);
    clock.set('2030-03-04T09:30:00Z');
    await waitUntil('the 09:30 run', () => runs.length === 1);
    await first.scheduler.stop();
    await store.close();
    // Started again a moment later; even with the record of the latest tick lost, the claim holds.
    store = await FileStore.open(dir);
    await store.delete('job-last:team:prompt');
    await store.set('job-last:team:prompt', Date.parse('2030-03-03T12:00:00Z'));
    clock.set('2030-03-04T09:30:01Z');
    const second = scheduler(store, clock, metrics);
    await second.scheduler.start([job]);
    await waitUntil('the restarted instance settled the missed tick', () =>
      second.lines.some((l) => l.message === 'another instance runs this tick'),
    );
    expect(runs).to.deep.equal(['2030-03-04T09:30:00.000Z']);
    await second.scheduler.stop();
    await store.close();
  });

  it('ticks missed while down: run-once runs once, for the latest; skip runs none and counts it', async () => {
    const store = new MemoryStore();
    // The bot last handled Monday's tick, then was down until Thursday noon.
    await store.set('job-last:team:once', Date.parse('2030-03-04T09:30:00Z'));
    await store.set('job-last:team:skipping', Date.parse('2030-03-04T09:30:00Z'));
    const clock = new ManualClock('2030-03-07T12:00:00Z');
    const once = recorder({ name: 'once', missed: 'run-once' });
    const skipping = recorder({ name: 'skipping', missed: 'skip' });
    const { scheduler: s } = scheduler(store, clock, {
      jobRun: (skill, j, outcome) => once.metrics.jobRun(skill, j, outcome),
    });
    await s.start([once.job, skipping.job]);
    await waitUntil('the run-once job ran', () => once.runs.length === 1);
    expect(once.runs).to.deep.equal(['2030-03-07T09:30:00.000Z']);
    expect(skipping.runs).to.deep.equal([]);
    await waitUntil('both outcomes counted', () => once.outcomes.length === 2);
    expect(once.outcomes).to.have.deep.members([
      ['once', 'ok'],
      ['skipping', 'missed'],
    ]);
    expect(await store.get('job-last:team:skipping')).to.equal(Date.parse('2030-03-07T09:30:00Z'));
    await s.stop();
  });

  it('the first start of a job counts nothing as missed', async () => {
    const clock = new ManualClock('2030-03-04T12:00:00Z');
    const { job, runs, metrics } = recorder({ missed: 'run-once' });
    const store = new MemoryStore();
    const { scheduler: s } = scheduler(store, clock, metrics);
    await s.start([job]);
    expect(await store.get('job-last:team:prompt')).to.equal(Date.parse('2030-03-04T12:00:00Z'));
    expect(runs).to.deep.equal([]);
    await s.stop();
  });

  it('a job that throws is logged and counted, and its next tick runs', async () => {
    const clock = new ManualClock('2030-03-04T09:29:00Z');
    let calls = 0;
    const { job, outcomes, metrics } = recorder({
      cron: '* * * * *',
      run: () => {
        calls += 1;
        if (calls === 1) throw new Error('the first run breaks');
      },
    });
    const { scheduler: s, lines } = scheduler(new MemoryStore(), clock, metrics);
    await s.start([job]);
    clock.set('2030-03-04T09:30:00Z');
    await waitUntil('the failure is counted', () => outcomes.length === 1);
    expect(outcomes).to.deep.equal([['prompt', 'failed']]);
    const failed = lines.find((l) => l.message === 'job failed (its next tick runs as usual)')!;
    expect(failed).to.include({ level: 'error', skill: 'team', job: 'prompt', tick: '2030-03-04T09:30:00.000Z' });
    clock.set('2030-03-04T09:31:00Z');
    await waitUntil('the next tick ran', () => outcomes.length === 2);
    expect(outcomes[1]).to.deep.equal(['prompt', 'ok']);
    await s.stop();
  });

  it('a timer that fires late (the machine slept) runs the latest due tick only', async () => {
    const clock = new ManualClock('2030-03-04T09:29:30Z');
    const { job, runs, metrics } = recorder({ cron: '* * * * *' });
    const { scheduler: s } = scheduler(new MemoryStore(), clock, metrics);
    await s.start([job]);
    clock.set('2030-03-04T09:35:10Z');
    await waitUntil('a run', () => runs.length === 1);
    expect(runs).to.deep.equal(['2030-03-04T09:35:00.000Z']);
    expect(clock.pending).to.equal(1);
    await s.stop();
  });

  it('a job still running at its next tick skips that tick, saying so', async () => {
    const clock = new ManualClock('2030-03-04T09:29:30Z');
    let release = (): void => undefined;
    let started = false;
    const { job, outcomes, metrics } = recorder({
      cron: '* * * * *',
      run: () =>
        new Promise<void>((resolve) => {
          started = true;
          release = resolve;
        }),
    });
    const { scheduler: s } = scheduler(new MemoryStore(), clock, metrics);
    await s.start([job]);
    clock.set('2030-03-04T09:30:00Z');
    await waitUntil('the first run started', () => started);
    clock.set('2030-03-04T09:31:00Z');
    await waitUntil('the overlap is counted', () => outcomes.length === 1);
    expect(outcomes).to.deep.equal([['prompt', 'overlap']]);
    release();
    await waitUntil('the first run is done', () => outcomes.length === 2);
    await s.stop();
  });

  it('counts runs and failures per job in /metrics', async () => {
    const metrics = createPrometheusMetrics();
    metrics.jobRun('standup', 'prompt', 'ok', 0.2);
    metrics.jobRun('standup', 'prompt', 'failed', 0.1);
    metrics.jobRun('remind', 'deliver', 'ok', 0.01);
    const text = await metrics.render();
    expect(text)
      .to.include('webex_bot_job_runs_total{skill="standup",job="prompt",outcome="ok"} 1')
      .and.include('webex_bot_job_runs_total{skill="standup",job="prompt",outcome="failed"} 1')
      .and.include('webex_bot_job_runs_total{skill="remind",job="deliver",outcome="ok"} 1')
      .and.include('webex_bot_job_duration_seconds_count{skill="standup",job="prompt"} 2');
  });
});
