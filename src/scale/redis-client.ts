/**
 * The bot's one Redis connection (`REDIS_URL`), shared by the stores, the event queue and the
 * reconciler lock.
 *
 * - **At start** the connection must come up within a few seconds, or start-up fails with a
 *   {@link StartupError} `REDIS_UNREACHABLE` naming the URL (password hidden): a bot that cannot
 *   claim events in the shared store must not take any.
 * - **While running**, commands never wait for a lost connection (no offline queue): they fail at
 *   once, so a webhook is answered 503 rather than held. The client reconnects by itself (backoff
 *   up to 2 s), and `onChange` tells whether Redis is usable, for readiness.
 * - A Redis that stops answering without closing the socket is noticed by a ping every second
 *   and a socket that hears nothing for 5 s.
 */
import { createClient, type RedisClientType } from '@redis/client';
import { StartupError } from '../errors.js';
import type { Logger } from '../logging.js';

/** The client type used throughout `src/scale/`. */
export type Redis = RedisClientType;

/** A connected Redis. */
export interface SharedRedis {
  readonly client: Redis;
  /** Whether Redis answers now. */
  readonly up: boolean;
  /** `REDIS_URL` with any password replaced by `***`, for messages. */
  readonly where: string;
  /** Told each time Redis becomes unusable (`false`) or usable again (`true`). */
  onChange(listener: (up: boolean) => void): void;
  /** Closes the connection (pending commands are answered first when Redis is up). */
  close(): Promise<void>;
}

/** Options of {@link connectRedis}. */
export interface ConnectRedisOptions {
  readonly url: string;
  readonly log: Logger;
  /** How long start-up waits for the first connection (default 5 s). */
  readonly connectTimeoutMs?: number;
}

/** `url` with its password (if any) hidden. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable REDIS_URL)';
  }
}

function reasonOf(err: unknown): string {
  const e = err as { code?: string; message?: string; errors?: unknown[] };
  if (Array.isArray(e?.errors) && e.errors.length > 0) return reasonOf(e.errors[0]);
  return [e?.code, e?.message].filter(Boolean).join(': ') || String(err);
}

/** The connection, and whether Redis answers on it now. */
class RedisConnection implements SharedRedis {
  readonly client: Redis;
  readonly where: string;
  private readonly listeners: Array<(up: boolean) => void> = [];
  private readonly connectTimeoutMs: number;
  private connectedOnce = false;
  private closing = false;
  private isUp = false;
  private lastError: unknown;

  constructor(private readonly options: ConnectRedisOptions) {
    this.where = redactRedisUrl(options.url);
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5000;
    this.client = createClient({
      url: options.url,
      disableOfflineQueue: true,
      pingInterval: 1000,
      socket: {
        connectTimeout: this.connectTimeoutMs,
        socketTimeout: 15_000,
        // Before the first connection, give up quickly (start-up reports it); after, retry for ever.
        reconnectStrategy: (retries, cause) => {
          if (!this.connectedOnce) return retries >= 3 ? cause : 250;
          return Math.min(100 * 2 ** retries, 2000);
        },
      },
    }) as Redis;
    this.client.on('error', (err: unknown) => this.onError(err));
    this.client.on('reconnecting', () => this.set(false));
    this.client.on('end', () => this.set(false));
    this.client.on('ready', () => {
      if (this.connectedOnce && !this.isUp) options.log.info('connected to Redis again', { redis: this.where });
      this.connectedOnce = true;
      this.set(true);
    });
  }

  get up(): boolean {
    return this.isUp;
  }

  onChange(listener: (up: boolean) => void): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    this.closing = true;
    if (!this.client.isOpen) return;
    if (this.isUp) await this.client.close().catch(() => this.client.destroy());
    else this.client.destroy();
  }

  /** The first connection, within the time given, answering a ping; else `REDIS_UNREACHABLE`. */
  async connect(): Promise<void> {
    const { client, connectTimeoutMs } = this;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        client.connect(),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${connectTimeoutMs / 1000} s`)),
            connectTimeoutMs,
          );
        }),
      ]);
      await client.ping();
    } catch (err) {
      client.destroy();
      throw new StartupError(
        'REDIS_UNREACHABLE',
        `Could not connect to Redis at ${this.where} (REDIS_URL): ${reasonOf(this.lastError ?? err)}. Check that Redis runs and is reachable from here; unset REDIS_URL to run a single instance on the embedded stores.`,
        { cause: err },
      );
    } finally {
      clearTimeout(timer);
    }
  }

  private onError(err: unknown): void {
    this.lastError = err;
    if (this.connectedOnce && this.isUp)
      this.options.log.warn('lost the connection to Redis: events are refused (503) until it is back', {
        redis: this.where,
        reason: reasonOf(err),
      });
    this.set(false);
  }

  private set(next: boolean): void {
    if (next === this.isUp || this.closing) return; // a connection closed on purpose is not a lost Redis
    this.isUp = next;
    this.listeners.forEach((l) => {
      l(next);
    });
  }
}

/**
 * Connects to Redis, or fails start-up with a message fit for the operator.
 * @throws {StartupError} `REDIS_UNREACHABLE`
 */
export async function connectRedis(options: ConnectRedisOptions): Promise<SharedRedis> {
  const connection = new RedisConnection(options);
  await connection.connect();
  return connection;
}

export { RedisScript } from '../store/redis-script.js';
