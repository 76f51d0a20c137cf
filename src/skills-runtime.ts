/**
 * What runs the skills, for `bot.ts` to compose: the dispatcher with roles, the clock and the
 * assistant; the skills' scheduled jobs; the sender behind `POST /notify`. Made before Webex is
 * connected; the dispatcher and the jobs get what they need of Webex once it is.
 */
import {
  ASSISTANT_SKILL,
  type Assistant,
  assistantSettingsFor,
  forgetSkill,
  policyMayRun,
  policyRefusal,
  setUpAssistant,
} from './assistant/index.js';
import type { BotSettings } from './bot-settings.js';
import type { Logger } from './logging.js';
import type { BotMetricsSetup } from './metrics/setup.js';
import { notifySender, type NotifySender } from './notify/sender.js';
import type { BotOutbox } from './outbound/outbox.js';
import { RolePolicy } from './policy/roles.js';
import type { AssistantMaker, SkillServices } from './routing/dispatch-core.js';
import { createDispatcher } from './routing/dispatcher.js';
import { scheduledJobs } from './routing/job-context.js';
import type { SkillsAndCards } from './routing/load-skills-and-cards.js';
import type { LoadedSkill } from './routing/skill-loader.js';
import { systemClock } from './schedule/clock.js';
import { Scheduler } from './schedule/scheduler.js';
import type { KeyValueStore } from './store/types.js';
import type { CleanupStack } from './util/cleanup-stack.js';
import type { BotIdentity } from './webex/index.js';

/** What the runtime takes of start-up's shared parts. */
export interface SkillsRuntimeBuilding {
  readonly settings: BotSettings;
  readonly log: Logger;
  readonly cleanup: CleanupStack;
  readonly measuring: BotMetricsSetup;
}

/**
 * The assistant, when `ASSISTANT_BASE_URL` is set (or tuning hands in a model): its skill
 * (`forget`) added to the skills, and one assistant made with each dispatcher (skills reloaded:
 * new tools), with who may run what from the role policy. Aborted when the bot stops.
 */
function assistantFor(
  building: SkillsRuntimeBuilding,
  store: KeyValueStore,
  roles: RolePolicy,
  bot: () => BotIdentity,
) {
  const { settings, log, cleanup, measuring } = building;
  const tuning = settings.tuning?.assistant;
  if (!assistantSettingsFor(settings.config, tuning?.provider)) return undefined;
  const stopping = new AbortController();
  cleanup.push('the assistant', () => stopping.abort());
  let current: Assistant | undefined;
  const forget = forgetSkill((key) => current?.forget(key) ?? Promise.resolve(false));
  const make =
    (cards: SkillsAndCards['cards']): AssistantMaker =>
    ({ skills, find }) =>
      (current = setUpAssistant(settings.config, {
        // `forget` is typed, not offered to the model.
        skills: skills.filter((s) => s !== forget),
        find,
        store,
        log,
        metrics: measuring.metrics,
        botName: () => bot().displayName,
        mayRun: policyMayRun(roles, skills),
        refusal: policyRefusal(roles, skills),
        signal: stopping.signal,
        cards,
        provider: tuning?.provider,
        writer: tuning?.writer,
      }));
  return {
    /** `loaded`'s skills with `forget`, and the maker of the assistant. */
    with(loaded: SkillsAndCards): { skills: readonly LoadedSkill[]; assistant: AssistantMaker } {
      const taken = loaded.skills.some((s) => s.info.name === ASSISTANT_SKILL);
      if (taken) log.warn(`a skill is called "${ASSISTANT_SKILL}": the assistant's \`forget\` command is not added`);
      return { skills: taken ? loaded.skills : [...loaded.skills, forget], assistant: make(loaded.cards) };
    },
  };
}

/** Who has which role: `admin` for `ADMIN_EMAILS`; an `allow` check that throws refuses (and is logged). */
function rolesFrom(adminEmails: readonly string[], log: Logger): RolePolicy {
  return new RolePolicy(adminEmails, (err) =>
    log.warn('an allow check of a skill threw: the person is refused', { err }),
  );
}

/**
 * The skills' runtime: the clock (tests hand in their own), roles from `ADMIN_EMAILS`, the
 * assistant, the dispatcher that uses them, the scheduler of the skills' jobs, and `POST /notify`
 * (when `NOTIFY_TOKEN` is set: answered 503 until Webex is connected). Jobs and notify send
 * through the bot's outbox, like replies.
 */
export function skillsRuntime(
  building: SkillsRuntimeBuilding,
  stateStore: KeyValueStore,
  loaded: SkillsAndCards,
  bot: () => BotIdentity,
) {
  const { settings, log, cleanup, measuring } = building;
  const { config } = settings;
  const clock = settings.tuning?.clock ?? systemClock;
  const roles = rolesFrom(config.adminEmails, log);
  let current = loaded;
  let outbox: BotOutbox | undefined;
  let sender: NotifySender | undefined;
  let services: SkillServices | undefined;
  const scheduler = new Scheduler({ store: stateStore, clock, log, metrics: measuring.metrics });
  const jobsOf = (next: SkillsAndCards, out: BotOutbox) =>
    scheduledJobs({
      ...next,
      store: stateStore,
      outboxFor: (runLog) => out.forEvent(runLog),
      clock,
      timeZone: config.timeZone,
      log,
      memberPages: services?.memberPages,
    });
  const assistant = assistantFor(building, stateStore, roles, bot);
  const dispatcher = () =>
    createDispatcher({
      ...current,
      ...assistant?.with(current),
      store: stateStore,
      bot,
      clock,
      timeZone: config.timeZone,
      roles,
      services,
    });
  return {
    notify: config.notifyToken ? { token: config.notifyToken, sender: () => sender, store: stateStore } : undefined,
    /** The dispatcher, with what skills reach of Webex (known once connected). */
    dispatcher(webexServices: SkillServices) {
      services = webexServices;
      return dispatcher();
    },
    connected(out: BotOutbox) {
      outbox = out;
      sender = notifySender(out, () => current.cards);
    },
    async startJobs() {
      cleanup.push('the scheduled jobs', () => scheduler.stop());
      if (outbox) await scheduler.start(jobsOf(current, outbox));
    },
    replace(next: SkillsAndCards) {
      current = next;
      if (outbox)
        scheduler
          .start(jobsOf(next, outbox))
          .catch((err: unknown) => log.error('the jobs could not be scheduled again after the reload', { err }));
      return dispatcher();
    },
  };
}
