import { expect } from 'chai';
import { checkInputSpec, formProblems } from '../../../src/routing/form-spec.js';

const card = {
  type: 'AdaptiveCard',
  version: '1.3',
  body: [
    { type: 'Input.Text', id: 'email', isRequired: true },
    { type: 'Input.Date', id: 'start' },
    { type: 'Input.ChoiceSet', id: 'tags', isMultiSelect: true, choices: [{ title: 'A', value: 'a' }] },
    { type: 'Input.Toggle', id: 'ok', title: 'OK' },
  ],
};

describe('form inputs against the card', () => {
  it('agree when every input is declared with its kind, "?" when not required', () => {
    expect(formProblems({ email: 'text', start: 'date?', tags: 'choices?', ok: 'toggle' }, card)).to.deep.equal([]);
  });

  it('name each disagreement: kind, required-ness, missing and undeclared inputs', () => {
    expect(formProblems({ email: 'text?', start: 'time?', phone: 'text', ok: 'toggle' }, card)).to.deep.equal([
      '"email" is declared text?, but the card has it as text',
      '"start" is declared time?, but the card has it as date?',
      '"phone" is declared, but the card has no input with that id',
      'the card\'s input "tags" (choices?) is not declared',
    ]);
  });

  it('refuses kinds that do not exist, and an optional toggle', () => {
    expect(checkInputSpec({ a: 'string' })).to.match(
      /inputs\["a"\] must be one of text, number, date, time, toggle, choice, choices/,
    );
    expect(checkInputSpec({ a: 'toggle?' })).to.match(/a toggle always has a value/);
    expect(checkInputSpec(['text'])).to.match(/"inputs" must map each input id/);
    expect(checkInputSpec({ a: 'number?' })).to.equal(undefined);
  });
});
