/** /metrics of a running bot counts the runs of each scheduled job (on a controllable clock). */
import { expect } from 'chai';
import { ManualClock } from '../../src/testing/manual-clock.js';
import { startTestBot } from '../../src/testing/test-bot.js';
import { waitUntil } from '../scale/support/wait.js';

describe('metrics: scheduled jobs', () => {
  it('counts each job run with its skill, job and outcome', async () => {
    const clock = new ManualClock('2030-03-04T09:29:00Z');
    const t = await startTestBot({ config: { metrics: {} }, tuning: { clock } });
    const metrics = async () => (await fetch(t.bot.metricsUrl!)).text();
    try {
      await t.group.say('standup here');
      clock.set('2030-03-04T09:30:00Z');
      await waitUntil('the prompt run is counted', async () =>
        (await metrics()).includes('webex_bot_job_runs_total{skill="standup",job="prompt",outcome="ok"} 1'),
      );
      clock.set('2030-03-04T09:31:00Z');
      await waitUntil('the remind job is counted too', async () =>
        (await metrics()).includes('webex_bot_job_runs_total{skill="remind",job="deliver",outcome="ok"}'),
      );
      expect(await metrics()).to.include('webex_bot_job_duration_seconds_count{skill="standup",job="prompt"} 1');
    } finally {
      await t.stop();
    }
  });
});
