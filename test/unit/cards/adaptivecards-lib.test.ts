import { expect } from 'chai';
import {
  AC,
  makePatternsStateless,
  patternProperties,
  statelessPatternsApplied,
} from '../../../src/cards/adaptivecards-lib.js';
import { checkCard } from '../../../src/cards/check-card.js';

const withLang = (lang: string) => ({
  type: 'AdaptiveCard',
  version: '1.3',
  lang,
  body: [{ type: 'TextBlock', text: 'Bonjour', lang }],
});

describe('adaptivecards: the stateful `lang` pattern worked around', () => {
  it('checks one card with "lang" the same way every time', () => {
    const answers = [1, 2, 3].map(() => checkCard(withLang('en')));
    expect(answers).to.deep.equal([[], [], []]);
  });

  it('refuses a bad "lang" every time, and accepts a good one right after', () => {
    for (let i = 0; i < 3; i++) {
      expect(checkCard(withLang('english'))).to.deep.include('Invalid value "english" for property "lang".');
      expect(checkCard(withLang('fr'))).to.deep.equal([]);
    }
  });

  it('still finds its target in this version of the library (if this fails, the library changed: re-check the workaround)', () => {
    // The workaround replaced the pattern of CardElement.langProperty, which had the `g` flag.
    // If the library renames the property, or drops the flag, this names what changed.
    expect(statelessPatternsApplied, 'patterns made stateless at load').to.deep.equal(['CardElement.langProperty']);
    expect(AC.CardElement.langProperty?.regEx, 'CardElement.langProperty.regEx').to.be.instanceOf(RegExp);
    const stateful = patternProperties(AC).filter(({ property }) => property.regEx!.global || property.regEx!.sticky);
    expect(stateful.map((p) => p.where)).to.deep.equal([]);
  });

  it('makePatternsStateless keeps the pattern and its other flags, and leaves stateless ones alone', () => {
    const keep = /^x$/i;
    // A class of the library, as a constructor carrying its property definitions.
    const Element = Object.assign(() => undefined, {
      langProperty: { name: 'lang', regEx: /^[a-z]{2,3}$/gi },
      idProperty: { name: 'id', regEx: keep },
    });
    expect(makePatternsStateless({ Element })).to.deep.equal(['Element.langProperty']);
    expect(String(Element.langProperty.regEx)).to.equal('/^[a-z]{2,3}$/i');
    expect(Element.idProperty.regEx).to.equal(keep);
    expect([1, 2, 3].map(() => Element.langProperty.regEx.test('en'))).to.deep.equal([true, true, true]);
  });
});
