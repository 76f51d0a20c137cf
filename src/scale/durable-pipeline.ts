/**
 * The event pipeline of several instances on one Redis: the same job as `EventPipeline` (each
 * event once, in order within a space, correlation id in every line), with the queue in Redis.
 *
 * - **Durable before 200**: `accept` claims the event and appends it to its space's list in one
 *   Lua script; only then is Webex answered. Redis unreachable → `unavailable` (503).
 * - **One space, one instance at a time**: whoever holds the space's lease handles its events, oldest
 *   first, renewing the lease while it works and releasing it (atomically with "nothing left")
 *   when done. The instance that took an event tries for the lease at once; the others look for
 *   spaces with work and no holder every half lease.
 * - **Death**: a stopped instance's leases expire after `leaseMs`; another instance takes the
 *   space over, and decides for its head event whether it was answered (`takeover.ts`).
 * - **Fencing**: a reply is posted only while this instance holds the space and the event is
 *   its head (`redis-journal.ts`), so an instance that stalled past its lease cannot answer an
 *   event its successor answers.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { DeliveryTrace, EventQueue, IntakeResult } from '../events/intake.js';
import { runEvent } from '../events/pipeline.js';
import type { BotMetrics } from '../metrics/types.js';
import type { EventProcessor } from '../events/types.js';
import { DEFAULT_DEDUPE_TTL_MS } from '../events/dedupe.js';
import type { Logger } from '../logging.js';
import { eventKey, type WebhookEnvelope } from '../protocol/envelope.js';
import { ACCEPT, ACQUIRE, COMPLETE, NEXT, POSTED, RELEASE, RENEW, START, type QueueKeys } from './queue-scripts.js';
import type { SharedRedis } from './redis-client.js';
import { redisReplyJournal, SENT_KEEP_MS } from './redis-journal.js';
import { untilRedisAnswers } from './retry.js';
import { decideTakeover, type FindPosted } from '../events/takeover.js';
import { within } from '../util/within.js';

/** A name for this process among the instances: host, pid and a random tag. */
export function newInstanceId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/** Options of {@link DurablePipeline}. */
export interface DurablePipelineOptions {
  readonly redis: SharedRedis;
  readonly keys: QueueKeys;
  readonly instanceId: string;
  readonly log: Logger;
  /** How long a space stays this instance's without renewal (default 10 s). */
  readonly leaseMs?: number;
  /** How long an event's claim is kept (default 6 h). */
  readonly dedupeTtlMs?: number;
  /** How long a reply POST may still land after it started (default 10 s, the governor's call timeout). */
  readonly inDoubtMs?: number;
  /** Handlings after which an event is dropped (default 3). */
  readonly maxAttempts?: number;
  /** Spaces handled here at once, at most (default 100); the others wait for another instance or a free slot. */
  readonly maxSpaces?: number;
  /** Told of each event handled and each duplicate (default: nothing is measured). */
  readonly metrics?: BotMetrics;
}

const UNAVAILABLE = {
  status: 'unavailable',
  reason: 'Redis is unreachable: the event cannot be taken safely now',
} as const;

/** What the START script answers: -1 (not ours), 0 (no record) or 1, attempts, the record, the POST under way, replies. */
type StartAnswer = [number, number?, string?, string?, string?];

/** The stored envelope, or `undefined` when it does not parse. */
function parseEnvelope(text: unknown): WebhookEnvelope | undefined {
  try {
    return JSON.parse(String(text)) as WebhookEnvelope;
  } catch {
    return undefined;
  }
}

/** The Redis-backed {@link EventIntake}. */
export class DurablePipeline implements EventQueue {
  private handler: EventProcessor | undefined;
  private findPosted: FindPosted = async () => 'unknown';
  /** Spaces worked on here, each with "an event arrived while its loop was finishing". */
  private readonly spaces = new Map<string, { kicked: boolean }>();
  private readonly idleWaiters: Array<() => void> = [];
  private stopping = false;
  private closed = false;
  private timers: NodeJS.Timeout[] = [];
  private readonly leaseMs: number;
  private readonly dedupeTtlMs: number;

  constructor(private readonly options: DurablePipelineOptions) {
    this.leaseMs = options.leaseMs ?? 10_000;
    this.dedupeTtlMs = options.dedupeTtlMs ?? DEFAULT_DEDUPE_TTL_MS;
  }

  /** Spaces being worked on by this instance. */
  get inFlight(): number {
    return this.spaces.size;
  }

  /** For the metrics gauges: spaces being handled here (the queue itself lives in Redis). */
  get handling(): number {
    return this.spaces.size;
  }

  /** For the metrics gauges: the events waiting are in Redis, shared, not counted here. */
  get queued(): number {
    return 0;
  }

