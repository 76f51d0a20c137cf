/**
 * The dispatcher: one inbound message or card submission in, exactly one handler run (or a
 * helpful reply when none fits), awaited, inside an error boundary (`dispatch-core.ts`). A
 * message's text goes to the command it matches (its files with it; files whose text runs no
 * command go to the skill that takes files); a card submission goes to `submission.ts`; a
 * membership event to every skill's lifecycle handler (`lifecycle.ts`).
 */
import type { SkillInfo } from '../skill-kit/types.js';
import { buildCommandIndex, type CommandIndex } from './command-index.js';
import { createDispatchCore, type DispatcherOptions, type DispatchOutcome } from './dispatch-core.js';
import type { EventScope, InboundMessage, InboundSubmission } from './inbound.js';
import { stripMention } from './mention.js';
import { handleSubmission } from './submission.js';
import { handleLifecycle, type LifecycleEvent, type LifecycleOutcome } from './lifecycle.js';
import { answerQuestion } from './questions-flow.js';
import { holdCommand } from './confirm-flow.js';

export { apologyText, type DispatcherOptions, type DispatchOutcome, refusedReplyText } from './dispatch-core.js';

/** Routes inbound events to skills. */
export interface Dispatcher {
  readonly index: CommandIndex;
  readonly skills: readonly SkillInfo[];
  handleMessage(message: InboundMessage, scope: EventScope): Promise<DispatchOutcome>;
  handleSubmission(submission: InboundSubmission, scope: EventScope): Promise<DispatchOutcome>;
  /** The bot added or removed, a person joining or leaving: every skill's lifecycle handler. */
  handleLifecycle(event: LifecycleEvent, scope: EventScope): Promise<LifecycleOutcome>;
}

/** Creates the dispatcher for a set of loaded skills. */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const index = buildCommandIndex(options.skills);
  const core = createDispatchCore(options, index, { beforeCommand: answerQuestion, holdCommand });
  const { skills } = core;

  return {
    index,
    skills,

    async handleMessage(message, scope) {
      const text = stripMention(message.text, message.html, options.bot());
      return core.dispatchText(
        {
          text,
          person: message.person,
          space: { id: message.roomId, title: message.roomTitle, type: message.roomType },
          message: { id: message.id, parentId: message.parentId, rawText: message.text, created: message.created },
          target: {
            roomId: message.roomId,
            defaultParentId: async () => message.parentId,
            threadRoot: async () => message.parentId ?? message.id,
          },
          resource: 'messages',
          files: message.files,
        },
        scope,
      );
    },

    handleSubmission: (submission, scope) => handleSubmission(core, submission, scope),
    handleLifecycle: (event, scope) => handleLifecycle(core, event, scope),
  };
}
