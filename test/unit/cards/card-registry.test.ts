import { expect } from 'chai';
import { CARD_ID_INPUT, createCardRegistry } from '../../../src/cards/card-registry.js';
import { loadCards } from '../../../src/cards/card-files.js';
import { CardError } from '../../../src/errors.js';

const greeting = {
  type: 'AdaptiveCard',
  version: '1.3',
  body: [
    { type: 'TextBlock', text: 'Hello ${name}' },
    { type: 'Input.Text', id: 'answer' },
  ],
  actions: [
    { type: 'Action.Submit', title: 'Send' },
    { type: 'Action.Submit', title: 'Other', data: { choice: 'b' } },
  ],
};

describe('card registry', () => {
  const registry = createCardRegistry(new Map([['greeting', greeting]]));

  it('renders a template with data', () => {
    const { card, fallbackText } = registry.render('greeting', { name: 'Alice' });
    expect((card['body'] as Array<Record<string, unknown>>)[0]!['text']).to.equal('Hello Alice');
    expect(fallbackText).to.equal('Hello Alice');
  });

  it('never evaluates user text given as data', () => {
    const { card } = registry.render('greeting', { name: '${$root.secret} ${name}', secret: 'S3CRET' });
    expect((card['body'] as Array<Record<string, unknown>>)[0]!['text']).to.equal('Hello ${$root.secret} ${name}');
  });

  it('tags every Action.Submit with the card id, keeping its own data', () => {
    const { card } = registry.render('greeting', { name: 'A' });
    const actions = card['actions'] as Array<Record<string, unknown>>;
    expect(actions[0]!['data']).to.deep.equal({ [CARD_ID_INPUT]: 'greeting' });
    expect(actions[1]!['data']).to.deep.equal({ choice: 'b', [CARD_ID_INPUT]: 'greeting' });
  });

  it('does not change the template between renders', () => {
    registry.render('greeting', { name: 'A' });
    expect(registry.render('greeting', { name: 'B' }).fallbackText).to.equal('Hello B');
    expect(greeting.actions[0]).to.not.have.property('data');
  });

  it('refuses to render with missing data, naming the expression', () => {
    expect(() => registry.render('greeting', {}))
      .to.throw(CardError, 'no data for ${name}')
      .with.property('code', 'CARD_RENDER_FAILED');
  });

  it('refuses an unknown card id, listing the known ones', () => {
    expect(() => registry.render('nope'))
      .to.throw(CardError, /no card template "nope" \(known: greeting\)/)
      .with.property('code', 'CARD_UNKNOWN');
  });

  it('refuses a rendering that is not a valid card', () => {
    const bad = createCardRegistry(
      new Map([['bad', { type: 'AdaptiveCard', version: '1.3', body: [{ type: 'Nope' }] }]]),
    );
    expect(() => bad.render('bad'))
      .to.throw(CardError, /invalid card/)
      .with.property('code', 'CARD_INVALID');
  });

  it('loads the shipped cards', () => {
    const reg = loadCards(new URL('../../../cards', import.meta.url).pathname);
    expect(reg.ids).to.include('feedback');
    expect(reg.render('feedback', { name: 'Alice', topic: 'the release' }).fallbackText).to.equal(
      'How is it going, Alice?',
    );
  });
});
