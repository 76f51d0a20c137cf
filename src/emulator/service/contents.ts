/**
 * Files posted with messages: stored as uploaded, served at `/v1/contents/{id}` to the members
 * of the message's space (the bearer token decides who asks), with the name, type and size in
 * the headers, as Webex serves them (`Content-Disposition`, `Content-Type`, `Content-Length`).
 */
import contentDisposition from 'content-disposition';
import { ApiError, badRequest } from '../errors.js';
import { mintId } from '../ids.js';
import type { ContentRecord } from '../state/store.js';
import type { Core } from './core.js';
import { MAX_UPLOAD_BYTES } from '../../protocol/limits.js';

/** A file as uploaded (multipart `files` part, or the in-process and control APIs). */
export interface Upload {
  readonly name: string;
  /** The media type given with it (default `application/octet-stream`). */
  readonly type?: string | undefined;
  readonly bytes: Buffer;
}

/** The path of a content under the API (`/v1/contents/{id}`). */
export function contentPath(id: string): string {
  return `/v1/contents/${id}`;
}

/** The content id in a content URL, or `undefined` when the URL is not one of this emulator's. */
export function contentIdOf(url: string): string | undefined {
  try {
    const m = /^\/v1\/contents\/([^/]+)$/.exec(new URL(url).pathname);
    return m?.[1];
  } catch {
    return undefined;
  }
}

/** Checks an upload as Webex would (a name, a size within the limit); 400/413 otherwise. */
export function checkUpload(upload: Upload): void {
  if (upload.name.trim() === '') throw badRequest('A file needs a file name (the filename of its form-data part)');
  if (upload.bytes.length === 0) throw badRequest(`The file "${upload.name}" is empty`);
  if (upload.bytes.length > MAX_UPLOAD_BYTES)
    throw new ApiError(413, `The file "${upload.name}" is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`);
}

/** Stores `upload` for a message about to be posted in `roomId`; returns its absolute content URL. */
export function storeUpload(core: Core, roomId: string, upload: Upload, origin: string): string {
  checkUpload(upload);
  const id = mintId('CONTENT');
  core.store.addContent({
    id,
    roomId,
    messageId: '',
    // Only the last path segment: a client may send a path, Webex keeps the name.
    name: upload.name.split(/[\\/]/).pop()!.trim(),
    type: upload.type?.trim() || 'application/octet-stream',
    bytes: upload.bytes,
    created: core.store.now(),
  });
  return `${origin}${contentPath(id)}`;
}

/** Ties the stored file of `url` to the message it was posted with. */
export function attachContent(core: Core, url: string, messageId: string): void {
  const id = contentIdOf(url);
  const record = id ? core.store.content(id) : undefined;
  if (record) record.messageId = messageId;
}

/** The headers a content answer carries (for GET and HEAD alike). */
export function contentHeaders(record: ContentRecord): Record<string, string> {
  return {
    'Content-Type': record.type,
    'Content-Length': String(record.bytes.length),
    'Content-Disposition': contentDisposition(record.name, { type: 'attachment' }),
  };
}
