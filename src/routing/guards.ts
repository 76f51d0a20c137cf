/**
 * The limits (`roles`, `allow`) the role policy checks for a skill, and for one of its commands:
 * the skill's first, then the command's. Typed commands, confirmations, answers, forms and the
 * assistant all ask it the same way.
 */
import type { Guard } from '../policy/roles.js';
import type { LoadedCommand, LoadedSkill } from './skill-loader.js';

/** The guards of skill `skillName` (a skill no longer loaded has none), then of `command` if given. */
export function guardsFor(skills: readonly LoadedSkill[], skillName: string, command?: LoadedCommand): Guard[] {
  const skill = skills.find((s) => s.info.name === skillName)?.skill;
  const guards: Guard[] = [{ roles: skill?.roles, allow: skill?.allow }];
  if (command) guards.push({ roles: command.command.roles, allow: command.command.allow });
  return guards;
}
