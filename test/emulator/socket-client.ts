/**
 * A bare websocket client for the emulator's event sockets (`ws`), to look at the frames
 * themselves: what the server sends, in order, and how it closes.
 */
import WebSocket from 'ws';
import type { Emulator } from '../../src/emulator/index.js';
import type { Activity } from '../../src/emulator/socket/activity.js';

/** A frame received, parsed (`{ raw }` for text that is not JSON). */
export type Frame = Record<string, unknown> & { id?: string; type?: string; data?: Record<string, unknown> };

/** An open client socket with its received frames. */
export interface TestSocket {
  readonly ws: WebSocket;
  /** Resolves with the next frame not yet taken (rejects after `timeoutMs`, 15 s by default). */
  next(timeoutMs?: number): Promise<Frame>;
  /** Sends a frame (objects as JSON, strings as they are). */
  send(frame: unknown): void;
  /** Resolves once the server closed the socket. */
  readonly closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

/** Registers a device for `token` and returns its answer (`url`, `webSocketUrl`, ...). */
export async function registerDevice(
  emulator: Emulator,
  token: string,
  body: Record<string, unknown> = { deviceType: 'WEB', name: 'test' },
): Promise<{ status: number; device: Record<string, unknown> }> {
  const res = await fetch(`${emulator.url}/wdm/api/v1/devices`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, device: res.status === 200 ? ((await res.json()) as Record<string, unknown>) : {} };
}

/** Opens `url`; resolves once open (or rejects when the upgrade is refused). */
export function openSocket(url: string): Promise<TestSocket> {
  const ws = new WebSocket(url);
  const received: Frame[] = [];
  const waiting: Array<(f: Frame) => void> = [];
  ws.on('message', (raw) => {
    let frame: Frame;
    try {
      frame = JSON.parse(raw.toString()) as Frame;
    } catch {
      frame = { raw: raw.toString() };
    }
    const w = waiting.shift();
    if (w) w(frame);
    else received.push(frame);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)));
    ws.once('open', () =>
      resolve({
        ws,
        closed,
        send: (frame) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
        close: () => ws.close(),
        next(timeoutMs = 15_000) {
          const ready = received.shift();
          if (ready) return Promise.resolve(ready);
          return new Promise((res, rej) => {
            const timer = setTimeout(() => rej(new Error('no frame within the wait')), timeoutMs);
            waiting.push((f) => {
              clearTimeout(timer);
              res(f);
            });
          });
        },
      }),
    );
  });
}

/** A device for `token` with an authorized socket, the buffer state already read. */
export async function connectedDevice(
  emulator: Emulator,
  token: string,
): Promise<{ device: Record<string, unknown>; socket: TestSocket }> {
  const { device } = await registerDevice(emulator, token);
  const socket = await openSocket(String(device['webSocketUrl']));
  socket.send({ id: 'auth-1', type: 'authorization', data: { token: `Bearer ${token}` } });
  const first = await socket.next();
  if ((first.data as { eventType?: string } | undefined)?.eventType !== 'mercury.buffer_state')
    throw new Error(`expected the buffer state first, got ${JSON.stringify(first)}`);
  return { device, socket };
}

/** The activity of a `conversation.activity` frame. */
export function activityOf(frame: Frame): Activity {
  const data = frame.data as { eventType?: string; activity?: Activity } | undefined;
  if (data?.eventType !== 'conversation.activity' || !data.activity)
    throw new Error(`not an activity frame: ${JSON.stringify(frame)}`);
  return data.activity;
}
