import { expect } from 'chai';
import path from 'node:path';
import { loadCards } from '../../../src/cards/card-files.js';
import { CardCheckError } from '../../../src/errors.js';
import { DEFECTS, folderWith } from '../../support/defective-cards.js';

const good = JSON.stringify({
  type: 'AdaptiveCard',
  version: '1.3',
  body: [{ type: 'TextBlock', text: 'Hello ${name}' }],
});

function refusal(dir: string): CardCheckError {
  try {
    loadCards(dir);
  } catch (err) {
    if (err instanceof CardCheckError) return err;
    throw err;
  }
  throw new Error('expected the cards to be refused');
}

describe('loading cards (the start-up check)', () => {
  for (const defect of DEFECTS) {
    it(`refuses ${defect.kind}, naming the file and the problem`, () => {
      const dir = folderWith(defect.files);
      const err = refusal(dir);
      expect(err.code).to.equal('CARD_CHECK_FAILED');
      expect(err.files.map((f) => path.basename(f.file))).to.deep.equal([defect.file]);
      expect(err.files[0]!.problems.join('\n')).to.match(defect.message);
      expect(err.message).to.include(defect.file).and.match(defect.message);
    });
  }

  it('lists every bad file and each of its problems in one error', () => {
    const dir = folderWith({
      ...DEFECTS[2]!.files,
      ...DEFECTS[9]!.files,
      'fine.json': good,
      'fine.data.json': '{"name": "A"}',
    });
    const err = refusal(dir);
    expect(err.files.map((f) => path.basename(f.file))).to.deep.equal(['dup-ids.json', 'new-version.json']);
    expect(err.message).to.match(
      /^2 card files have problems:\n.*dup-ids\.json\n {2}- Duplicate Id "name"\.\n.*new-version\.json\n {2}- version "1\.6"/,
    );
  });

  it('renders with the sample data, and previews the card as rendered', () => {
    const cards = loadCards(folderWith({ 'hello.json': good, 'hello.data.json': '{"name": "Sample Person"}' }));
    expect(cards.ids).to.deep.equal(['hello']);
    expect(JSON.stringify(cards.preview('hello'))).to.include('Hello Sample Person');
  });

  it('renders a card without sample data with placeholders (and still checks it)', () => {
    expect(JSON.stringify(loadCards(folderWith({ 'hello.json': good })).preview('hello'))).to.include('Hello sample');
    const err = refusal(
      folderWith({
        'x.json': JSON.stringify({
          type: 'AdaptiveCard',
          version: '1.3',
          body: [{ type: 'Input.Text', label: '${l}' }],
        }),
      }),
    );
    expect(err.files[0]!.problems).to.include.members([
      'Input.Text: All inputs must have a unique Id.',
      '(rendered with placeholders: add x.data.json with sample data for a real check)',
    ]);
  });

  it('ignores other files, and a missing folder holds no cards', () => {
    expect(loadCards(folderWith({ 'hello.json': good, 'notes.txt': 'x' })).ids).to.deep.equal(['hello']);
    expect(loadCards('/nonexistent/cards').ids).to.deep.equal([]);
  });

  it('passes every shipped card, each with its sample data', () => {
    const dir = new URL('../../../cards', import.meta.url).pathname;
    const cards = loadCards(dir);
    expect(cards.ids).to.include('feedback');
    for (const id of cards.ids) expect(cards.preview(id), id).to.be.an('object');
  });
});
