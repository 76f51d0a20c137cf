/**
 * Webex's rules for message content, each with its own 400 message.
 */
import { badRequest } from '../errors.js';
import { ADAPTIVE_CARD_CONTENT_TYPE as CARD_CONTENT_TYPE, MAX_MESSAGE_BYTES } from '../../protocol/limits.js';
import { isRecord as isPlainObject } from '../../util/is-record.js';
import type { Attachment } from '../types.js';

/** Webex lets the author edit a message at most this many times; the next edit is a 400. */
export const MAX_MESSAGE_EDITS = 10;

/** Reads an optional string field; 400 when present with another type. */
export function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw badRequest(`${key} must be a string`);
  return v;
}

/** 400 when a content field is over Webex's size limit. */
export function checkSize(field: 'text' | 'markdown' | 'html', value: string | undefined): void {
  if (value === undefined) return;
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > MAX_MESSAGE_BYTES) {
    throw badRequest(`${field} is ${bytes} bytes long; a message's ${field} can be at most ${MAX_MESSAGE_BYTES} bytes`);
  }
}

/**
 * Validates `attachments`: at most one, an Adaptive Card with `type: AdaptiveCard` and a `version`.
 * Returns the attachments to store, or undefined when there are none.
 */
export function checkAttachments(value: unknown): Attachment[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw badRequest('attachments must be an array');
  if (value.length === 0) return undefined;
  if (value.length > 1) throw badRequest(`Only one attachment per message is supported (got ${value.length})`);
  const a: unknown = value[0];
  if (!isPlainObject(a)) throw badRequest('An attachment must be an object with contentType and content');
  if (a['contentType'] !== CARD_CONTENT_TYPE) {
    throw badRequest(
      `Unsupported attachment contentType ${JSON.stringify(a['contentType'] ?? null)}: only '${CARD_CONTENT_TYPE}' is supported`,
    );
  }
  const content = a['content'];
  if (!isPlainObject(content)) throw badRequest('The attachment content must be an Adaptive Card object');
  if (content['type'] !== 'AdaptiveCard')
    throw badRequest(
      `The Adaptive Card content must have "type": "AdaptiveCard" (got ${JSON.stringify(content['type'] ?? null)})`,
    );
  if (typeof content['version'] !== 'string' || content['version'].length === 0) {
    throw badRequest('The Adaptive Card content must have a "version" (for example "1.3")');
  }
  return [{ contentType: CARD_CONTENT_TYPE, content: structuredClone(content) }];
}
