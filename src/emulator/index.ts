/**
 * The local Webex emulator: Webex's REST API subset, webhook delivery, websocket mode (device
 * service and event sockets), fault injection and a control API, on 127.0.0.1, for running and
 * testing the bot offline.
 *
 * @example
 * import { startEmulator } from './emulator/index.js';
 * const emulator = await startEmulator({ delivery: { retryDelaysMs: [50] } });
 * const { alice, directRoom } = emulator.seed!;
 * const reply = emulator.waitForMessage({ roomId: directRoom.id, personId: emulator.bot.id });
 * await emulator.say({ personId: alice.id, roomId: directRoom.id, text: 'help' });
 * console.log((await reply).text);
 * await emulator.stop();
 */
export { startEmulator, DEFAULT_BOT_EMAIL, DEFAULT_BOT_NAME } from './emulator.js';
export { createEmulatorApp } from './server.js';
export { ApiError } from './errors.js';
export { mintId, decodeId, isIdOf, mintToken, isRealFormatToken, uuidOf, membershipId } from './ids.js';
// One signer for both sides: `signBody(secret, rawBody)`, as Webex computes X-Spark-Signature.
export { signBody } from '../protocol/signature.js';
export { DEFAULT_DELIVERY } from './delivery/settings.js';
export { MAX_MESSAGE_BYTES, ADAPTIVE_CARD_CONTENT_TYPE } from '../protocol/limits.js';
export type {
  ApiCallEvent,
  Attachment,
  AttachmentAction,
  DeliveryAttempt,
  DeliveryEvent,
  DeliveryOptions,
  DeliveryRecord,
  Device,
  DeviceEvent,
  DuplicateOptions,
  Emulator,
  EmulatorEvent,
  EmulatorOptions,
  EmulatorSeed,
  FaultPhase,
  FaultRule,
  FileInput,
  Membership,
  Message,
  MessageMatch,
  Person,
  RedeliverOptions,
  RedeliveryCause,
  Room,
  RoomState,
  SayInput,
  SeedPerson,
  SocketEvent,
  SocketFrameEvent,
  SocketFrameRecord,
  StoredFile,
  Webhook,
  WebhookResource,
} from './types.js';
