import { expect } from 'chai';
import { validateSubmission } from '../../../src/cards/validate-inputs.js';

const card = (
  body: unknown[],
  actions: unknown[] = [{ type: 'Action.Submit', title: 'Send', data: { _card: 'form' } }],
) => ({ type: 'AdaptiveCard', version: '1.3', body, actions });

function errorsOf(body: unknown[], inputs: Record<string, unknown>): Record<string, string> {
  const v = validateSubmission(card(body), inputs);
  return v.kind === 'invalid' ? Object.fromEntries(v.errors.map((e) => [e.id, e.message])) : {};
}
function valuesOf(body: unknown[], inputs: Record<string, unknown>): unknown {
  const v = validateSubmission(card(body), inputs);
  if (v.kind !== 'valid') throw new Error(`expected valid, got ${JSON.stringify(v)}`);
  return v.inputs;
}

describe("server-side validation from the card's own inputs", () => {
  it("isRequired: an input left out or blank is refused, with the card's errorMessage when it has one", () => {
    const body = [
      { type: 'Input.Text', id: 'name', label: 'Full name', isRequired: true },
      { type: 'Input.Text', id: 'team', label: 'Team', isRequired: true, errorMessage: 'Say which team' },
    ];
    expect(errorsOf(body, {})).to.deep.equal({ name: 'Full name is required', team: 'Say which team' });
    expect(errorsOf(body, { name: '   ', team: 'A' })).to.deep.equal({ name: 'Full name is required' });
    expect(valuesOf(body, { name: 'Ada', team: 'A' })).to.deep.equal({ name: 'Ada', team: 'A' });
  });

  it('optional inputs left empty are undefined', () => {
    expect(
      valuesOf(
        [
          { type: 'Input.Text', id: 'note', label: 'Note' },
          { type: 'Input.Number', id: 'n', label: 'N' },
        ],
        { n: '' },
      ),
    ).to.deep.equal({ note: undefined, n: undefined });
  });

  it('regex: like the client, not anchored unless the card anchors it; Unicode classes work', () => {
    const body = [
      {
        type: 'Input.Text',
        id: 'email',
        label: 'E-mail',
        regex: '^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$',
        errorMessage: 'Enter an e-mail address',
      },
      { type: 'Input.Text', id: 'n', label: 'Name', regex: "^[\\p{L} .'-]+$" },
    ];
    expect(errorsOf(body, { email: 'not-an-email', n: 'R2D2' })).to.deep.equal({
      email: 'Enter an e-mail address',
      n: 'Name: not in the expected format',
    });
    expect(valuesOf(body, { email: 'ada@example.com', n: "Zoë O'Neil" })).to.deep.equal({
      email: 'ada@example.com',
      n: "Zoë O'Neil",
    });
    expect(valuesOf([{ type: 'Input.Text', id: 'c', label: 'C', regex: '\\d' }], { c: 'a1b' })).to.deep.equal({
      c: 'a1b',
    });
  });

  it('maxLength: longer text is refused, saying by how much', () => {
    const body = [{ type: 'Input.Text', id: 'c', label: 'Comment', maxLength: 5 }];
    expect(errorsOf(body, { c: 'toolong' })).to.deep.equal({ c: 'Comment: at most 5 characters (this has 7)' });
    expect(valuesOf(body, { c: 'short' })).to.deep.equal({ c: 'short' });
  });

  it('Input.Number: a number within min and max, given to the handler as a number', () => {
    const body = [{ type: 'Input.Number', id: 'n', label: 'Seats', min: 1, max: 10 }];
    expect(errorsOf(body, { n: 'ten' })).to.deep.equal({ n: 'Seats must be a number' });
    expect(errorsOf(body, { n: '0x5' })).to.deep.equal({ n: 'Seats must be a number' });
    expect(errorsOf(body, { n: '0' })).to.deep.equal({ n: 'Seats must be at least 1' });
    expect(errorsOf(body, { n: '10.5' })).to.deep.equal({ n: 'Seats must be at most 10' });
    expect(valuesOf(body, { n: '2.5' })).to.deep.equal({ n: 2.5 });
  });

  it('Input.Date: YYYY-MM-DD, a real day, within min and max', () => {
    const body = [{ type: 'Input.Date', id: 'd', label: 'Start date', min: '2030-01-01', max: '2030-12-31' }];
    expect(errorsOf(body, { d: '01/02/2030' })).to.deep.equal({ d: 'Start date must be a date (YYYY-MM-DD)' });
    expect(errorsOf(body, { d: '2030-02-30' })).to.deep.equal({ d: 'Start date must be a date (YYYY-MM-DD)' });
    expect(errorsOf(body, { d: '2029-12-31' })).to.deep.equal({ d: 'Start date must be on or after 2030-01-01' });
    expect(errorsOf(body, { d: '2031-01-01' })).to.deep.equal({ d: 'Start date must be on or before 2030-12-31' });
    expect(valuesOf(body, { d: '2030-02-28' })).to.deep.equal({ d: '2030-02-28' });
  });

  it('Input.Time: HH:MM (or HH:MM:SS), within min and max', () => {
    const body = [{ type: 'Input.Time', id: 't', label: 'Meeting time', min: '09:00', max: '17:30' }];
    expect(errorsOf(body, { t: '9am' })).to.deep.equal({ t: 'Meeting time must be a time (HH:MM)' });
    expect(errorsOf(body, { t: '24:00' })).to.deep.equal({ t: 'Meeting time must be a time (HH:MM)' });
    expect(errorsOf(body, { t: '08:59' })).to.deep.equal({ t: 'Meeting time must be at 09:00 or later' });
    expect(errorsOf(body, { t: '17:30:01' })).to.deep.equal({ t: 'Meeting time must be at 17:30 or earlier' });
    expect(valuesOf(body, { t: '17:30' })).to.deep.equal({ t: '17:30' });
  });

  it('Input.ChoiceSet: the value is one of the choices; a multi-select splits on commas into a list', () => {
    const choices = [
      { title: 'Engineering', value: 'eng' },
      { title: 'Sales', value: 'sales' },
    ];
    const single = [{ type: 'Input.ChoiceSet', id: 'dep', label: 'Department', choices }];
    expect(errorsOf(single, { dep: 'hr' })).to.deep.equal({ dep: 'Department: pick one of: Engineering, Sales' });
    expect(errorsOf(single, { dep: 'eng,sales' })).to.deep.equal({
      dep: 'Department: pick one of: Engineering, Sales',
    });
    expect(valuesOf(single, { dep: 'eng' })).to.deep.equal({ dep: 'eng' });
    const multi = [{ type: 'Input.ChoiceSet', id: 'deps', label: 'Departments', isMultiSelect: true, choices }];
    expect(errorsOf(multi, { deps: 'eng,hr' })).to.deep.equal({ deps: 'Departments: pick from: Engineering, Sales' });
    expect(valuesOf(multi, { deps: 'sales,eng,sales' })).to.deep.equal({ deps: ['sales', 'eng'] });
    expect(valuesOf(multi, {})).to.deep.equal({ deps: [] });
    expect(errorsOf([{ ...multi[0], isRequired: true }], { deps: ',' })).to.deep.equal({
      deps: 'Departments is required',
    });
  });

  it('Input.Toggle: only valueOn or valueOff, given to the handler as a boolean', () => {
    const body = [
      { type: 'Input.Toggle', id: 'ok', title: 'I agree', valueOn: 'yes', valueOff: 'no' },
      { type: 'Input.Toggle', id: 'news', title: 'Newsletter' },
    ];
    expect(errorsOf(body, { ok: 'true', news: 'maybe' })).to.deep.equal({
      ok: 'I agree must be on or off',
      news: 'Newsletter must be on or off',
    });
    expect(valuesOf(body, { ok: 'yes', news: 'false' })).to.deep.equal({ ok: true, news: false });
    expect(valuesOf(body, {})).to.deep.equal({ ok: false, news: false });
  });

  it('drops keys the card does not declare and __proto__-like keys; a value that is not text is refused', () => {
    const body = [
      { type: 'Input.Text', id: 'name', label: 'Name' },
      { type: 'Input.Text', id: '__proto__', label: 'Sneaky' },
    ];
    const submitted = JSON.parse(
      '{"name": "Ada", "admin": "true", "__proto__": {"polluted": 1}, "constructor": "x", "_card": "other", "_command": "x"}',
    ) as Record<string, unknown>;
    const v = validateSubmission(card(body), submitted);
    expect(v).to.deep.equal({ kind: 'valid', inputs: { name: 'Ada' }, button: {} });
    expect(Object.keys(v.kind === 'valid' ? v.inputs : {})).to.deep.equal(['name']);
    expect(({} as Record<string, unknown>)['polluted']).to.equal(undefined);
    expect(errorsOf(body, { name: ['a'] })).to.deep.equal({ name: 'Name: the value must be text' });
  });

  it('tells which button was pressed from its data, and refuses data no button of the card has', () => {
    const body = [{ type: 'Input.Text', id: 'why', label: 'Why', isRequired: true }];
    const actions = [
      { type: 'Action.Submit', title: 'Approve', data: { decision: 'approve', _card: 'c' } },
      { type: 'Action.Submit', title: 'Reject', data: { decision: 'reject', _card: 'c' } },
      { type: 'Action.Submit', title: 'Later', data: { decision: 'later' }, associatedInputs: 'none' },
    ];
    expect(validateSubmission(card(body, actions), { decision: 'reject', why: 'no' })).to.deep.equal({
      kind: 'valid',
      inputs: { why: 'no' },
      button: { decision: 'reject' },
    });
    expect(validateSubmission(card(body, actions), { decision: 'later' })).to.deep.equal({
      kind: 'valid',
      inputs: {},
      button: { decision: 'later' },
    });
    expect(validateSubmission(card(body, actions), { decision: 'delete everything', why: 'x' }).kind).to.equal(
      'mismatch',
    );
  });

  it('returns what was typed with the errors, to show it again', () => {
    const v = validateSubmission(
      card([
        { type: 'Input.Text', id: 'a', label: 'A', isRequired: true },
        { type: 'Input.Number', id: 'n', label: 'N' },
      ]),
      { n: 'x' },
    );
    expect(v).to.deep.include({ kind: 'invalid', typed: { n: 'x' } });
  });
});

