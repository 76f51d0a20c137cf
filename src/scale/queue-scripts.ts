/**
 * The shared event queue's keys and its Lua scripts. Each script runs atomically in Redis, so
 * every step that must not be split (claim and enqueue; "anything left?" and release) is one.
 *
 * Keys, under the bot's namespace `ns`:
 * - `event:dedupe:<resource:event:data.id>` — the claim (the same key the embedded deduper uses);
 * - `q:<roomId>` — a list of the space's pending event ids, oldest first;
 * - `ev:<eventId>` — a hash: `envelope` (JSON), `acceptedAt`, `attempts` (handlings started),
 *   `replies` (replies recorded), `posting` (a reply POST under way: JSON `{ message, at }`);
 * - `spaces` — a set of the spaces with pending events;
 * - `lease:<roomId>` — which instance handles the space now (expires unless renewed);
 * - `sent:<roomId>` — a sorted set of the bot's recent reply ids in the space (by time);
 * - `reconciler` — which instance registers and watches the webhooks (`reconciler-lock.ts`).
 */
import { RedisScript } from './redis-client.js';

/** The key names of one bot's queue. */
export class QueueKeys {
  constructor(readonly ns: string) {}
  dedupe(eventKey: string): string {
    return `${this.ns}event:dedupe:${eventKey}`;
  }
  queue(room: string): string {
    return `${this.ns}q:${room}`;
  }
  event(eventId: string): string {
    return `${this.ns}ev:${eventId}`;
  }
  get spaces(): string {
    return `${this.ns}spaces`;
  }
  lease(room: string): string {
    return `${this.ns}lease:${room}`;
  }
  sent(room: string): string {
    return `${this.ns}sent:${room}`;
  }
  get reconciler(): string {
    return `${this.ns}reconciler`;
  }
}

/**
 * Claim and enqueue, or report the earlier claim; and, when asked (`ARGV[8]` = me), take the
 * space's lease if nobody holds it — in the same step, so the instance that took the event
 * handles it unless the space is already being handled. KEYS: dedupe, queue, event, spaces,
 * lease. ARGV: claim value (JSON), claim ttl, envelope JSON, room, now, event id, event hash
 * ttl, me ('' = do not take the lease), lease ttl.
 * Reply: `{1, leaseTaken}` taken, `{0, claimValue}` a duplicate.
 */
export const ACCEPT = new RedisScript(`
local prior = redis.call('GET', KEYS[1])
if prior then return {0, prior} end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('HSET', KEYS[3], 'envelope', ARGV[3], 'acceptedAt', ARGV[5], 'attempts', 0, 'replies', 0)
redis.call('PEXPIRE', KEYS[3], ARGV[7])
redis.call('RPUSH', KEYS[2], ARGV[6])
redis.call('SADD', KEYS[4], ARGV[4])
if ARGV[8] ~= '' and redis.call('SET', KEYS[5], ARGV[8], 'NX', 'PX', ARGV[9]) then return {1, 1} end
return {1, 0}
`);

/** Takes (or keeps) a lease. KEYS: lease. ARGV: me, ttl. Reply: 1 held by me, 0 held by another. */
export const ACQUIRE = new RedisScript(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
`);

/** Extends a lease of mine. KEYS: lease. ARGV: me, ttl. Reply: 1, or 0 when it is not mine. */
export const RENEW = new RedisScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`);

/** Gives a lease of mine up. KEYS: lease. ARGV: me. Reply: 1 released, 0 not mine. */
export const RELEASE = new RedisScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
`);

/**
 * The space's next event, or — nothing left — the lease released and the space off the set,
 * in one step (so an event enqueued meanwhile is never stranded). KEYS: lease, queue, spaces.
 * ARGV: me, ttl, room. Reply: `{1, eventId}`, `{0}` released, `{-1}` the lease is not mine.
 */
export const NEXT = new RedisScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {-1} end
local id = redis.call('LINDEX', KEYS[2], 0)
if not id then
  redis.call('DEL', KEYS[1])
  redis.call('SREM', KEYS[3], ARGV[3])
  return {0}
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {1, id}
`);

/**
 * Starts handling an event: counts the attempt, returns what earlier holders left. KEYS: lease,
 * event. ARGV: me. Reply: `{1, attemptsBefore, envelope, posting, replies}`, `{0}` no such event,
 * `{-1}` the lease is not mine.
 */
export const START = new RedisScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {-1} end
if redis.call('EXISTS', KEYS[2]) == 0 then return {0} end
local before = redis.call('HINCRBY', KEYS[2], 'attempts', 1) - 1
local envelope = redis.call('HGET', KEYS[2], 'envelope') or ''
local posting = redis.call('HGET', KEYS[2], 'posting') or ''
local replies = redis.call('HGET', KEYS[2], 'replies') or '0'
return {1, before, envelope, posting, replies}
`);

/**
 * Done with the space's head event: off the queue, its hash deleted. KEYS: lease, queue, event.
 * ARGV: me, event id, ttl. Reply: 1, or 0 when the lease is not mine (another instance has it).
 */
export const COMPLETE = new RedisScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if redis.call('LINDEX', KEYS[2], 0) == ARGV[2] then redis.call('LPOP', KEYS[2]) end
redis.call('DEL', KEYS[3])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`);

/**
 * Before a reply's POST: only while this instance holds the space and the event is still its
 * head, record the POST under way. KEYS: lease, queue, event. ARGV: me, event id, ttl, posting
 * JSON. Reply: 1 go ahead, 0 do not post.
 */
export const FENCE = new RedisScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if redis.call('LINDEX', KEYS[2], 0) ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[3], 'posting', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`);

/**
 * After a reply's POST: the reply counted and its id kept with the space's recent replies.
 * KEYS: event, sent. ARGV: message id, now, how long recent replies are kept (ms).
 */
export const POSTED = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HDEL', KEYS[1], 'posting')
  redis.call('HINCRBY', KEYS[1], 'replies', 1)
end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', tonumber(ARGV[2]) - tonumber(ARGV[3]))
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return 1
`);
