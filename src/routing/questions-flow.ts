/**
 * Answers to questions (`ask`): before any command matching, a person's message in a space where
 * a question waits for them goes to the skill's named answer handler; `cancel` gets them out. An
 * expired question, or one whose skill or handler is gone (a reload), leaves the message to the
 * commands, as an ordinary one; so does a store that does not answer (better a command than a
 * lost message).
 */
import { isCancel } from '../conversation/questions.js';
import { createSkillState } from '../skill-kit/state.js';
import type { AnswerContext, Reply } from '../skill-kit/types.js';
import type { DispatchCore, DispatchOutcome, TextEvent } from './dispatch-core.js';
import type { EventScope } from './inbound.js';
import { guardsFor } from './guards.js';

/** What a person sees after `cancel`. */
export const CANCELLED_TEXT = 'OK, I stopped waiting for your answer.';

/** Hands `event` to the answer handler of the question waiting for its sender, if any. */
export async function answerQuestion(
  core: DispatchCore,
  event: TextEvent,
  scope: EventScope,
  reply: Reply,
): Promise<DispatchOutcome | undefined> {
  const { person, space } = event;
  let pending: Awaited<ReturnType<typeof core.conversation.questions.take>>;
  try {
    pending = await core.conversation.questions.take({ spaceId: space.id, personId: person.id });
  } catch (err) {
    // The store did not answer (a Redis blip): the message is taken as an ordinary one rather than lost.
    scope.log.warn('could not look for a pending question; handling the message as a command', { err });
    return undefined;
  }
  if (!pending) return undefined;
  if (isCancel(event.text)) {
    scope.log.info('question cancelled', { skill: pending.skill, answer: pending.answer });
    await reply.text(CANCELLED_TEXT);
    return { kind: 'handled', skill: pending.skill };
  }
  const loaded = core.options.skills.find((s) => s.info.name === pending.skill);
  const handler = loaded?.skill.answers?.[pending.answer];
  if (!loaded || typeof handler !== 'function') {
    scope.log.warn('a question was pending for a skill or answer handler that no longer exists', {
      skill: pending.skill,
      answer: pending.answer,
    });
    return undefined;
  }
  const base = core.baseContext(scope, reply, pending.skill, space, person, event.resource);
  const guards = guardsFor(core.options.skills, pending.skill);
  if (!core.conversation.roles.allows({ person, space, roles: base.roles }, ...guards)) {
    await reply.text(core.conversation.roles.refusal(`the ${pending.skill} skill`, ...guards));
    return { kind: 'handled', skill: pending.skill };
  }
  const context: AnswerContext = {
    ...base,
    state: createSkillState(core.store, pending.skill, { spaceId: space.id, personId: person.id }),
    text: event.text,
    message: event.message,
    asked: { question: pending.question, data: pending.data, at: new Date(pending.askedAt) },
  };
  scope.log.debug('answer to a question', { skill: pending.skill, answer: pending.answer });
  return core.guarded(pending.skill, scope, reply, () => handler(context));
}
