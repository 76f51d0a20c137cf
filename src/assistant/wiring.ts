/**
 * What joins the assistant to the bot: who may run what, by the role policy, as `help` and typed
 * commands use it. (The poster its answers stream into, and the reply that sends a form
 * pre-filled, are the dispatch core's: `src/routing/`.)
 *
 * @example
 * const mayRun = policyMayRun(roles, skills);
 */
import type { RolePolicy } from '../policy/roles.js';
import type { LoadedCommand, LoadedSkill } from '../routing/skill-loader.js';
import type { MayRun, Refusal } from './abilities.js';

/**
 * Whether a person may run a command, by the role policy: the skill's and the command's `roles`
 * and `allow`, as `help` lists and as a typed command is checked.
 */
export function policyMayRun(roles: RolePolicy, skills: readonly LoadedSkill[]): MayRun {
  return (command, { person, space }) =>
    roles.allows({ person, space, roles: roles.rolesOf(person) }, ...guardsOf(command, skills));
}

/** The role policy's refusal of `command`, word for word what a person typing it is told. */
export function policyRefusal(roles: RolePolicy, skills: readonly LoadedSkill[]): Refusal {
  return (command) => roles.refusal(`\`${command.info.usage}\``, ...guardsOf(command, skills));
}

/** The skill's guard, then the command's. */
function guardsOf(command: LoadedCommand, skills: readonly LoadedSkill[]) {
  const skill = skills.find((s) => s.info.name === command.skill)?.skill;
  return [
    { roles: skill?.roles, allow: skill?.allow },
    { roles: command.command.roles, allow: command.command.allow },
  ] as const;
}
