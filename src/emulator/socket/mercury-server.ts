/**
 * The event socket of websocket mode: one websocket per registered device at
 * `ws://127.0.0.1:PORT/mercury/<deviceId>`, served with `ws` on the emulator's HTTP server.
 *
 * A connection must authorize first with the token of the device's owner (4401 otherwise; 4400
 * for a first frame that is not an authorization), then gets the buffer state, has its pings
 * answered and its acks ignored, and receives a `conversation.activity` frame for each Webex
 * event its owner may hear — the same events, by the same rules, as a webhook of that owner.
 * Events for a device with no open socket are missed, as with Webex. Deleting a device closes its
 * sockets with 1000 "Done" (the client does not reconnect); `drop` cuts them off without a close
 * frame (the client sees 1006 and reconnects).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { notFound } from '../errors.js';
import type { WebexEvent } from '../events.js';
import { personHears } from '../delivery/match.js';
import type { Core } from '../service/core.js';
import type { DeviceRecord } from '../state/devices.js';
import { activityFor, type Activity } from './activity.js';
import { activityFrame, bufferStateFrame, pongFrame, readClientFrame } from './frames.js';
import type { SocketFrameRecord } from './types.js';

/** Frame records kept for `frames()` (oldest are dropped first). */
const MAX_RECORDS = 2000;
/** A connection that has not authorized by then is closed. */
const AUTH_TIMEOUT_MS = 30_000;
/** Largest frame a client may send. */
const MAX_PAYLOAD = 64 * 1024;
const PATH = /^\/mercury\/([0-9a-f-]{36})$/;

interface Connection {
  readonly ws: WebSocket;
  readonly device: DeviceRecord;
  authorized: boolean;
  sequence: number;
  readonly authTimer: NodeJS.Timeout;
}

