import { expect } from 'chai';
import { decodeFrame, encodeFrame, type Line, readLines } from '../../../../src/events/journal/frames.js';

async function linesOf(bytes: Buffer, chunkBytes: number): Promise<Line[]> {
  const out: Line[] = [];
  const read = async (buffer: Buffer, position: number) => bytes.copy(buffer, 0, position, position + buffer.length);
  for await (const line of readLines(read, chunkBytes)) out.push(line);
  return out;
}

describe('journal frames', () => {
  it('round-trips records, unicode and newlines in strings included', () => {
    const records = [
      { t: 'posting', id: 'a', message: { markdown: 'line 1\nline 2 — é 🙂' } },
      { t: 'done', id: 'a' },
    ];
    const frame = encodeFrame(records.map((r) => JSON.stringify(r)));
    expect(frame.indexOf(0x0a)).to.equal(frame.length - 1); // one line
    expect(decodeFrame(frame.subarray(0, -1))).to.deep.equal(records);
  });

  it('tells a damaged line why', () => {
    const frame = encodeFrame(['{"t":"done","id":"a"}']).subarray(0, -1);
    const flipped = Buffer.from(frame);
    flipped[15] = flipped[15]! ^ 0x20;
    expect(decodeFrame(flipped)).to.equal('checksum mismatch');
    expect(decodeFrame(Buffer.alloc(40))).to.equal('not a frame (no checksum)');
    expect(decodeFrame(Buffer.from('zzzzzzzz [1]'))).to.equal('not a frame (no checksum)');
  });

  it('splits bytes into lines with their offsets, whatever the chunk size, the last unterminated one marked', async () => {
    const bytes = Buffer.from('first\n\nthird line is longer\nunterminated');
    for (const chunk of [1, 2, 3, 7, 64]) {
      const lines = await linesOf(bytes, chunk);
      expect(lines.map((l) => [l.offset, l.bytes.toString(), l.terminated])).to.deep.equal([
        [0, 'first', true],
        [6, '', true],
        [7, 'third line is longer', true],
        [28, 'unterminated', false],
      ]);
    }
    expect(await linesOf(Buffer.alloc(0), 4)).to.deep.equal([]);
  });
});
