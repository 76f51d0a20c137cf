import { expect } from 'chai';
import { codeBlock, escapeMarkdown } from '../../../src/skill-kit/markdown.js';

describe('markdown helpers', () => {
  it('escapes mentions, emphasis, links and block markers', () => {
    expect(escapeMarkdown('<@all> **hi** a_b [x](y)')).to.equal('&lt;@all&gt; \\*\\*hi\\*\\* a\\_b \\[x\\](y)');
    expect(escapeMarkdown('# head\n- item\n1. one\nplain 1. two')).to.equal(
      '\\# head\n\\- item\n1\\. one\nplain 1. two',
    );
  });

  it('makes fences longer than any backtick run inside', () => {
    expect(codeBlock('a ``` b', 'json')).to.equal('````json\na ``` b\n````');
    expect(codeBlock('x')).to.equal('```\nx\n```');
  });
});