/** The emulator's event sockets. */
export class MercuryServer {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD });
  private readonly connections = new Set<Connection>();
  private readonly records: SocketFrameRecord[] = [];
  private readonly unsubscribe: Array<() => void>;
  private refusing = false;
  private stopped = false;

  /** @param origin the emulator's `http://127.0.0.1:PORT`, for conversation URLs */
  constructor(
    private readonly core: Core,
    private readonly origin: () => string,
  ) {
    this.unsubscribe = [
      core.bus.onWebexEvent((e) => this.push(e)),
      core.bus.onEvent((e) => {
        if (e.kind === 'device' && e.change === 'deleted') this.closeDevice(e.device.id, 1000, 'Done');
      }),
    ];
  }

  /** Serves an HTTP upgrade request of the emulator's server (anything but a device socket gets 404). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = new URL(req.url ?? '/', 'http://emulator.invalid').pathname;
    const deviceId = PATH.exec(path)?.[1];
    const device = deviceId ? this.core.devices.get(deviceId) : undefined;
    const refuse = (status: string, reason: string): void => {
      if (deviceId) this.core.bus.emit({ kind: 'socket', change: 'refused', deviceId, reason });
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (this.stopped) {
      refuse('503 Service Unavailable', 'the emulator is stopping');
      return;
    }
    if (!device) {
      refuse('404 Not Found', deviceId ? 'no such device' : 'not a device socket URL');
      return;
    }
    if (this.refusing) {
      refuse('503 Service Unavailable', 'sockets are refused (control API)');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, device));
  }

  /** Open (authorized) sockets of a device. */
  openSockets(deviceId: string): number {
    return [...this.connections].filter((c) => c.authorized && c.device.id === deviceId).length;
  }

  /** Cuts the open sockets (of one device, or all) off without a close frame; returns how many. */
  drop(deviceId?: string): number {
    const cut = [...this.connections].filter((c) => deviceId === undefined || c.device.id === deviceId);
    for (const c of cut) c.ws.terminate();
    return cut.length;
  }

  /** While on, new sockets are refused (HTTP 503 on the upgrade), as during an outage. */
  refuseSockets(on: boolean): void {
    this.refusing = on;
  }

  get refusingSockets(): boolean {
    return this.refusing;
  }

  /** Sends `text` as it is on a device's open sockets (to test clients with malformed frames); returns how many got it. */
  sendRaw(deviceId: string, text: string): number {
    if (!this.core.devices.get(deviceId)) throw notFound(`No device with id ${deviceId}`);
    const open = [...this.connections].filter((c) => c.authorized && c.device.id === deviceId);
    for (const c of open) c.ws.send(text);
    return open.length;
  }

  /** Copies of the frame records, oldest first. */
  frames(): SocketFrameRecord[] {
    return structuredClone(this.records);
  }

  /** Sends the activity of an earlier frame again, `copies` times, as a new frame each (Webex may deliver an activity twice). */
  resend(frameId: string, copies = 1): SocketFrameRecord[] {
    const source = this.records.find((r) => r.frameId === frameId);
    if (!source) throw notFound(`No socket frame with id ${frameId} (the emulator keeps the last ${MAX_RECORDS})`);
    const activity = (JSON.parse(source.body) as { data: { activity: Activity } }).data.activity;
    const device = this.core.devices.get(source.deviceId);
    if (!device) throw notFound(`The device of frame ${frameId} is gone`);
    const out: SocketFrameRecord[] = [];
    for (let i = 0; i < copies; i++) {
      out.push(
        this.sendActivity(
          device,
          activity,
          { resource: source.resource, event: source.event, dataId: source.dataId },
          source.resendOf ?? source.frameId,
        ),
      );
    }
    return structuredClone(out);
  }

  /** Closes every socket and stops taking new ones. */
  stop(): void {
    this.stopped = true;
    for (const u of this.unsubscribe) u();
    for (const c of this.connections) {
      clearTimeout(c.authTimer);
      c.ws.terminate();
    }
    this.connections.clear();
    this.wss.close();
  }

  private accept(ws: WebSocket, device: DeviceRecord): void {
    const authTimer = setTimeout(
      () => ws.close(1008, 'Authentication did not happen within the timeout window'),
      AUTH_TIMEOUT_MS,
    );
    authTimer.unref();
    const c: Connection = { ws, device, authorized: false, sequence: 0, authTimer };
    this.connections.add(c);
    ws.on('message', (raw, isBinary) => this.onFrame(c, isBinary ? '' : raw.toString()));
    ws.on('error', (err) => this.core.log.debug('socket error', { deviceId: device.id, err }));
    ws.on('close', (code, reason) => {
      clearTimeout(c.authTimer);
      this.connections.delete(c);
      if (c.authorized)
        this.core.bus.emit({
          kind: 'socket',
          change: 'closed',
          deviceId: device.id,
          ownerId: device.ownerId,
          code,
          reason: reason.toString(),
        });
    });
  }

  private onFrame(c: Connection, text: string): void {
    const frame = readClientFrame(text);
    if (!c.authorized) {
      clearTimeout(c.authTimer);
      if (frame.type !== 'authorization') {
        this.refuse(
          c,
          4400,
          `Expected an authorization frame first (got ${frame.type === 'other' ? frame.what : frame.type})`,
        );
        return;
      }
      const person = frame.token ? this.core.store.personByToken(frame.token) : undefined;
      if (!person || person.id !== c.device.ownerId) {
        this.refuse(c, 4401, 'Authorization failed: the token is not valid for this device');
        return;
      }
      c.authorized = true;
      c.ws.send(bufferStateFrame());
      this.core.bus.emit({ kind: 'socket', change: 'opened', deviceId: c.device.id, ownerId: c.device.ownerId });
      return;
    }
    if (frame.type === 'ping') c.ws.send(pongFrame(frame.id));
    else if (frame.type !== 'ack')
      this.core.log.debug('socket frame ignored', {
        deviceId: c.device.id,
        what: frame.type === 'other' ? frame.what : frame.type,
      });
  }

  private refuse(c: Connection, code: number, reason: string): void {
    this.core.bus.emit({ kind: 'socket', change: 'refused', deviceId: c.device.id, code, reason });
    c.ws.close(code, reason);
  }

  private closeDevice(deviceId: string, code: number, reason: string): void {
    for (const c of this.connections) if (c.device.id === deviceId) c.ws.close(code, reason);
  }

  /** Sends `e` to every device whose owner may hear it. */
  private push(e: WebexEvent): void {
    if (this.stopped) return;
    let activity: Activity | undefined;
    for (const device of this.core.devices.all()) {
      const owner = this.core.store.person(device.ownerId);
      if (!owner || !personHears(owner, e)) continue;
      try {
        activity ??= activityFor(e, this.core.store, this.origin());
      } catch (err) {
        this.core.log.warn('no socket activity for an event', { resource: e.resource, event: e.event, err });
        return;
      }
      if (!activity) return;
      this.sendActivity(device, activity, { resource: e.resource, event: e.event, dataId: e.data.id });
    }
  }

  private sendActivity(
    device: DeviceRecord,
    activity: Activity,
    what: Pick<SocketFrameRecord, 'resource' | 'event' | 'dataId'>,
    resendOf?: string,
  ): SocketFrameRecord {
    const frameId = randomUUID();
    const open = [...this.connections].filter((c) => c.authorized && c.device.id === device.id);
    let body = activityFrame(frameId, 0, activity);
    for (const c of open) {
      c.sequence += 1;
      body = activityFrame(frameId, c.sequence, activity);
      c.ws.send(body);
    }
    const record: SocketFrameRecord = {
      frameId,
      deviceId: device.id,
      ownerId: device.ownerId,
      ...what,
      verb: activity.verb,
      state: open.length > 0 ? 'sent' : 'missed',
      body,
      ...(resendOf ? { resendOf } : {}),
      sentAt: new Date().toISOString(),
    };
    this.records.push(record);
    if (this.records.length > MAX_RECORDS) this.records.shift();
    const { sentAt: _sentAt, ...event } = record;
    this.core.bus.emit({ kind: 'socket-frame', ...event });
    this.core.log.debug('socket frame', { deviceId: device.id, verb: activity.verb, state: record.state });
    return record;
  }
}
