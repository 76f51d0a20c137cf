/**
 * Whether Webex still accepts the bot's token. A bot token does not expire, so a 401 means it
 * was revoked or regenerated: the bot says so loudly, reports itself not ready, and stops calling
 * Webex (no retry storm) except for one probe per cool-down, which restores readiness if the
 * token works again.
 */

/** Tracks the token's state across all calls of one bot. */
export class TokenHealth {
  private rejectedAt: number | undefined;
  private probing = false;

  /**
   * @param cooldownMs how long after a 401 calls fail at once, before one call may probe again
   * @param onChange told when the token goes from accepted to rejected, and back
   */
  constructor(
    private readonly cooldownMs: number,
    private readonly onChange: (accepted: boolean) => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** False from a 401 until a call gets through again. */
  get accepted(): boolean {
    return this.rejectedAt === undefined;
  }

  /** Whether a call may be sent now: always while accepted; after a 401, one probe per cool-down. */
  mayCall(): boolean {
    if (this.rejectedAt === undefined) return true;
    if (this.probing || this.now() - this.rejectedAt < this.cooldownMs) return false;
    this.probing = true;
    return true;
  }

  /** A call got a 401. */
  rejected(): void {
    const was = this.accepted;
    this.rejectedAt = this.now();
    this.probing = false;
    if (was) this.onChange(false);
  }

  /** A call got an answer other than 401 (so the token passed). */
  passed(): void {
    if (this.accepted) return;
    this.rejectedAt = undefined;
    this.probing = false;
    this.onChange(true);
  }

  /** A probe ended without an answer (network error): the next call may probe again. */
  inconclusive(): void {
    this.probing = false;
  }
}
