/**
 * A stream stage that passes bytes on until more than `maxBytes` have come, then fails with
 * {@link FileTooLargeError}: files downloaded and files spooled for upload stop at their cap
 * whatever their sender said.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { FileTooLargeError } from '../errors.js';

/** Counts the bytes through it and refuses past `maxBytes` (see the file's comment). */
export class ByteCap extends Transform {
  private seen = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly name: string,
  ) {
    super();
  }

  /** The bytes passed so far. */
  get bytes(): number {
    return this.seen;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.maxBytes) {
      done(new FileTooLargeError(this.name, this.maxBytes));
      return;
    }
    done(null, chunk);
  }
}