  /** Sets how a taken-over event's reply is looked for in Webex. */
  useWebex(findPosted: FindPosted): void {
    this.findPosted = findPosted;
  }

  /** Sets the processor and starts working: spaces with work are looked for from now on. */
  setHandler(handler: EventProcessor): void {
    this.handler = handler;
    const every = (ms: number, fn: () => void) => {
      const t = setInterval(fn, ms);
      t.unref();
      this.timers.push(t);
    };
    every(Math.max(50, Math.floor(this.leaseMs / 3)), () => void this.renew());
    every(Math.max(100, Math.floor(this.leaseMs / 2)), () => void this.sweep());
    void this.sweep();
  }

  async accept(envelope: WebhookEnvelope, trace: DeliveryTrace): Promise<IntakeResult> {
    const { eventId, requestId } = trace;
    const log = this.options.log.child({ eventId });
    if (!this.options.redis.up) return UNAVAILABLE;
    const room = envelope.data.roomId ?? 'no-space';
    let reply: [number, string | number | undefined];
    try {
      reply = await this.store(envelope, eventId, room);
    } catch (err) {
      log.warn('event refused for now: Redis did not take it', { err, resource: envelope.resource });
      return UNAVAILABLE;
    }
    if (Number(reply[0]) === 0) {
      let originalEventId: string | undefined;
      try {
        originalEventId = JSON.parse(String(reply[1])) as string;
      } catch {
        originalEventId = undefined;
      }
      this.options.metrics?.dedupeHit();
      log.debug('duplicate delivery ignored', {
        requestId,
        resource: envelope.resource,
        event: envelope.event,
        originalEventId,
      });
      return { status: 'duplicate', eventId, originalEventId };
    }
    // The event's first line links its correlation id to the HTTP request that carried it.
    log.info('event accepted', {
      requestId,
      resource: envelope.resource,
      event: envelope.event,
      roomId: envelope.data.roomId,
    });
    this.afterAccept(room, Number(reply[1]) === 1);
    return { status: 'accepted', eventId };
  }

  /**
   * Claims the event and queues it in Redis, in one script; takes the space along with it when
   * this instance can work on it now. Answers `[0, first event id]` for a duplicate, else
   * `[1, 1 when the space was taken]`.
   */
  private store(envelope: WebhookEnvelope, eventId: string, room: string) {
    const { redis, keys } = this.options;
    const take = this.canTake(room) ? this.options.instanceId : '';
    return ACCEPT.run<[number, string | number | undefined]>(
      redis.client,
      [keys.dedupe(eventKey(envelope)), keys.queue(room), keys.event(eventId), keys.spaces, keys.lease(room)],
      [
        JSON.stringify(eventId),
        this.dedupeTtlMs,
        JSON.stringify(envelope),
        room,
        Date.now(),
        eventId,
        this.dedupeTtlMs,
        take,
        this.leaseMs,
      ],
    );
  }

  /** Works on the space of an event just accepted, or leaves it to whoever can. */
  private afterAccept(room: string, leased: boolean): void {
    if (leased && this.canTake(room)) {
      void this.work(room, true);
      return;
    }
    // Taken for nothing (stopping meanwhile): give the space back at once rather than at its expiry.
    if (leased && !this.spaces.has(room)) {
      const { redis, keys } = this.options;
      void RELEASE.run(redis.client, [keys.lease(room)], [this.options.instanceId]).catch(() => undefined);
    }
    this.kick(room);
  }

  /** Stops taking spaces, lets the events being handled here finish (up to `timeoutMs`), and hands the rest back. */
  async drain(timeoutMs: number): Promise<boolean> {
    this.stopping = true;
    if (this.spaces.size === 0) return true;
    const idle = new Promise<true>((resolve) => this.idleWaiters.push(() => resolve(true)));
    return (await within(idle, timeoutMs)) ?? false;
  }

  /** Stops every timer and every wait for Redis (after {@link drain}). */
  close(): void {
    this.stopping = true;
    this.closed = true;
    this.timers.forEach(clearInterval);
    this.timers = [];
  }

  /** Whether a new work loop for `room` may start here now. */
  private canTake(room: string): boolean {
    return (
      this.handler !== undefined &&
      !this.stopping &&
      !this.spaces.has(room) &&
      this.spaces.size < (this.options.maxSpaces ?? 100)
    );
  }

  /** Works on `room` here, unless it is already or there is no room for it. */
  private kick(room: string): void {
    const active = this.spaces.get(room);
    if (active) active.kicked = true;
    else if (this.canTake(room)) void this.work(room);
  }

  private acquire(room: string): Promise<boolean> {
    const { redis, keys, instanceId } = this.options;
    return ACQUIRE.run<number>(redis.client, [keys.lease(room)], [instanceId, this.leaseMs]).then(
      (r) => r === 1,
      () => false,
    );
  }

