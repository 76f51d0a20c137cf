import { expect } from 'chai';
import { MAX_MESSAGE_BYTES } from '../../../src/protocol/limits.js';
import { splitMessage } from '../../../src/routing/split-message.js';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

describe('splitMessage', () => {
  it('leaves a message within the limit whole', () => {
    expect(splitMessage('short')).to.deep.equal(['short']);
    const exact = 'a'.repeat(MAX_MESSAGE_BYTES);
    expect(splitMessage(exact)).to.deep.equal([exact]);
  });

  it('splits on paragraph boundaries, every part within the limit, nothing lost', () => {
    const paragraphs = Array.from({ length: 40 }, (_, i) => `Paragraph ${i}: ${'word '.repeat(60).trim()}`);
    const text = paragraphs.join('\n\n');
    const parts = splitMessage(text);
    expect(parts.length).to.be.greaterThan(1);
    for (const p of parts) expect(bytes(p)).to.be.at.most(MAX_MESSAGE_BYTES);
    expect(parts.join('\n\n')).to.equal(text);
  });

  it('never splits a multi-byte character or an emoji', () => {
    const text = '😀é'.repeat(3000);
    const parts = splitMessage(text, 1000);
    for (const p of parts) {
      expect(bytes(p)).to.be.at.most(1000);
      expect(p).not.to.include('\uFFFD');
    }
    expect(parts.join('')).to.equal(text);
  });

  it('closes a code block at the end of a part and reopens it, with its language, in the next', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `  "key${i}": ${i},`);
    const text = `Here is the JSON:\n\n\`\`\`json\n${lines.join('\n')}\n\`\`\`\n\nDone.`;
    const parts = splitMessage(text, 2000);
    expect(parts.length).to.be.greaterThan(2);
    for (const p of parts) {
      expect(bytes(p)).to.be.at.most(2000);
      const fences = p.split('\n').filter((l) => l.startsWith('```'));
      expect(fences.length % 2, `balanced fences in:\n${p}`).to.equal(0);
    }
    expect(parts[1]!.startsWith('```json\n')).to.equal(true);
    expect(parts[parts.length - 1]!.endsWith('Done.')).to.equal(true);
    const body = parts
      .join('\n')
      .split('\n')
      .filter((l) => l.startsWith('  "key'));
    expect(body).to.deep.equal(lines);
  });

  it('cuts a text with no boundary at all on a character boundary', () => {
    const parts = splitMessage('x'.repeat(25_000));
    expect(parts.map(bytes).every((n) => n <= MAX_MESSAGE_BYTES)).to.equal(true);
    expect(parts.join('')).to.equal('x'.repeat(25_000));
  });
});
