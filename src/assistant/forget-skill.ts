/**
 * The assistant's own skill, added to the bot's skills while the assistant is on: `forget`
 * ("Forget our conversation here") clears what the assistant remembers of this person in this
 * space. Being a skill, it is in `help` exactly when the assistant is on, and runs through the
 * same dispatch as any command. It is not offered to the model as a tool (the turn that asked
 * would be remembered again at once).
 *
 * @example
 * const skill = forgetSkill((key) => assistant.forget(key));
 * createDispatcher({ ...options, skills: [...skills, skill] });
 */
import type { LoadedSkill } from '../routing/skill-loader.js';
import { checkSkill } from '../routing/skill-loader.js';
import { command, defineSkill } from '../skill-kit/define.js';
import type { ConversationKey } from './memory.js';

/** The name of the assistant's skill (a project skill of that name wins: `forget` is then not added). */
export const ASSISTANT_SKILL = 'assistant';

/** What `forget` answers. */
export const FORGOTTEN_TEXT = 'Done: I have forgotten our conversation here. The next thing you ask me starts afresh.';
export const NOTHING_TO_FORGET_TEXT = 'There was nothing to forget: I remember no conversation with you here.';

/** The assistant's skill, whose `forget` calls `forget` for the person and space it is typed in. */
export function forgetSkill(forget: (key: ConversationKey) => Promise<boolean>): LoadedSkill {
  const skill = defineSkill({
    name: ASSISTANT_SKILL,
    description: 'Answers what you write in your own words, and runs my commands for you',
    commands: [
      command({
        pattern: 'forget',
        help: 'Forget our conversation here',
        async handle({ person, space, reply }) {
          const forgotten = await forget({ spaceId: space.id, personId: person.id });
          await reply.text(forgotten ? FORGOTTEN_TEXT : NOTHING_TO_FORGET_TEXT);
        },
      }),
    ],
  });
  return checkSkill('(built in: the assistant)', skill);
}
