/**
 * Checking a skill's `jobs` when it is loaded: a bad cron expression or time zone stops start-up
 * with a message naming the skill, the job and the expression.
 */
import { isRecord } from '../util/is-record.js';
import { isTimeZone, schedule } from './cron.js';

const JOB_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * The problem with `jobs` of skill `skill`, or `undefined` when they are fine.
 * @example checkJobs('standup', [{ name: 'prompt', cron: '61 9 * * *', missed: 'skip', run }])
 * // 'skill "standup", job "prompt": the cron expression "61 9 * * *" is not valid (CronPattern: Invalid value for minute: 61)'
 */
export function checkJobs(skill: string, jobs: unknown): string | undefined {
  if (jobs === undefined) return undefined;
  if (!Array.isArray(jobs)) return '"jobs" must be a list of { name, cron, missed, run }';
  const names = new Set<string>();
  for (const [i, job] of jobs.entries()) {
    if (!isRecord(job)) return `jobs[${i}] must be an object { name, cron, missed, run }`;
    const { name, cron, timeZone, missed, run } = job;
    if (typeof name !== 'string' || !JOB_NAME.test(name))
      return `jobs[${i}]: "name" must be lower-case words joined by dashes (got ${JSON.stringify(name)})`;
    const where = `skill "${skill}", job "${name}"`;
    if (names.has(name)) return `${where}: another job of the skill has that name`;
    names.add(name);
    if (typeof run !== 'function') return `${where}: "run" must be a function`;
    if (missed !== 'run-once' && missed !== 'skip')
      return `${where}: "missed" must be 'run-once' or 'skip' (what to do about ticks that passed while the bot was down)`;
    if (timeZone !== undefined && (typeof timeZone !== 'string' || !isTimeZone(timeZone)))
      return `${where}: the time zone ${JSON.stringify(timeZone)} is not an IANA time zone such as Europe/Paris`;
    if (typeof cron !== 'string') return `${where}: "cron" must be a cron expression such as '30 9 * * 1-5'`;
    try {
      schedule(cron, typeof timeZone === 'string' ? timeZone : 'UTC');
    } catch (err) {
      return `${where}: the cron expression ${JSON.stringify(cron)} is not valid (${(err as Error).message})`;
    }
  }
  return undefined;
}
