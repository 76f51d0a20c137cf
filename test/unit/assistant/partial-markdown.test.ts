import { expect } from 'chai';
import MarkdownIt from 'markdown-it';
import { finalView, inlineState, streamingView } from '../../../src/assistant/partial-markdown.js';

const md = new MarkdownIt();

/** The text a reader sees of `markdown` outside code, with any markup characters that leaked. */
function leakedMarks(markdown: string): string[] {
  const html = md.render(markdown);
  const visible = html
    .replace(/<pre>[\s\S]*?<\/pre>/g, '')
    .replace(/<code>[\s\S]*?<\/code>/g, '')
    .replace(/<[^>]+>/g, '');
  // An underscore inside a word (snake_case) is no mark.
  return [...visible.matchAll(/\*|`|\[|\]|~|&lt;|(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu)].map((m) => m[0]);
}

const fenceLines = (markdown: string) => markdown.split('\n').filter((l) => /^(`{3,}|~{3,})/.test(l)).length;

const ANSWER = [
  "Here is **the plan** for *Ada*'s first __day__:",
  '',
  '1. Open a ticket with `ticket open high <title>`, see [the guide](https://example.com/guide_v2).',
  '2. Check ~~nothing~~ everything, and ![the map](https://example.com/map.png) too.',
  '3. Mail <https://example.com/a_b> or snake_case_names stay as they are.',
  '',
  '```js',
  'const a = `x`; // **not bold**',
  '```',
  '',
  'Done ***soon*** and `` code with ` inside ``.',
].join('\n');

const NESTED = [
  '## Steps',
  '',
  '- **Bold with [a link](https://x.example/z_z) inside** and _italic `code` end_.',
  '  - nested *one* and **two**',
  '',
  '~~~',
  'plain ~~~ not a fence',
  '~~~',
  'Last line with a [ref] and more.',
].join('\n');

describe('assistant: markdown still arriving', () => {
  for (const [name, answer] of [
    ['an answer with every construct', ANSWER],
    ['nested constructs', NESTED],
  ] as const) {
    it(`never shows half a construct, whatever prefix has arrived (${name})`, () => {
      expect(
        leakedMarks(answer).filter((m) => m !== '[' && m !== ']'),
        'the whole answer renders cleanly',
      ).to.deep.equal([]);
      for (let end = 0; end < answer.length; end++) {
        const view = streamingView(answer.slice(0, end));
        const leaked = leakedMarks(view);
        // "[ref]" is literal text once complete; before that it must not show at all.
        const allowed = answer.slice(0, end).includes('[ref] ') ? ['[', ']'] : [];
        expect(
          leaked.filter((m) => !allowed.includes(m)),
          `after ${end} characters: ${JSON.stringify(view)}`,
        ).to.deep.equal([]);
        expect(fenceLines(view) % 2, `after ${end} characters: an open code block`).to.equal(0);
      }
      expect(streamingView(answer)).to.equal(answer);
    });
  }

  it('closes open emphasis and code spans, trimming the space before the closer', () => {
    expect(streamingView('Here is **the pla')).to.equal('Here is **the pla**');
    expect(streamingView('a **b *c ')).to.equal('a **b *c***');
    expect(streamingView('run `ticket op')).to.equal('run `ticket op`');
    expect(streamingView('~~gone')).to.equal('~~gone~~');
  });

  it('holds back a link, an image, an autolink or an entity until it is complete', () => {
    expect(streamingView('See [the docs](https://ex')).to.equal('See ');
    expect(streamingView('See [the do')).to.equal('See ');
    expect(streamingView('See ![map](x.pn')).to.equal('See ');
    expect(streamingView('Mail <https://exa')).to.equal('Mail ');
    expect(streamingView('Fish &am')).to.equal('Fish ');
    expect(streamingView('See [the docs](https://ex.com) and more')).to.equal(
      'See [the docs](https://ex.com) and more',
    );
  });

  it('holds back marks at the very end, which could still grow', () => {
    expect(streamingView('Hello *')).to.equal('Hello ');
    expect(streamingView('Hello **')).to.equal('Hello ');
    expect(streamingView('Hello `')).to.equal('Hello ');
  });

  it('leaves alone what is not emphasis: a lone star, snake_case, a finished paragraph', () => {
    expect(streamingView('5 * 3 = 15')).to.equal('5 * 3 = 15');
    expect(streamingView('call snake_case_names')).to.equal('call snake_case_names');
    expect(streamingView('**a** b')).to.equal('**a** b');
    expect(inlineState('a **b').open).to.deep.equal([{ at: 2, marks: '**' }]);
  });

  it('closes an open code block, and holds back a fence line being typed', () => {
    expect(streamingView('```js\nconst a = 1;')).to.equal('```js\nconst a = 1;\n```');
    expect(streamingView('```js\nconst a = 1;\n')).to.equal('```js\nconst a = 1;\n```');
    expect(streamingView('Text\n\n```j')).to.equal('Text');
    expect(streamingView('Text\n\n``')).to.equal('Text');
    expect(streamingView('```\ncode\n``')).to.equal('```\ncode\n```');
    expect(streamingView('~~~\ncode')).to.equal('~~~\ncode\n~~~');
  });

  it('keeps code inside a block as it is: marks there are no emphasis', () => {
    expect(streamingView('```\n**not closed')).to.equal('```\n**not closed\n```');
  });

  it('shows a complete answer as written, only an open code block closed', () => {
    expect(finalView('**as the model wrote it')).to.equal('**as the model wrote it');
    expect(finalView('```\ncode')).to.equal('```\ncode\n```');
    expect(finalView(ANSWER)).to.equal(ANSWER);
  });
});
