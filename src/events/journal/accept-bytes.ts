/**
 * An accept record written around the request body as received, instead of serialising the
 * envelope parsed from it again (the webhook route's hot path).
 */
import type { AcceptRecord } from './records.js';

const isSpace = (b: number | undefined): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/**
 * The JSON of `record` with `body` as its envelope, as bytes: the record's own fields, then the
 * body copied, its newlines turned to spaces (in JSON they can only be whitespace: a string cannot
 * hold a raw newline, and no byte of a multi-byte UTF-8 character is below 0x80), so that the
 * record stays on one line. `undefined` when `body` is not a JSON object's text.
 * @example acceptRecordBytes(record, Buffer.from('{"id":"w1",…}'))?.toString() // '{"t":"accept",…,"env":{"id":"w1",…}}'
 */
export function acceptRecordBytes(record: AcceptRecord, body: Buffer): Buffer | undefined {
  let first = 0;
  while (first < body.length && isSpace(body[first])) first++;
  let last = body.length - 1;
  while (last > first && isSpace(body[last])) last--;
  if (first >= body.length || body[first] !== 0x7b || body[last] !== 0x7d) return undefined;
  const head = `{"t":"accept","id":${JSON.stringify(record.id)},"key":${JSON.stringify(record.key)},"at":${record.at},"exp":${record.exp},"env":`;
  const headBytes = Buffer.byteLength(head);
  const out = Buffer.allocUnsafe(headBytes + body.length + 1);
  out.write(head, 0, 'utf8');
  body.copy(out, headBytes);
  out[out.length - 1] = 0x7d; // }
  for (const nl of [0x0a, 0x0d])
    for (let i = out.indexOf(nl, headBytes); i !== -1; i = out.indexOf(nl, i + 1)) out[i] = 0x20;
  return out;
}
