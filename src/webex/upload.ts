/**
 * A file the bot posts (`POST /messages` as `multipart/form-data`, the SDK's `messages.create`
 * with `files`), in a form that survives a retry: the governor may send a call again (after a
 * 429, or when it provably never left), and a stream that was read once cannot be read again.
 * So an upload names how to open its bytes, and each attempt opens them afresh (see
 * `govern-requests.ts`).
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';

/** The bytes of a file to post: in memory, or a file on disk read afresh for each attempt. */
export type UploadBytes = { readonly buffer: Buffer } | { readonly path: string };

/** A file to post with a message. */
export class UploadFile {
  constructor(
    readonly name: string,
    readonly type: string,
    readonly bytes: UploadBytes,
    /** Its size in bytes (for the form's part length). */
    readonly size: number,
  ) {}

  /** The form-data part of one attempt, as the SDK's HTTP client (`request`) takes it. */
  part(): { value: Buffer | Readable; options: { filename: string; contentType: string; knownLength: number } } {
    const value = 'buffer' in this.bytes ? this.bytes.buffer : createReadStream(this.bytes.path);
    return { value, options: { filename: this.name, contentType: this.type, knownLength: this.size } };
  }
}

/**
 * The options of one attempt of a call: any {@link UploadFile} in its `formData.files` becomes a
 * freshly opened form part. Other calls are returned as they are.
 */
export function withFreshUploads<T extends object>(options: T): T {
  const form = (options as { formData?: { files?: unknown } }).formData;
  if (!form || !Array.isArray(form.files) || !form.files.some((f) => f instanceof UploadFile)) return options;
  return {
    ...options,
    formData: { ...form, files: form.files.map((f: unknown) => (f instanceof UploadFile ? f.part() : f)) },
  };
}
