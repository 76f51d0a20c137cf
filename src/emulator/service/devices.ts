/**
 * The device service (Webex's "WDM") as a websocket-mode client uses it: register a device,
 * refresh it, delete it (which ends its socket), or delete all of one's devices.
 */
import { badRequest, notFound } from '../errors.js';
import { uuidOf } from '../ids.js';
import { deviceView, type DeviceRecord } from '../state/devices.js';
import type { Device, DeviceEvent } from '../socket/types.js';
import type { Person } from '../types.js';
import type { Core } from './core.js';

/** A device as the control API and events show it (`sockets` is added by the socket server). */
export function publicDevice(d: DeviceRecord): Omit<Device, 'sockets'> {
  return {
    id: d.id,
    ownerId: d.ownerId,
    url: d.url,
    webSocketUrl: d.webSocketUrl,
    deviceType: d.deviceType,
    name: d.name,
    created: d.created,
    modified: d.modified,
  };
}

function announce(core: Core, change: DeviceEvent['change'], d: DeviceRecord): void {
  core.bus.emit({ kind: 'device', change, device: publicDevice(d) });
}

function optional<T>(body: Record<string, unknown>, key: string, type: 'string' | 'number'): T | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== type) throw badRequest(`${key} must be a ${type}`);
  return v as T;
}

/** The device of `id` if `caller` owns it; 404 otherwise (as Webex answers for a device that is gone). */
export function ownDevice(core: Core, caller: Person, id: string): DeviceRecord {
  const d = core.devices.get(id);
  if (!d || d.ownerId !== caller.id) throw notFound('Could not find a device with the provided id');
  return d;
}

/** `POST /wdm/api/v1/devices`: registers a device and answers with its URLs. */
export function registerDevice(
  core: Core,
  caller: Person,
  origin: string,
  body: Record<string, unknown>,
): Record<string, unknown> {
  const d = core.devices.register(
    caller.id,
    origin,
    {
      name: optional<string>(body, 'name', 'string') ?? 'webex-skill-bot',
      deviceType: optional<string>(body, 'deviceType', 'string') ?? 'WEB',
      model: optional<string>(body, 'model', 'string') ?? 'web',
      ttl: optional<number>(body, 'ttl', 'number'),
    },
    core.store.now(),
  );
  core.log.debug('device registered', { deviceId: d.id, ownerId: caller.id });
  announce(core, 'registered', d);
  return deviceView(d, uuidOf(caller.id) ?? caller.id);
}

/** `PUT /wdm/api/v1/devices/{id}`: refreshes a device (404 when it is gone: the client registers anew). */
export function refreshDevice(core: Core, caller: Person, id: string): Record<string, unknown> {
  const d = ownDevice(core, caller, id);
  d.modified = core.store.now();
  announce(core, 'refreshed', d);
  return deviceView(d, uuidOf(caller.id) ?? caller.id);
}

/** `DELETE /wdm/api/v1/devices/{id}`: removes a device; its sockets are closed (1000, "Done"). */
export function deleteDevice(core: Core, caller: Person, id: string): void {
  const d = ownDevice(core, caller, id);
  core.devices.remove(d.id);
  core.log.debug('device deleted', { deviceId: d.id });
  announce(core, 'deleted', d);
}

/** `DELETE /wdm/api/v1/devices`: removes every device of the caller. */
export function deleteAllDevices(core: Core, caller: Person): number {
  const mine = core.devices.ownedBy(caller.id);
  for (const d of mine) deleteDevice(core, caller, d.id);
  return mine.length;
}
