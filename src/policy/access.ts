/**
 * Who may use the bot: `ALLOWED_DOMAINS` and `ALLOWED_EMAILS`, checked for each sender of a
 * message or a card submission. The check is per person, not per space: an outsider in a group
 * space gets nothing, and does not silence the bot for the others.
 */

/** The allow-lists; both empty means everyone is allowed. */
export interface AccessRules {
  /** E-mail domains, lower case, e.g. `example.com` (its sub-domains are not included). */
  readonly domains: readonly string[];
  /** Whole e-mail addresses, lower case. */
  readonly emails: readonly string[];
}

/** Decides, per sender, whether the bot serves them. */
export class AccessPolicy {
  private readonly domains: ReadonlySet<string>;
  private readonly emails: ReadonlySet<string>;

  constructor(rules: AccessRules) {
    this.domains = new Set(rules.domains.map((d) => d.toLowerCase().replace(/^@/, '')));
    this.emails = new Set(rules.emails.map((e) => e.toLowerCase()));
  }

  /** True when no list is set: everyone is served. */
  get open(): boolean {
    return this.domains.size === 0 && this.emails.size === 0;
  }

  /**
   * Whether the person with e-mail address `email` is served. Unknown addresses are refused
   * whenever a list is set.
   * @example new AccessPolicy({ domains: ['example.com'], emails: [] }).allows('Alice@Example.com') // → true
   */
  allows(email: string | undefined): boolean {
    if (this.open) return true;
    if (!email) return false;
    const address = email.trim().toLowerCase();
    if (this.emails.has(address)) return true;
    const at = address.lastIndexOf('@');
    return at > 0 && this.domains.has(address.slice(at + 1));
  }
}

/** The domain of an address, for logs that should not hold the whole address. */
export function domainOf(email: string | undefined): string {
  const at = email?.lastIndexOf('@') ?? -1;
  return email && at >= 0 ? email.slice(at + 1).toLowerCase() : 'unknown';
}
