/**
 * Checking, when a skill is loaded, what it declares about time and conversation: jobs, answer
 * handlers, confirmations and permissions. Each problem names where it is.
 */
import { checkGuard } from '../policy/roles.js';
import { checkJobs } from '../schedule/check-jobs.js';
import type { Guarded } from '../skill-kit/types.js';
import { isRecord } from '../util/is-record.js';

/** The problem with a command's `confirm`, `roles` or `allow`, or `undefined`. */
export function checkCommandExtras(command: Record<string, unknown>): string | undefined {
  if (command['confirm'] !== undefined && typeof command['confirm'] !== 'function')
    return '"confirm" must be a function returning what the command will do';
  return checkGuard(command as Guarded);
}

/** The problem with a skill's `jobs`, `answers`, `roles` or `allow`, or `undefined`. */
export function checkSkillExtras(skill: Record<string, unknown>, name: string): string | undefined {
  const answers = skill['answers'];
  if (answers !== undefined) {
    if (!isRecord(answers)) return '"answers" must map answer names to handler functions';
    for (const [key, handler] of Object.entries(answers))
      if (typeof handler !== 'function') return `answers["${key}"] must be a function`;
  }
  return checkJobs(name, skill['jobs']) ?? checkGuard(skill as Guarded);
}

/** True when the skill declares jobs (a skill with jobs only can run). */
export function hasJobs(skill: Record<string, unknown>): boolean {
  return Array.isArray(skill['jobs']) && skill['jobs'].length > 0;
}
