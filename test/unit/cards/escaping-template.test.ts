import { expect } from 'chai';
import { createCardRegistry } from '../../../src/cards/card-registry.js';
import { compileTemplate } from '../../../src/cards/expand-template.js';
import { CardError } from '../../../src/errors.js';
import { markdown } from '../../../src/skill-kit/markdown.js';

type Obj = Record<string, unknown>;
const body = (card: Obj): Obj[] => card['body'] as Obj[];
const card = (...elements: Obj[]): Obj => ({ type: 'AdaptiveCard', version: '1.3', body: elements });

const LINK = '[Verify](https://evil.example)';
const ESCAPED_LINK = '\\[Verify\\](https://evil.example)';

describe('card data: escaped where the card renders markdown, and only there', () => {
  it("escapes data in a TextBlock's text, keeping the template's own markdown around it", () => {
    const render = compileTemplate(card({ type: 'TextBlock', text: 'Only **${who}** can cancel ${what}.' }));
    expect(body(render({ who: '**urgent**', what: LINK }))[0]!['text']).to.equal(
      `Only **\\*\\*urgent\\*\\*** can cancel ${ESCAPED_LINK}.`,
    );
  });

  it('escapes facts (title and value), whether the facts repeat over data or are data', () => {
    const render = compileTemplate(
      card(
        { type: 'FactSet', facts: [{ $data: '${rows}', title: '${t}', value: '${v}' }] },
        { type: 'FactSet', facts: '${facts}' },
      ),
    );
    const out = body(render({ rows: [{ t: '_a_', v: LINK }], facts: [{ title: '# h', value: '<b>x</b>' }] }));
    expect(out[0]!['facts']).to.deep.equal([{ title: '\\_a\\_', value: ESCAPED_LINK }]);
    expect(out[1]!['facts']).to.deep.equal([{ title: '\\# h', value: '\\<b\\>x\\</b\\>' }]);
  });

  it("escapes an input's errorMessage, a toggle's title and the titles of radio buttons and check boxes", () => {
    const render = compileTemplate(
      card(
        { type: 'Input.Toggle', id: 't', title: '${x}', errorMessage: 'Not ${x}' },
        {
          type: 'Input.ChoiceSet',
          id: 'e',
          style: 'expanded',
          choices: [{ $data: '${cs}', title: '${t}', value: '${v}' }],
        },
        { type: 'Input.ChoiceSet', id: 'm', isMultiSelect: true, choices: '${cs2}' },
      ),
    );
    const out = body(render({ x: '*x*', cs: [{ t: '*t*', v: '*v*' }], cs2: [{ title: '*t*', value: '*v*' }] }));
    expect(out[0]).to.deep.include({ title: '\\*x\\*', errorMessage: 'Not \\*x\\*' });
    expect(out[1]!['choices']).to.deep.equal([{ title: '\\*t\\*', value: '*v*' }]);
    expect(out[2]!['choices']).to.deep.equal([{ title: '\\*t\\*', value: '*v*' }]);
  });

  it('leaves alone what is not rendered as markdown: input values, labels, placeholders, a dropdown, buttons, URLs', () => {
    const render = compileTemplate({
      ...card(
        { type: 'Input.Text', id: 'a', label: '${x}', value: '${x}', placeholder: '${x}' },
        { type: 'Input.ChoiceSet', id: 'c', choices: [{ $data: '${cs}', title: '${t}', value: '${v}' }] },
        { type: 'Image', url: '${url}', altText: '${x}' },
        { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: '${x}' }] },
      ),
      actions: [
        { type: 'Action.Submit', title: '${x}', data: { raw: '${x}', obj: '${obj}' } },
        { type: 'Action.OpenUrl', title: 'Open', url: '${url}' },
      ],
    });
    const x = '**a_b** [c](d) <e> `f`';
    const url = 'https://example.com/a_b*c?d=[1]';
    const out = render({ x, url, cs: [{ t: '*t*', v: '*v*' }], obj: { text: '*y*' } });
    const [input, dropdown, image, rich] = body(out);
    expect(input).to.deep.include({ label: x, value: x, placeholder: x });
    expect(dropdown!['choices']).to.deep.equal([{ title: '*t*', value: '*v*' }]);
    expect(image).to.deep.include({ url, altText: x });
    expect(rich!['inlines']).to.deep.equal([{ type: 'TextRun', text: x }]);
    expect(out['actions']).to.deep.equal([
      { type: 'Action.Submit', title: x, data: { raw: x, obj: { text: '*y*' } } },
      { type: 'Action.OpenUrl', title: 'Open', url },
    ]);
  });

  it('escapes elements that come whole from data, by their type', () => {
    const render = compileTemplate({ ...card(), body: '${blocks}' });
    const out = render({
      blocks: [
        { type: 'TextBlock', text: '**b**' },
        { type: 'Input.Text', id: 'i', value: '**b**' },
      ],
    });
    expect(out['body']).to.deep.equal([
      { type: 'TextBlock', text: '\\*\\*b\\*\\*' },
      { type: 'Input.Text', id: 'i', value: '**b**' },
    ]);
  });

  it('keeps a markdown() value as markdown, and gives its text where markdown is not rendered', () => {
    const render = compileTemplate(
      card(
        { type: 'TextBlock', text: '${m}' },
        { type: 'TextBlock', text: 'Note: ${m}' },
        { type: 'FactSet', facts: [{ title: 'Note', value: '${m}' }] },
        { type: 'Input.Text', id: 'i', value: '${m}' },
      ),
    );
    const out = body(render({ m: markdown('**bold** [docs](https://example.com)') }));
    expect(out.map((o) => o['text'] ?? o['facts'] ?? o['value'])).to.deep.equal([
      '**bold** [docs](https://example.com)',
      'Note: **bold** [docs](https://example.com)',
      [{ title: 'Note', value: '**bold** [docs](https://example.com)' }],
      '**bold** [docs](https://example.com)',
    ]);
  });

  it("decides by an element's type even when the type is an expression", () => {
    const render = compileTemplate(card({ type: '${kind}', text: '${x}' }));
    expect(body(render({ kind: 'TextBlock', x: '*x*' }))[0]!['text']).to.equal('\\*x\\*');
  });

  it('escapes text made by an expression from data (numbers and functions included), never the data itself', () => {
    const data = { name: 'a_b', n: 3, list: [{ t: '*' }] };
    const render = compileTemplate(card({ type: 'TextBlock', text: '${toUpper(name)} ${n} ${list[0].t}' }));
    expect(body(render(data))[0]!['text']).to.equal('A\\_B 3 \\*');
    expect(data).to.deep.equal({ name: 'a_b', n: 3, list: [{ t: '*' }] });
  });
});

describe('card registry with user text', () => {
  const registry = createCardRegistry(
    new Map([
      [
        'note',
        card(
          { type: 'TextBlock', text: 'From ${first_name}: ${note}', wrap: true },
          { type: 'Input.Text', id: 'reply', value: '${note}' },
        ),
      ],
    ]),
  );

  it('renders user text literally in the card, and plainly in the fallback text', () => {
    const { card: rendered, fallbackText } = registry.render('note', { first_name: 'Ann', note: `**urgent** ${LINK}` });
    expect(body(rendered)[0]!['text']).to.equal(`From Ann: \\*\\*urgent\\*\\* ${ESCAPED_LINK}`);
    expect(body(rendered)[1]!['value']).to.equal(`**urgent** ${LINK}`);
    expect(fallbackText).to.equal(`From Ann: **urgent** ${LINK}`);
  });

  it('still names missing data exactly (not escaped)', () => {
    expect(() => registry.render('note', { note: 'x' }))
      .to.throw(CardError, 'no data for ${first_name}')
      .with.property('code', 'CARD_RENDER_FAILED');
  });
});
