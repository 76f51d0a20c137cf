/**
 * What the control API needs of a running emulator: its public API plus a few helpers. The
 * emulator implements it; the control routes depend on this interface only, not on the class.
 */
import type { ActiveFault } from '../faults.js';
import type { Emulator, RoomState } from '../types.js';

/** The control API's view of a running emulator. */
export interface ControlledEmulator extends Emulator {
  /** The space with its member ids; 404 `ApiError` for an unknown id. */
  roomState(roomId: string): RoomState;
  /** Pending fault rules. */
  faultRules(): ActiveFault[];
  /** Whether new event sockets are being refused (`refuseSockets`). */
  readonly refusingSockets: boolean;
}
