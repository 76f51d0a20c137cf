/**
 * Permissions per command and per skill: roles (`admin`, given by `ADMIN_EMAILS`) and checks of
 * the skill's own (`allow`). One place decides who may run what, for typed commands, card
 * buttons that run commands, card forms, answers to questions, and what `help` lists.
 */
import type { AllowCheck, Guarded, Person, SkillInfo, Who } from '../skill-kit/types.js';

/** The roles the bot knows. */
export const KNOWN_ROLES: readonly string[] = ['admin'];

/** What limits one command or skill (its `roles` and `allow`). */
export interface Guard {
  readonly roles?: readonly string[] | undefined;
  readonly allow?: AllowCheck | undefined;
}

/**
 * What is wrong with the `roles`/`allow` of a skill or command, or `undefined` (for the skill
 * loader: an unknown role is a typo that would lock everyone out).
 * @example checkGuard({ roles: ['admn'] }) // 'roles: "admn" is not a role (known: admin)'
 */
export function checkGuard(value: Guarded): string | undefined {
  const { roles, allow } = value;
  if (allow !== undefined && typeof allow !== 'function')
    return '"allow" must be a function ({ person, space, roles }) => boolean';
  if (roles === undefined) return undefined;
  if (!Array.isArray(roles) || roles.length === 0)
    return '"roles" must be a non-empty list of role names, e.g. [\'admin\']';
  const unknown = roles.filter((r) => !KNOWN_ROLES.includes(r));
  if (unknown.length > 0)
    return `roles: ${unknown.map((r) => JSON.stringify(r)).join(', ')} ${unknown.length === 1 ? 'is not a role' : 'are not roles'} (known: ${KNOWN_ROLES.join(', ')})`;
  return undefined;
}

/** Decides who may run what. */
export class RolePolicy {
  private readonly admins: ReadonlySet<string>;

  /**
   * @param adminEmails the `admin` role's addresses (`ADMIN_EMAILS`)
   * @param onCheckError told when an `allow` check throws (the person is then refused)
   */
  constructor(
    adminEmails: readonly string[],
    private readonly onCheckError: (err: unknown) => void = () => undefined,
  ) {
    this.admins = new Set(adminEmails.map((e) => e.toLowerCase()));
  }

  /** The roles of `person`. */
  rolesOf(person: Person): ReadonlySet<string> {
    return new Set(this.admins.has(person.email.toLowerCase()) ? ['admin'] : []);
  }

  /** True when `who` passes every guard in `guards` (a skill's, then a command's). */
  allows(who: Who, ...guards: readonly Guard[]): boolean {
    return guards.every((guard) => this.passes(who, guard));
  }

  /**
   * The answer for someone refused `what` (a command's usage, or a skill's name) by `guards`.
   * @example policy.refusal(['admin'], '`provision all`') // 'Sorry, `provision all` is for admins only.'
   */
  refusal(what: string, ...guards: readonly Guard[]): string {
    const roles = guards.flatMap((g) => g.roles ?? []);
    if (roles.includes('admin'))
      return `Sorry, ${what} is for admins only. Ask one of the bot's admins if you need it.`;
    return `Sorry, you may not use ${what}.`;
  }

  /** The skills as `who` may see them: those they may use, with the commands they may run. */
  visibleSkills(
    skills: ReadonlyArray<{ readonly guard: Guard; readonly info: SkillInfo; readonly commands: readonly Guard[] }>,
    who: Who,
  ): SkillInfo[] {
    return skills
      .filter((s) => this.allows(who, s.guard))
      .map((s) => ({
        ...s.info,
        commands: s.info.commands.filter((_, i) => this.allows(who, s.commands[i] ?? {})),
      }));
  }

  private passes(who: Who, guard: Guard): boolean {
    if (guard.roles !== undefined && !guard.roles.some((r) => who.roles.has(r))) return false;
    if (guard.allow === undefined) return true;
    try {
      return guard.allow(who) === true;
    } catch (err) {
      this.onCheckError(err);
      return false;
    }
  }
}
