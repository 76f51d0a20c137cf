/**
 * The space's lifecycle, for skills: the bot added to a space, removed from one, a person joining
 * or leaving. Every skill with a handler for the event (`on: { botAdded, botRemoved, memberAdded,
 * memberRemoved }`) runs, in load order, each inside its own error boundary: one that throws is
 * logged with the event's id and the others still run (nobody asked for anything, so nobody gets
 * an apology). When the bot was removed, the space's state of every skill is forgotten once the
 * handlers ran (they can still read it), and they get no `reply`: the bot can no longer post there.
 *
 * The event reached here as messages do: verified, claimed once, in its space's turn, its actor
 * screened by the access policy (`src/events/process-event.ts`), the framework's own events
 * telling what it meant (`src/webex/dispatch.ts`).
 */
import type { KeyValueStore } from '../store/types.js';
import { createSkillState, scopePrefixes } from '../skill-kit/state.js';
import type {
  BotAddedContext,
  LifecycleContext,
  LifecycleHandlers,
  MemberChangeContext,
  Person,
  Space,
} from '../skill-kit/types.js';
import type { DispatchCore } from './dispatch-core.js';
import type { EventScope, InboundLifecycle, LifecycleKind } from './inbound.js';
import { createReply } from './reply.js';

/** A lifecycle event as routing takes it: what the framework made of it, and who did it. */
export interface LifecycleEvent extends InboundLifecycle {
  /** Who added or removed (the bot, or the member: who may be the actor, joining or leaving). */
  readonly actor: Person;
}

/** How a lifecycle event ended: which skills' handlers ran, and which of them failed. */
export interface LifecycleOutcome {
  readonly kind: 'lifecycle';
  readonly event: LifecycleKind;
  readonly ran: readonly string[];
  readonly failed: readonly string[];
}

/** The handler name of each kind. */
const HOOK: Readonly<Record<LifecycleKind, keyof LifecycleHandlers>> = {
  'bot-added': 'botAdded',
  'bot-removed': 'botRemoved',
  'member-added': 'memberAdded',
  'member-removed': 'memberRemoved',
};

/**
 * Forgets what `skill` remembered for space `roomId` (its `state.space`, once records included).
 * Stores that cannot list keys by prefix keep it, until its time to live.
 */
export async function forgetSpace(store: KeyValueStore, skill: string, roomId: string): Promise<number> {
  if (!store.deletePrefix) return 0;
  const [values, onceRecords] = scopePrefixes(skill, `space:${roomId}:`);
  return (await store.deletePrefix(values)) + (await store.deletePrefix(onceRecords));
}

/** Runs every skill's handler for `event` (see the file's comment). */
export async function handleLifecycle(
  core: DispatchCore,
  event: LifecycleEvent,
  scope: EventScope,
): Promise<LifecycleOutcome> {
  const hook = HOOK[event.kind];
  const space: Space = { id: event.roomId, title: event.roomTitle, type: event.roomType };
  const threadless = async (): Promise<undefined> => undefined;
  const reply = createReply(
    { roomId: event.roomId, defaultParentId: threadless, threadRoot: threadless },
    scope.outbox,
    core.options.cards,
    scope.log,
  );
  const ran: string[] = [];
  const failed: string[] = [];
  for (const loaded of core.options.skills) {
    const handler = loaded.skill.on?.[hook] as ((context: LifecycleContext) => unknown) | undefined;
    if (!handler) continue;
    const name = loaded.info.name;
    const base = core.baseContext(scope, reply, name, space, event.actor, 'memberships');
    const context: LifecycleContext | BotAddedContext | MemberChangeContext = {
      person: base.person,
      space: base.space,
      log: base.log,
      event: base.event,
      skills: base.skills,
      state: createSkillState(core.store, name, { spaceId: space.id, personId: event.actor.id }),
      ...(event.kind === 'bot-removed' ? {} : { reply }),
      ...(event.member ? { member: event.member } : {}),
    };
    ran.push(name);
    try {
      await handler(context);
      scope.log.debug('lifecycle handled', { skill: name, hook });
    } catch (err) {
      failed.push(name);
      scope.log.error('lifecycle handler failed', { skill: name, hook, eventId: scope.eventId, err });
    }
  }
  if (event.kind === 'bot-removed') await forgetSpaceOfEverySkill(core, event.roomId, scope);
  scope.log.info(`lifecycle: ${event.kind}`, { roomId: event.roomId, ran, failed });
  return { kind: 'lifecycle', event: event.kind, ran, failed };
}

/** After the bot was removed: every skill's state of the space, forgotten. */
async function forgetSpaceOfEverySkill(core: DispatchCore, roomId: string, scope: EventScope): Promise<void> {
  if (!core.store.deletePrefix) {
    scope.log.warn('this state store cannot forget a space: what skills kept for it stays until it expires', {
      roomId,
    });
    return;
  }
  let forgotten = 0;
  for (const loaded of core.options.skills) {
    try {
      forgotten += await forgetSpace(core.store, loaded.info.name, roomId);
    } catch (err) {
      scope.log.warn("could not forget a skill's state of a space the bot left", {
        skill: loaded.info.name,
        roomId,
        err,
      });
    }
  }
  scope.log.debug("space's state forgotten", { roomId, keys: forgotten });
}
