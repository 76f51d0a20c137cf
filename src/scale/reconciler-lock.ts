/**
 * The reconciler lock: with several instances, one at a time registers the webhooks and runs
 * the watchdog, so that they are created once and restored once. The lock is a Redis key with
 * an expiry (`REDIS_LEASE_TIMEOUT`), renewed by its holder every third of it; the others try for
 * it as often, and the first to find it expired (its holder stopped) takes over. Without Redis
 * the holder counts itself the holder until its last renewal would have expired.
 */
import type { Logger } from '../logging.js';
import type { WebhookLock } from '../webex/webhooks/lock.js';
import { ACQUIRE, RELEASE } from './queue-scripts.js';
import type { SharedRedis } from './redis-client.js';

/** The lock, as one instance sees it. */
export class ReconcilerLock implements WebhookLock {
  private heldUntil = 0;
  private timer: NodeJS.Timeout | undefined;
  private waiters: Array<() => void> = [];
  private readonly listeners: Array<() => void> = [];

  constructor(
    private readonly redis: SharedRedis,
    private readonly key: string,
    private readonly instanceId: string,
    private readonly log: Logger,
    private readonly ttlMs = 10_000,
  ) {}

  /** Tries for the lock now (resolves once that first try is over) and from then on every third of its expiry. */
  async start(): Promise<void> {
    await this.tick();
    this.timer = setInterval(() => void this.tick(), Math.max(50, Math.floor(this.ttlMs / 3)));
    this.timer.unref();
  }

  held(): boolean {
    return Date.now() < this.heldUntil;
  }

  wait(ms: number): Promise<void> {
    if (this.held()) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.push(done);
    });
  }

  /** Told each time this instance becomes the holder (to check the webhooks at once). */
  onAcquired(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Stops trying and gives the lock up if held, so another instance takes over at once. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    if (!this.held()) return;
    this.heldUntil = 0;
    await RELEASE.run(this.redis.client, [this.key], [this.instanceId]).catch(() => undefined);
  }

  private async tick(): Promise<void> {
    if (!this.redis.up) return;
    const wasHeld = this.held();
    const asked = Date.now();
    let got: boolean;
    try {
      got = (await ACQUIRE.run<number>(this.redis.client, [this.key], [this.instanceId, this.ttlMs])) === 1;
    } catch {
      return; // Redis went away: the local estimate stands until it lapses
    }
    if (got) {
      // Counted from before the call, less a tenth for clock drift: never longer than Redis keeps it.
      this.heldUntil = asked + this.ttlMs * 0.9;
      if (!wasHeld) {
        this.log.info('this instance now registers and watches the webhooks (reconciler lock)', {
          instance: this.instanceId,
        });
        for (const w of this.waiters.slice()) w();
        this.listeners.forEach((l) => {
          l();
        });
      }
    } else {
      if (wasHeld) this.log.warn('the reconciler lock went to another instance', { instance: this.instanceId });
      this.heldUntil = 0;
    }
  }
}
