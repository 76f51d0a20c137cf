/**
 * What joins the assistant to the bot: who may run what, by the role policy, as `help` and typed
 * commands use it. (The poster its answers stream into, and the reply that sends a form
 * pre-filled, are the dispatch core's: `src/routing/`.)
 *
 * @example
 * const mayRun = policyMayRun(roles, skills);
 */
import type { RolePolicy } from '../policy/roles.js';
import { guardsFor } from '../routing/guards.js';
import type { LoadedSkill } from '../routing/skill-loader.js';
import type { MayRun, Refusal } from './abilities.js';

/**
 * Whether a person may run a command, by the role policy: the skill's and the command's `roles`
 * and `allow`, as `help` lists and as a typed command is checked.
 */
export function policyMayRun(roles: RolePolicy, skills: readonly LoadedSkill[]): MayRun {
  return (command, { person, space }) =>
    roles.allows({ person, space, roles: roles.rolesOf(person) }, ...guardsFor(skills, command.skill, command));
}

/** The role policy's refusal of `command`, word for word what a person typing it is told. */
export function policyRefusal(roles: RolePolicy, skills: readonly LoadedSkill[]): Refusal {
  return (command) => roles.refusal(`\`${command.info.usage}\``, ...guardsFor(skills, command.skill, command));
}
