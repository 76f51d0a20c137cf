import { expect } from 'chai';
import { cardWithErrors } from '../../../src/cards/card-with-errors.js';
import { checkCard } from '../../../src/cards/check-card.js';

const sent = {
  type: 'AdaptiveCard',
  version: '1.3',
  body: [
    { type: 'TextBlock', text: 'Request an account' },
    {
      type: 'ColumnSet',
      columns: [
        { type: 'Column', items: [{ type: 'Input.Text', id: 'email', label: 'E-mail', value: 'old@x' }] },
        { type: 'Column', items: [{ type: 'Input.Number', id: 'seats', label: 'Seats' }] },
      ],
    },
    { type: 'Input.Date', id: 'start', label: 'Start date', value: '2030-01-01' },
    { type: 'Input.Toggle', id: 'ok', title: 'OK', value: 'true' },
  ],
  actions: [{ type: 'Action.Submit', title: 'Send', data: { _card: 'form' } }],
};

describe('a card sent again with its errors', () => {
  const errors = [
    { id: 'email', label: 'E-mail', message: 'Enter an e-mail address' },
    { id: 'seats', label: 'Seats', message: 'Seats must be at least 1' },
  ];
  const again = cardWithErrors(sent, { email: 'bob@', seats: '0', ok: 'false' }, errors, 'first-card-id')!;
  const text = JSON.stringify(again);

  it('shows each error right under its field, wherever the field sits, and a banner on top', () => {
    const body = again['body'] as Array<Record<string, unknown>>;
    expect(body[0]).to.deep.include({
      id: '_errors_banner',
      text: 'Please fix the 2 fields marked below, then send again.',
      color: 'Attention',
    });
    const columns = body[2]!['columns'] as Array<{ items: Array<Record<string, unknown>> }>;
    expect(columns[0]!.items.map((i) => i['id'])).to.deep.equal(['email', '_error_email']);
    expect(columns[0]!.items[1]).to.deep.include({
      type: 'TextBlock',
      text: 'Enter an e-mail address',
      color: 'Attention',
    });
    expect(columns[1]!.items.map((i) => i['id'])).to.deep.equal(['seats', '_error_seats']);
  });

  it('keeps what was typed (a number as a number), and clears what was left empty', () => {
    expect(text).to.include('"id":"email","label":"E-mail","value":"bob@"').and.include('"value":0');
    expect((again['body'] as Array<Record<string, unknown>>).find((e) => e['id'] === 'start')).to.not.have.property(
      'value',
    );
    expect((again['body'] as Array<Record<string, unknown>>).find((e) => e['id'] === 'ok')).to.deep.include({
      value: 'false',
    });
  });

  it('belongs to the same form, keeps its template tag, and is a card Webex takes', () => {
    expect((again['actions'] as Array<{ data: unknown }>)[0]!.data).to.deep.equal({
      _card: 'form',
      _form: 'first-card-id',
    });
    expect(checkCard(again)).to.deep.equal([]);
    expect(sent.body).to.have.length(4); // the card as sent is not changed
  });

  it('replaces the errors of an earlier round instead of piling them up', () => {
    const third = cardWithErrors(
      again,
      { email: 'bob@x' },
      [{ id: 'email', label: 'E-mail', message: 'Still wrong' }],
      'first-card-id',
    )!;
    const t = JSON.stringify(third);
    expect(t.match(/_errors_banner/g)).to.have.length(1);
    expect(t).to.include('Still wrong').and.include('Please fix the field marked below');
    expect(t).to.not.include('Seats must be at least 1');
  });

  it('puts errors of fields the card does not show in the banner', () => {
    const c = cardWithErrors(sent, {}, [{ id: 'elsewhere', label: 'X', message: 'Something else is wrong.' }], 'f')!;
    expect((c['body'] as Array<Record<string, unknown>>)[0]!['text']).to.equal(
      'Please check the form, then send again. Something else is wrong.',
    );
  });

  it('gives up (for a text reply instead) when the copy would not be a card Webex takes', () => {
    const big = { ...sent, body: [...sent.body, { type: 'TextBlock', text: 'x'.repeat(24_400) }] };
    expect(cardWithErrors(big, {}, errors, 'f')).to.equal(undefined);
  });
});
