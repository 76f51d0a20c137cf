/**
 * Webex's wire facts about content and endpoints, in one place for the bot and the emulator.
 * Each is described in `docs/webex-facts.md`.
 */

/** Webex's public REST API base URL. */
export const WEBEX_CLOUD_API_URL = 'https://webexapis.com/v1';

/** Largest `text`, `markdown` or `html` of one message, in UTF-8 bytes. */
export const MAX_MESSAGE_BYTES = 7439;

/** The content type of an Adaptive Card attachment: the only attachment kind Webex accepts. */
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** Newest Adaptive Card schema version Webex clients render. */
export const WEBEX_MAX_CARD_VERSION = '1.3';

/** Largest file Webex takes in one message (100 MB). */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;
