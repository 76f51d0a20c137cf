import { expect } from 'chai';
import {
  codeBlock,
  escapeCardMarkdown,
  escapeMarkdown,
  isMarkdown,
  markdown,
  withoutCardEscapes,
} from '../../../src/skill-kit/markdown.js';

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

  it('escapes card text with backslashes only (card renderers show & as it is), and undoes it for plain text', () => {
    const typed = '**hi** & <https://x> [a](b) `c` ~d~ a|b\\\n# h\n- i\n2. j';
    const escaped = escapeCardMarkdown(typed);
    expect(escaped).to.equal(
      '\\*\\*hi\\*\\* & \\<https://x\\> \\[a\\](b) \\`c\\` \\~d\\~ a\\|b\\\\\n\\# h\n\\- i\n2\\. j',
    );
    expect(withoutCardEscapes(escaped)).to.equal(typed);
  });

  it('markdown() marks text as markdown, recognisably across copies of the module', () => {
    const m = markdown('**b**');
    expect(isMarkdown(m)).to.equal(true);
    expect(`${m}`).to.equal('**b**');
    expect(JSON.stringify({ m })).to.equal('{"m":"**b**"}');
    expect(isMarkdown({ text: '**b**' })).to.equal(false);
    expect(isMarkdown({ [Symbol.for('webex-skill-bot.markdown')]: true, text: 'x' })).to.equal(true);
    expect(() => markdown(42 as unknown as string)).to.throw(TypeError);
  });
});
