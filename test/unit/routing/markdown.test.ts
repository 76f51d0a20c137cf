import { expect } from 'chai';
import { MAX_MESSAGE_BYTES } from '../../../src/protocol/limits.js';
import { codeBlock, escapeMarkdown, fitMessage } from '../../../src/routing/markdown.js';

describe('markdown helpers', () => {
  it('escapes mentions, emphasis, links and block markers', () => {
    expect(escapeMarkdown('<@all> **hi** a_b [x](y)')).to.equal('&lt;@all&gt; \\*\\*hi\\*\\* a\\_b \\[x\\](y)');
    expect(escapeMarkdown('# head\n- item\n1. one\nplain 1. two')).to.equal('\\# head\n\\- item\n1\\. one\nplain 1. two');
  });

  it('makes fences longer than any backtick run inside', () => {
    expect(codeBlock('a ``` b', 'json')).to.equal('````json\na ``` b\n````');
    expect(codeBlock('x')).to.equal('```\nx\n```');
  });

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
