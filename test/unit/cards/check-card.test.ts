import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { checkCard, firstText } from '../../../src/cards/check-card.js';

const seedCard = JSON.parse(readFileSync(new URL('../../fixtures/seed-card.json', import.meta.url), 'utf8')) as Record<
  string,
  unknown
>;

describe('checkCard', () => {
  it("accepts the seed lab's card", () => {
    expect(checkCard(seedCard)).to.deep.equal([]);
    expect(firstText(seedCard)).to.equal('My Adaptive Card');
  });

  it('requires type AdaptiveCard and a version', () => {
    expect(checkCard({ type: 'Card', version: '1.2' })).to.deep.equal(['"type" must be "AdaptiveCard"']);
    expect(checkCard({ type: 'AdaptiveCard' })).to.deep.equal(['"version" is required, as a string like "1.3"']);
    expect(checkCard([])).to.deep.equal(['a card must be a JSON object']);
  });

  it('refuses versions Webex does not render', () => {
    expect(checkCard({ type: 'AdaptiveCard', version: '1.5', body: [] })).to.deep.equal([
      'version "1.5" is newer than Webex renders (1.3 at most)',
    ]);
  });

  it('reports elements and actions newer than 1.3, and unknown ones', () => {
    const problems = checkCard({
      type: 'AdaptiveCard',
      version: '1.3',
      body: [{ type: 'Table', columns: [] }, { type: 'Bogus' }],
      actions: [{ type: 'Action.Execute', title: 'Run' }],
    });
    expect(problems.join('\n'))
      .to.include('Unknown element type "Table"')
      .and.include('Unknown element type "Bogus"')
      .and.include('Unknown action type "Action.Execute"');
  });

  it("names the input a problem is about (the library's own message does not)", () => {
    const problems = checkCard({
      type: 'AdaptiveCard',
      version: '1.3',
      body: [
        { type: 'Input.Text', id: 'name', label: 'Name' },
        { type: 'Input.Text', id: 'email', label: 'E-mail', isRequired: true },
      ],
      actions: [{ type: 'Action.Submit', title: 'Send' }],
    });
    expect(problems).to.deep.equal(['Input.Text "email": Required inputs should have an error message']);
  });

  it('reports duplicate ids', () => {
    const problems = checkCard({
      type: 'AdaptiveCard',
      version: '1.3',
      body: [
        { type: 'Input.Text', id: 'a' },
        { type: 'Input.Text', id: 'a' },
      ],
    });
    expect(problems.join('\n')).to.match(/Duplicate Id "a"|unique Id/);
  });

  it('refuses a string data on Action.Submit (Webex needs an object to merge into inputs)', () => {
    const problems = checkCard({
      type: 'AdaptiveCard',
      version: '1.3',
      body: [],
      actions: [{ type: 'Action.Submit', title: 'Go', data: 'x' }],
    });
    expect(problems).to.deep.include('Action.Submit "Go": "data" must be an object (Webex merges it into the inputs)');
  });

  it('refuses oversized cards', () => {
    const big = { type: 'AdaptiveCard', version: '1.3', body: [{ type: 'TextBlock', text: 'x'.repeat(30_000) }] };
    expect(checkCard(big).join()).to.match(/keep it under/);
  });

  it('refuses a regex that cannot be matched in linear time (backreference, lookaround), saying why', () => {
    for (const regex of ['^(a)\\1$', '^(?=.*\\d).+$', '(?<=x)y']) {
      const card = {
        type: 'AdaptiveCard',
        version: '1.3',
        body: [{ type: 'Input.Text', id: 'code', label: 'Code', regex }],
      };
      expect(checkCard(card).join(), regex).to.match(
        /Input\.Text "code": "regex" does not compile .*backreferences and lookaround are not supported/,
      );
    }
    const fine = {
      type: 'AdaptiveCard',
      version: '1.3',
      body: [{ type: 'Input.Text', id: 'code', label: 'Code', regex: '^(a+)+$' }],
    };
    expect(checkCard(fine)).to.deep.equal([]);
  });
});
