/**
 * What every emulator operation works on: the data, the event streams and the logger.
 */
import type { Logger } from '../../logging.js';
import type { EventBus } from '../events.js';
import type { DeviceRegistry } from '../state/devices.js';
import type { Store } from '../state/store.js';

/** The emulator's shared context, passed to every service function. */
export interface Core {
  readonly store: Store;
  readonly bus: EventBus;
  /** Devices registered for websocket mode. */
  readonly devices: DeviceRegistry;
  readonly log: Logger;
  /** The bot's person id (set once the bot exists). */
  botId: string;
}
