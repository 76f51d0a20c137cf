/**
 * Registered devices: what a Webex client (the SDK in websocket mode) registers with the
 * device service before it opens its event socket. Each device belongs to the person whose
 * token registered it and has its own socket URL.
 */
import { randomUUID } from 'node:crypto';

/** A device as the emulator keeps it. */
export interface DeviceRecord {
  /** A uuid; the last segment of `url` and of `webSocketUrl`. */
  readonly id: string;
  readonly ownerId: string;
  /** `http://127.0.0.1:PORT/wdm/api/v1/devices/<id>`: refreshed with PUT, removed with DELETE. */
  readonly url: string;
  /** `ws://127.0.0.1:PORT/mercury/<id>`: the event socket of this device. */
  readonly webSocketUrl: string;
  readonly name: string;
  readonly deviceType: string;
  readonly model: string;
  /** Seconds the registration lives without a refresh, as the client asked (informational). */
  readonly ttl: number | undefined;
  readonly created: string;
  modified: string;
}

/** What the device service answers for a registration or a refresh. */
export function deviceView(d: DeviceRecord, userUuid: string): Record<string, unknown> {
  return {
    url: d.url,
    webSocketUrl: d.webSocketUrl,
    userId: userUuid,
    deviceType: d.deviceType,
    name: d.name,
    model: d.model,
    ...(d.ttl !== undefined ? { ttl: d.ttl } : {}),
    creationTime: d.created,
    modificationTime: d.modified,
    // No feature toggles: the SDK then keeps to its plain paths (no high-availability URL rewriting).
    features: { developer: [], entitlement: [], user: [] },
  };
}

/** The devices of one emulator. */
export class DeviceRegistry {
  private readonly devices = new Map<string, DeviceRecord>();

  /** Registers a new device for `ownerId`, with URLs on `origin` (`http://host:port`). */
  register(
    ownerId: string,
    origin: string,
    fields: { name: string; deviceType: string; model: string; ttl: number | undefined },
    now: string,
  ): DeviceRecord {
    const id = randomUUID();
    const device: DeviceRecord = {
      id,
      ownerId,
      url: `${origin}/wdm/api/v1/devices/${id}`,
      webSocketUrl: `${origin.replace(/^http/, 'ws')}/mercury/${id}`,
      ...fields,
      created: now,
      modified: now,
    };
    this.devices.set(id, device);
    return device;
  }

  get(id: string): DeviceRecord | undefined {
    return this.devices.get(id);
  }

  remove(id: string): DeviceRecord | undefined {
    const d = this.devices.get(id);
    this.devices.delete(id);
    return d;
  }

  ownedBy(ownerId: string): DeviceRecord[] {
    return [...this.devices.values()].filter((d) => d.ownerId === ownerId);
  }

  all(): DeviceRecord[] {
    return [...this.devices.values()];
  }
}