describe("a card's own regex cannot freeze the bot", () => {
  // The pattern and the value are the submitter's: `^(a+)+$` against "aaaa…a!" backtracks
  // exponentially on JavaScript's RegExp (33 characters held the event loop for 110 s).
  const evil = [{ type: 'Input.Text', id: 'code', label: 'Code', regex: '^(a+)+$' }];

  it('a catastrophic pattern on a long value is checked in linear time (run in a worker, so a regression fails instead of hanging mocha)', async function () {
    this.timeout(90_000); // a worker compiling TypeScript with tsx starts slowly on a busy machine
    const { Worker } = await import('node:worker_threads');
    const worker = new Worker(new URL('./support/run-ts-worker.mjs', import.meta.url), {
      workerData: {
        script: new URL('./support/validate-worker.ts', import.meta.url).href,
        card: card(evil),
        inputs: { code: `${'a'.repeat(5000)}!` },
      },
    });
    // A generous bound on something that takes milliseconds once the worker runs: on a backtracking engine it would never end.
    const outcome = await new Promise<{ kind: string; ms: number } | 'stuck'>((resolve, reject) => {
      const timer = setTimeout(() => resolve('stuck'), 60_000);
      worker.once('message', (m) => {
        clearTimeout(timer);
        resolve(m);
      });
      worker.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
    await worker.terminate();
    expect(outcome, "the check never finished: the card's regex ran on a backtracking engine").to.not.equal('stuck');
    expect((outcome as { kind: string }).kind).to.equal('invalid');
  });

  it('the same pattern still does its job on ordinary values', () => {
    expect(errorsOf(evil, { code: 'aaa!' })).to.deep.equal({ code: 'Code: not in the expected format' });
    expect(valuesOf(evil, { code: 'aaaa' })).to.deep.equal({ code: 'aaaa' });
  });

  it('a value longer than the cap is refused before any pattern runs, saying why', () => {
    expect(errorsOf(evil, { code: 'a'.repeat(10_001) })).to.deep.equal({
      code: 'Code: at most 10000 characters (this has 10001)',
    });
  });
});
