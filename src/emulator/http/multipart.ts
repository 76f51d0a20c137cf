/**
 * Reading a `multipart/form-data` request, as Webex takes a message with a file (`POST
 * /v1/messages`): text fields (`roomId`, `text`, `markdown`, `parentId`, `toPersonId`,
 * `toPersonEmail`) and file parts named `files`. Parsed with `busboy` (the parser behind
 * `multer`), with limits: a file over {@link MAX_UPLOAD_BYTES} or a request with too many parts
 * is refused without reading the rest into memory.
 */
import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { MAX_UPLOAD_BYTES } from '../../protocol/limits.js';
import type { Upload } from '../service/contents.js';

/** What a multipart request carried. */
export interface MultipartBody {
  readonly fields: Record<string, string>;
  readonly files: Upload[];
}

/** Why a multipart request is refused (status and Webex-style message). */
export interface MultipartRefusal {
  readonly status: number;
  readonly message: string;
}

/** True when the request says it is `multipart/form-data`. */
export function isMultipart(req: IncomingMessage): boolean {
  return /^multipart\/form-data\s*;/i.test(req.headers['content-type'] ?? '');
}

/** Parts of one request at most (fields and files): far more than a message has. */
const MAX_PARTS = 20;

/**
 * Reads the multipart body of `req`: its fields and files, or why it is refused (a file over the
 * limit: 413; a part that is not a field nor a `files` file, or a malformed body: 400).
 */
export function readMultipart(req: IncomingMessage): Promise<MultipartBody | MultipartRefusal> {
  return new Promise((resolve) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { fileSize: MAX_UPLOAD_BYTES, parts: MAX_PARTS, fieldSize: 64 * 1024 },
      });
    } catch (err) {
      req.resume();
      resolve({ status: 400, message: `The multipart body cannot be read: ${(err as Error).message}` });
      return;
    }
    const fields: Record<string, string> = {};
    const files: Upload[] = [];
    let refusal: MultipartRefusal | undefined;
    const refuse = (r: MultipartRefusal): void => {
      refusal ??= r;
    };
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (name !== 'files') {
        refuse({ status: 400, message: `Unexpected file part "${name}": a message's file goes in the part "files"` });
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => {
        if (refusal === undefined) chunks.push(c);
      });
      stream.on('limit', () =>
        refuse({
          status: 413,
          message: `The file "${info.filename}" is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`,
        }),
      );
      stream.on('end', () => {
        files.push({ name: info.filename ?? '', type: info.mimeType, bytes: Buffer.concat(chunks) });
      });
    });
    parser.on('partsLimit', () => refuse({ status: 400, message: `Too many parts (more than ${MAX_PARTS})` }));
    parser.on('error', (err: Error) => {
      req.unpipe(parser);
      req.resume();
      resolve({ status: 400, message: `The multipart body cannot be read: ${err.message}` });
    });
    parser.on('close', () => resolve(refusal ?? { fields, files }));
    req.pipe(parser);
  });
}
