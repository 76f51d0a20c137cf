/**
 * A file a skill sends, made ready to post: bytes in memory stay there; a file on disk is read
 * from disk (again for each attempt); a stream is copied to a temporary file first, since a
 * stream can be read once and a post may need a second attempt (after a 429). Webex takes files
 * up to 100 MB; a bigger one is refused here ({@link FileTooLargeError}) before anything is posted.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FileTooLargeError } from '../errors.js';
import type { OutgoingFileData } from './inbound.js';
import type { OutgoingFile } from '../skill-kit/types.js';
import { ByteCap } from '../util/byte-cap.js';
import { MAX_UPLOAD_BYTES } from '../protocol/limits.js';

/** A file ready to post, and what to clean up once it is posted (or not). */
export interface PreparedFile {
  readonly file: OutgoingFileData;
  dispose(): Promise<void>;
}

/** The file name to show: its last path segment, trimmed (a name, never a path). */
export function displayName(name: string): string {
  const last = String(name).split(/[\\/]/).pop()?.trim() ?? '';
  return last === '' || last === '.' || last === '..' ? 'file' : last;
}

/** Copies `stream` to a new temporary file, refusing more than `maxBytes`. */
async function spool(
  stream: Readable,
  name: string,
  maxBytes: number,
): Promise<{ path: string; size: number; dir: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'webex-skill-bot-upload-'));
  const file = path.join(dir, 'file');
  const count = new ByteCap(maxBytes, name);
  try {
    await pipeline(stream, count, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return { path: file, size: count.bytes, dir };
}

/**
 * Makes `input` ready to post.
 * @throws {FileTooLargeError} over `maxBytes` (default Webex's 100 MB)
 * @throws {TypeError} when it has neither `data` nor `path`
 */
export async function prepareFile(input: OutgoingFile, maxBytes = MAX_UPLOAD_BYTES): Promise<PreparedFile> {
  const name = displayName(input.name);
  const type = input.type?.trim() || 'application/octet-stream';
  const nothing = async (): Promise<void> => undefined;
  if (input.path !== undefined) {
    const found = await stat(input.path);
    if (!found.isFile()) throw new TypeError(`reply.file: "${input.path}" is not a file`);
    const { size } = found;
    if (size > maxBytes) throw new FileTooLargeError(name, maxBytes, size);
    return { file: { name, type, size, path: input.path }, dispose: nothing };
  }
  const { data } = input;
  if (data instanceof Readable) {
    const spooled = await spool(data, name, maxBytes);
    return {
      file: { name, type, size: spooled.size, path: spooled.path },
      dispose: () => rm(spooled.dir, { recursive: true, force: true }),
    };
  }
  if (data instanceof Uint8Array) {
    const buffer = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    if (buffer.length > maxBytes) throw new FileTooLargeError(name, maxBytes, buffer.length);
    return { file: { name, type, size: buffer.length, buffer }, dispose: nothing };
  }
  throw new TypeError('reply.file: give the file as `data` (a Buffer, a Uint8Array or a stream) or as `path`');
}
