/**
 * A bound on the framework's bot objects. The framework keeps one per space it has seen (the
 * room, the membership, a storage entry) for as long as the process runs: measured at about
 * 8 KB a space, tens of MB at 10,000 active spaces, and only growing. This keeps them for the
 * `max` most recently active spaces: past that (with a little slack, so that the trimming is
 * rare), the least recently active are dropped — their framework storage forgotten first, which
 * the bot does not use — and the framework finds such a space again on its next event, with a
 * room and a membership look-up, as on a first contact.
 *
 * A space with an event being handled is always among the most recent (it is touched when its
 * event starts), so a bot object in use is never dropped.
 */

/** The part of a framework bot object this needs. */
interface FrameworkBot {
  readonly room?: { readonly id?: string };
  forget?(): Promise<unknown>;
  stop?(): unknown;
}

/** The part of the framework this needs: its list of bot objects, which it reads afresh on every event. */
export interface FrameworkBots {
  bots: FrameworkBot[];
}

/** Default number of spaces whose bot objects are kept. */
export const DEFAULT_MAX_SPACE_OBJECTS = 2000;

/** Keeps the framework's bot objects to the `max` most recently active spaces. */
export class SpaceObjectLimit {
  /** Space ids, least recently active first. */
  private readonly recent = new Map<string, true>();
  private readonly trimAt: number;

  constructor(
    private readonly framework: FrameworkBots,
    private readonly max = DEFAULT_MAX_SPACE_OBJECTS,
  ) {
    if (!(max >= 1)) throw new RangeError('max must be at least 1');
    this.trimAt = Math.ceil(max * 1.1);
  }

  /** Spaces remembered as active (at most about `max`). */
  get size(): number {
    return this.recent.size;
  }

  /** Records activity in `roomId` (call it before the framework sees the event). */
  touched(roomId: string | undefined): void {
    if (roomId === undefined) return;
    this.recent.delete(roomId);
    this.recent.set(roomId, true);
    if (this.recent.size > this.trimAt) this.trim();
  }

  private trim(): void {
    const dropped = new Set<string>();
    for (const id of this.recent.keys()) {
      if (this.recent.size - dropped.size <= this.max) break;
      dropped.add(id);
    }
    for (const id of dropped) this.recent.delete(id);
    this.framework.bots = this.framework.bots.filter((bot) => {
      const id = bot.room?.id;
      if (id === undefined || !dropped.has(id)) return true;
      void bot.forget?.().catch(() => undefined);
      bot.stop?.();
      return false;
    });
  }
}