  /** Handles the space's events while this instance holds its lease (`leased`: already taken). */
  private async work(room: string, leased = false): Promise<void> {
    const entry = { kicked: false };
    this.spaces.set(room, entry);
    const { redis, keys, instanceId } = this.options;
    const stop = () => this.closed;
    try {
      let held = leased || (await this.acquire(room));
      while (held) {
        entry.kicked = false;
        const next = await untilRedisAnswers(
          () =>
            NEXT.run<[number, string?]>(
              redis.client,
              [keys.lease(room), keys.queue(room), keys.spaces],
              [instanceId, this.leaseMs, room],
            ),
          { stop },
        );
        const state = Number(next[0]);
        if (state === -1) break;
        if (state === 0) {
          // Released with nothing left; an event taken here meanwhile needs the lease again.
          held = entry.kicked && !this.stopping && (await this.acquire(room));
          continue;
        }
        if (this.stopping) {
          await RELEASE.run(redis.client, [keys.lease(room)], [instanceId]).catch(() => undefined); // others take it at once
          break;
        }
        held = await this.handleOne(room, String(next[1]));
      }
    } catch (err) {
      this.options.log.warn('stopped working on a space (another instance will take it over)', { roomId: room, err });
    } finally {
      this.spaces.delete(room);
      if (this.spaces.size === 0) for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  /** Handles the space's head event; resolves false when the lease turned out to be another's. */
  private async handleOne(room: string, eventId: string): Promise<boolean> {
    const { redis, keys, instanceId } = this.options;
    const stop = () => this.closed;
    const started = await untilRedisAnswers(
      () => START.run<StartAnswer>(redis.client, [keys.lease(room), keys.event(eventId)], [instanceId]),
      { stop },
    );
    if (Number(started[0]) === -1) return false;
    const log = this.options.log.child({ eventId });
    const envelope = Number(started[0]) === 1 ? parseEnvelope(started[2]) : undefined;
    if (!envelope) log.warn('queued event without a readable record (expired?): skipped', { roomId: room });
    else await this.handleTaken(room, eventId, envelope, started, log);
    const done = await untilRedisAnswers(
      () =>
        COMPLETE.run<number>(
          redis.client,
          [keys.lease(room), keys.queue(room), keys.event(eventId)],
          [instanceId, eventId, this.leaseMs],
        ),
      { stop },
    );
    return done === 1;
  }

  /** Runs an event started here, unless it was taken over from an instance that may have answered it. */
  private async handleTaken(
    room: string,
    eventId: string,
    envelope: WebhookEnvelope,
    started: StartAnswer,
    log: Logger,
  ): Promise<void> {
    const { redis, keys, instanceId } = this.options;
    const verdict = await decideTakeover(
      { attempts: Number(started[1]), posting: String(started[3] ?? ''), replies: Number(started[4] ?? 0) },
      {
        findPosted: this.findPosted,
        recordedReplies: async () => new Set((await redis.client.zRange(keys.sent(room), 0, -1)).map(String)),
        recordPosted: async (id) =>
          void (await POSTED.run(redis.client, [keys.event(eventId), keys.sent(room)], [id, Date.now(), SENT_KEEP_MS])),
        inDoubtMs: this.options.inDoubtMs ?? 10_000,
        maxAttempts: this.options.maxAttempts ?? 3,
        log,
      },
    ).catch((err: unknown) => {
      log.error('could not check whether a taken-over event was answered: not answering it again', { err });
      return { handle: false as const, reason: 'check failed' };
    });
    if (!verdict.handle) return;
    const journal = redisReplyJournal({
      client: redis.client,
      keys,
      instanceId,
      room,
      eventId,
      leaseMs: this.leaseMs,
      log,
    });
    await runEvent(this.handler!, envelope, { eventId, log, journal }, Date.now(), this.options.metrics);
  }

  private async renew(): Promise<void> {
    const { redis, keys, instanceId } = this.options;
    if (!redis.up) return;
    await Promise.all(
      [...this.spaces.keys()].map((room) =>
        RENEW.run(redis.client, [keys.lease(room)], [instanceId, this.leaseMs]).catch(() => undefined),
      ),
    );
  }

  /** Looks for spaces with pending events that no live instance works on. */
  private async sweep(): Promise<void> {
    const { redis, keys } = this.options;
    if (!redis.up || this.stopping) return;
    try {
      const rooms = await redis.client.sRandMemberCount(keys.spaces, 200);
      for (const room of rooms.map(String)) this.kick(room);
    } catch {
      // Redis went away between the check and the call: the next sweep tries again.
    }
  }
}
