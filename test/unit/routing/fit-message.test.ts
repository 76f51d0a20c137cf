import { expect } from 'chai';
import { MAX_MESSAGE_BYTES } from '../../../src/protocol/limits.js';
import { fitMessage } from '../../../src/routing/fit-message.js';

describe('fitMessage', () => {
  it('leaves messages within the limit alone', () => {
    expect(fitMessage('short')).to.deep.equal({ text: 'short', truncated: false });
  });

  it('cuts long messages to the byte limit on a character boundary, closing an open fence', () => {
    const long = `\`\`\`\n${'é'.repeat(5000)}\n\`\`\``;
    const { text, truncated } = fitMessage(long);
    expect(truncated).to.equal(true);
    expect(Buffer.byteLength(text)).to.be.at.most(MAX_MESSAGE_BYTES);
    expect(text).to.not.include('\uFFFD');
    expect(text).to.match(/é\n```\n\n… \(cut: the message was longer than Webex allows\)$/);
  });
});
