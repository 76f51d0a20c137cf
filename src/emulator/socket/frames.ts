/**
 * The frames of Webex's event socket ("Mercury"), server side. Every frame the server sends has
 * an `id` (the client acknowledges each by it); events carry `data.eventType`.
 *
 * - client → server: `{id, type: 'authorization', data: {token: 'Bearer …'}}` first, then
 *   `{id, type: 'ping'}` now and then, and `{messageId, type: 'ack'}` for every frame received;
 * - server → client: `{id, data: {eventType: 'mercury.buffer_state'}}` right after a good
 *   authorization (the client waits for it before it counts as connected), `{id, type: 'pong'}`
 *   with the ping's id, and `{id, sequenceNumber, data: {eventType: 'conversation.activity', activity}}`.
 */
import { randomUUID } from 'node:crypto';
import { mintTrackingId } from '../ids.js';
import type { Activity } from './activity.js';

/** The first frame after a good authorization. */
export function bufferStateFrame(): string {
  return JSON.stringify({ id: randomUUID(), data: { eventType: 'mercury.buffer_state' } });
}

/** The answer to a ping (same id). */
export function pongFrame(pingId: string): string {
  return JSON.stringify({ id: pingId, type: 'pong' });
}

/** An event frame carrying `activity`. */
export function activityFrame(frameId: string, sequenceNumber: number, activity: Activity): string {
  return JSON.stringify({
    id: frameId,
    sequenceNumber,
    timestamp: Date.now(),
    trackingId: mintTrackingId('MERCURY'),
    data: { eventType: 'conversation.activity', activity },
  });
}

/** A frame from the client, as far as the server reads it. */
export type ClientFrame =
  | { readonly type: 'authorization'; readonly token: string | undefined }
  | { readonly type: 'ping'; readonly id: string }
  | { readonly type: 'ack' }
  | { readonly type: 'other'; readonly what: string };

/** Reads one client frame; `other` for anything not understood (the server ignores those). */
export function readClientFrame(text: string): ClientFrame {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return { type: 'other', what: 'not JSON' };
  }
  if (typeof frame !== 'object' || frame === null) return { type: 'other', what: 'not a JSON object' };
  const f = frame as Record<string, unknown>;
  if (f['type'] === 'authorization') {
    const data = f['data'] as Record<string, unknown> | undefined;
    const raw = typeof data?.['token'] === 'string' ? data['token'] : undefined;
    return { type: 'authorization', token: raw?.replace(/^Bearer\s+/i, '').trim() || undefined };
  }
  if (f['type'] === 'ping' && typeof f['id'] === 'string') return { type: 'ping', id: f['id'] };
  if (f['type'] === 'ack') return { type: 'ack' };
  return { type: 'other', what: `type ${JSON.stringify(f['type'] ?? null)}` };
}
