/** Jobs are checked when skills load: a bad cron expression stops start-up, naming the skill, the job and the expression. */
import { expect } from 'chai';
import path from 'node:path';
import { checkJobs } from '../../../src/schedule/check-jobs.js';
import { loadSkills } from '../../../src/routing/skill-loader.js';
import { startTestBot } from '../../../src/testing/test-bot.js';
import { isBotError } from '../../../src/errors.js';

const run = () => undefined;
const fixtures = path.resolve('test/fixtures/skills');

describe('jobs: checked when skills load', () => {
  it('accepts good jobs (5 or 6 fields, a time zone, either missed policy)', () => {
    expect(
      checkJobs('team', [
        { name: 'prompt', cron: '30 9 * * 1-5', timeZone: 'Europe/Paris', missed: 'skip', run },
        { name: 'every-ten-seconds', cron: '*/10 * * * * *', missed: 'run-once', run },
      ]),
    ).to.equal(undefined);
  });

  it('names the skill, the job and the expression of a bad cron expression', () => {
    expect(checkJobs('standup', [{ name: 'prompt', cron: '61 9 * * *', missed: 'skip', run }]))
      .to.include('skill "standup", job "prompt"')
      .and.include('the cron expression "61 9 * * *" is not valid')
      .and.include('minute');
    expect(checkJobs('standup', [{ name: 'prompt', cron: 'every morning', missed: 'skip', run }])).to.include(
      '"every morning" is not valid',
    );
  });

  it('refuses an unknown time zone, a missing policy, a missing run, a duplicate name', () => {
    expect(
      checkJobs('s', [{ name: 'a', cron: '* * * * *', timeZone: 'Mars/Olympus', missed: 'skip', run }]),
    ).to.include('"Mars/Olympus" is not an IANA time zone');
    expect(checkJobs('s', [{ name: 'a', cron: '* * * * *', run }])).to.include(
      "\"missed\" must be 'run-once' or 'skip'",
    );
    expect(checkJobs('s', [{ name: 'a', cron: '* * * * *', missed: 'skip' }])).to.include('"run" must be a function');
    expect(
      checkJobs('s', [
        { name: 'a', cron: '* * * * *', missed: 'skip', run },
        { name: 'a', cron: '* * * * *', missed: 'skip', run },
      ]),
    ).to.include('another job of the skill has that name');
    expect(checkJobs('s', 'nightly')).to.include('"jobs" must be a list');
  });

  it('a skill with a bad cron expression stops the bot from starting, naming the file, skill and expression', async () => {
    let failure: unknown;
    try {
      await loadSkills(path.join(fixtures, 'bad-cron'));
    } catch (err) {
      failure = err;
    }
    expect(isBotError(failure, 'SKILL_LOAD_FAILED')).to.equal(true);
    expect((failure as Error).message)
      .to.include('nightly.ts')
      .and.include('skill "nightly", job "clean-up"')
      .and.include('"61 2 * * *"');
    failure = undefined;
    try {
      const t = await startTestBot({ skillsDir: path.join(fixtures, 'bad-cron') });
      await t.stop();
    } catch (err) {
      failure = err;
    }
    expect((failure as Error | undefined)?.message).to.include('the cron expression "61 2 * * *" is not valid');
  });
});
