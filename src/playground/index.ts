/**
 * The chat playground: a browser page, served by the emulator at `/`, where you talk to the bot
 * as a person, see its replies and Adaptive Cards as Webex draws them, and see the webhooks and
 * API calls behind each exchange. The page is a client of the emulator's control API only.
 */
export { createPlaygroundRouter, PLAYGROUND_VENDOR_FILES } from './router.js';
