/**
 * What the emulator reports about websocket mode: devices, their sockets, and the frames it
 * pushed on them (`onEvent`, the control API's SSE, the chat playground).
 */

/** A registered device, as the control API shows it. */
export interface Device {
  id: string;
  ownerId: string;
  url: string;
  webSocketUrl: string;
  deviceType: string;
  name: string;
  created: string;
  modified: string;
  /** Sockets open (authorized) on this device now. */
  sockets: number;
}

/** A device was registered, refreshed or deleted. */
export interface DeviceEvent {
  kind: 'device';
  at: string;
  change: 'registered' | 'refreshed' | 'deleted';
  device: Omit<Device, 'sockets'>;
}

/** A device's socket opened (authorized), closed, or was refused before opening. */
export interface SocketEvent {
  kind: 'socket';
  at: string;
  change: 'opened' | 'closed' | 'refused';
  deviceId: string;
  ownerId?: string;
  /** The close code (4401 for a bad token, 1000 when the device was deleted...). */
  code?: number;
  reason?: string;
}

/** A `conversation.activity` frame the emulator pushed (or could not push) to a device. */
export interface SocketFrameEvent {
  kind: 'socket-frame';
  at: string;
  frameId: string;
  deviceId: string;
  ownerId: string;
  /** The Webex event the frame carries (as a webhook would name it). */
  resource: string;
  event: string;
  /** The id of what it is about (message, card submission, membership, space), as REST names it. */
  dataId: string;
  /** The activity's verb: post, delete, cardAction, add, leave, create. */
  verb: string;
  /** `sent` on an open socket; `missed` when the device had no open socket (Webex does not keep them). */
  state: 'sent' | 'missed';
  /** The frame's JSON text. */
  body: string;
  /** For a resent frame: the frame it repeats. */
  resendOf?: string;
}

/** A frame the emulator pushed, as `socketFrames()` lists it. */
export type SocketFrameRecord = Omit<SocketFrameEvent, 'kind' | 'at'> & { sentAt: string };
