/**
 * The skills' jobs as the scheduler runs them: each with the context a handler has, less a
 * triggering message — the skill's state (any space's or person's too), `send`, a log tagged
 * with the skill and job, the bot's clock and time zone, and any space's members. Its messages go through the bot's
 * outbox, as replies do.
 */
import type { CardRegistry } from '../cards/card-registry.js';
import type { Logger } from '../logging.js';
import type { Clock } from '../schedule/clock.js';
import type { ScheduledJob } from '../schedule/scheduler.js';
import { createJobState } from '../skill-kit/state.js';
import type { JobContext } from '../skill-kit/types.js';
import type { KeyValueStore } from '../store/types.js';
import type { Outbox } from './inbound.js';
import { listMembers, type MemberPages } from './members.js';
import { createSend } from './send.js';
import type { LoadedSkill } from './skill-loader.js';
import { NotConnectedError } from '../errors.js';

/** What jobs run with. */
export interface JobDeps {
  readonly skills: readonly LoadedSkill[];
  readonly cards: CardRegistry;
  readonly store: KeyValueStore;
  /** The bot's outbox for a run's messages (their log lines carry the run's fields). */
  readonly outboxFor: (log: Logger) => Outbox;
  readonly clock: Clock;
  /** The bot's `TIME_ZONE`: jobs that name no time zone tick in it. */
  readonly timeZone: string;
  readonly log: Logger;
  /** A space's members, a page at a time (absent: listing rejects, saying why). */
  readonly memberPages?: MemberPages | undefined;
}

/** `members(spaceId)` of a job's context. */
function membersOf(pages: MemberPages | undefined): JobContext['members'] {
  return (spaceId, options) => {
    if (!pages) throw new NotConnectedError('members() of a job');
    return listMembers(pages, spaceId, options);
  };
}

/** Every job of `deps.skills`, ready for the scheduler. */
export function scheduledJobs(deps: JobDeps): ScheduledJob[] {
  return deps.skills.flatMap((loaded) =>
    (loaded.skill.jobs ?? []).map((job): ScheduledJob => {
      const skill = loaded.info.name;
      return {
        skill,
        name: job.name,
        cron: job.cron,
        timeZone: job.timeZone ?? deps.timeZone,
        missed: job.missed,
        run(tick) {
          const log = deps.log.child({ skill, job: job.name, tick: tick.toISOString() });
          const context: JobContext = {
            tick: { skill, job: job.name, at: tick },
            state: createJobState(deps.store, skill),
            send: createSend(deps.outboxFor(log), deps.cards, log),
            log,
            now: () => new Date(deps.clock.now()),
            timeZone: deps.timeZone,
            skills: deps.skills.map((s) => s.info),
            members: membersOf(deps.memberPages),
          };
          return job.run(context);
        },
      };
    }),
  );
}
