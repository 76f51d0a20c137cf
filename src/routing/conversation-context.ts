/**
 * What every handler's context holds about time and conversation, besides the event itself:
 * `send` (to any space or person), `now()` (the bot's clock), `timeZone`, the person's `roles`,
 * `ask` (a question whose answer comes back to the skill), and `skills` as this person may see them.
 */
import type { CardRegistry } from '../cards/card-registry.js';
import { Confirmations } from '../conversation/confirmations.js';
import { PendingQuestions } from '../conversation/questions.js';
import { RolePolicy } from '../policy/roles.js';
import { systemClock, type Clock } from '../schedule/clock.js';
import type { BaseContext, Person, Reply, Space } from '../skill-kit/types.js';
import type { KeyValueStore } from '../store/types.js';
import type { EventScope } from './inbound.js';
import { createSend } from './send.js';
import type { LoadedSkill } from './skill-loader.js';

/** The parts of the dispatcher behind those fields. */
export interface ConversationParts {
  readonly clock: Clock;
  readonly timeZone: string;
  readonly roles: RolePolicy;
  readonly questions: PendingQuestions;
  readonly confirmations: Confirmations;
  readonly cards: CardRegistry;
  readonly skills: readonly LoadedSkill[];
  /** Each skill's limits and its commands', for `skills` as a person may see them (worked out once). */
  readonly guarded: ReadonlyArray<ReturnType<typeof policyViewOf>>;
}

/** The parts for `options`, over the state `store`. */
export function conversationParts(
  options: {
    readonly clock?: Clock;
    readonly timeZone?: string;
    readonly roles?: RolePolicy;
    readonly cards: CardRegistry;
    readonly skills: readonly LoadedSkill[];
  },
  store: KeyValueStore,
): ConversationParts {
  const clock = options.clock ?? systemClock;
  return {
    clock,
    timeZone: options.timeZone ?? 'UTC',
    roles: options.roles ?? new RolePolicy([]),
    questions: new PendingQuestions(store, clock),
    confirmations: new Confirmations(store, clock),
    cards: options.cards,
    skills: options.skills,
    guarded: options.skills.map(policyViewOf),
  };
}

/** A loaded skill's limits, for the role policy. */
export function policyViewOf(skill: LoadedSkill) {
  return {
    guard: { roles: skill.skill.roles, allow: skill.skill.allow },
    info: skill.info,
    commands: skill.commands.map((c) => ({ roles: c.command.roles, allow: c.command.allow })),
  };
}

/** The context fields of time and conversation for a handler of `skill`, run for `person` in `space`. */
export function conversationContext(
  parts: ConversationParts,
  scope: EventScope,
  at: { readonly reply: Reply; readonly skill: string; readonly space: Space; readonly person: Person },
): Pick<BaseContext, 'send' | 'now' | 'timeZone' | 'roles' | 'ask' | 'skills'> {
  const { person, space, reply, skill } = at;
  const roles = parts.roles.rolesOf(person);
  return {
    send: createSend(scope.outbox, parts.cards, scope.log),
    now: () => new Date(parts.clock.now()),
    timeZone: parts.timeZone,
    roles,
    skills: parts.roles.visibleSkills(parts.guarded, { person, space, roles }),
    async ask(question, options) {
      const handler = parts.skills.find((s) => s.info.name === skill)?.skill.answers?.[options?.answer];
      if (typeof handler !== 'function')
        throw new TypeError(`ask(): skill "${skill}" has no answers["${String(options?.answer)}"] handler`);
      // Recorded before it is shown, so that an answer can never arrive first; withdrawn if it cannot be shown.
      const who = { spaceId: space.id, personId: person.id };
      await parts.questions.ask(
        who,
        { skill, answer: options.answer, question, data: options.data ?? null },
        options.timeoutMs,
      );
      try {
        return await reply.text(question);
      } catch (err) {
        await parts.questions.take(who).catch(() => undefined);
        throw err;
      }
    },
  };
}
