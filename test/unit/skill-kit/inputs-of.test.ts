/**
 * `InputsOf<spec>` (the type a form handler's `inputs` get) and the validator that makes them
 * must agree: each case is checked by the compiler (expected values must be exactly
 * `InputsOf<S>`) and at run time (validating a submission of a card with those inputs gives
 * exactly those values), and the start-up check ties the spec to the card.
 */
import { expect } from 'chai';
import { validateSubmission } from '../../../src/cards/validate-inputs.js';
import { formProblems } from '../../../src/routing/form-spec.js';
import { form, type InputSpec, type InputsOf } from '../../../src/skill-kit/index.js';

type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const same = <A, B>(proof: Same<A, B>): Same<A, B> => proof;

const choices = [
  { title: 'A', value: 'a' },
  { title: 'B', value: 'b' },
];
const card = {
  type: 'AdaptiveCard',
  version: '1.3',
  body: [
    { type: 'Input.Text', id: 'name', label: 'Name', isRequired: true, errorMessage: 'Name' },
    { type: 'Input.Text', id: 'note', label: 'Note' },
    { type: 'Input.Number', id: 'seats', label: 'Seats', isRequired: true, errorMessage: 'Seats' },
    { type: 'Input.Number', id: 'budget', label: 'Budget' },
    { type: 'Input.Date', id: 'day', label: 'Day' },
    { type: 'Input.Time', id: 'at', label: 'At', isRequired: true, errorMessage: 'At' },
    { type: 'Input.Toggle', id: 'ok', title: 'OK' },
    { type: 'Input.ChoiceSet', id: 'one', label: 'One', isRequired: true, errorMessage: 'One', choices },
    { type: 'Input.ChoiceSet', id: 'many', label: 'Many', isMultiSelect: true, choices },
  ],
  actions: [{ type: 'Action.Submit', title: 'Send' }],
};
const spec = {
  name: 'text',
  note: 'text?',
  seats: 'number',
  budget: 'number?',
  day: 'date?',
  at: 'time',
  ok: 'toggle',
  one: 'choice',
  many: 'choices?',
} as const;

/** Runtime half: validating `submitted` against the card gives exactly `expected` (typed by the compiler). */
function agrees<const S extends InputSpec>(
  s: S,
  submitted: Record<string, string>,
  expected: NoInfer<InputsOf<S>>,
): void {
  expect(formProblems(s, card)).to.deep.equal([]);
  const v = validateSubmission(card, submitted);
  expect(v.kind).to.equal('valid');
  expect(v.kind === 'valid' && v.inputs).to.deep.equal(expected);
}

describe('InputsOf<spec> and the validator agree', () => {
  it('gives each kind its type: text and dates strings, numbers, booleans, string lists; "?" adds undefined', () => {
    same<
      InputsOf<typeof spec>,
      {
        readonly name: string;
        readonly note: string | undefined;
        readonly seats: number;
        readonly budget: number | undefined;
        readonly day: string | undefined;
        readonly at: string;
        readonly ok: boolean;
        readonly one: string;
        readonly many: readonly string[];
      }
    >(true);
    agrees(
      spec,
      {
        name: 'Ada',
        note: 'hi',
        seats: '3',
        budget: '2.5',
        day: '2030-01-02',
        at: '09:30',
        ok: 'true',
        one: 'b',
        many: 'a,b',
      },
      {
        name: 'Ada',
        note: 'hi',
        seats: 3,
        budget: 2.5,
        day: '2030-01-02',
        at: '09:30',
        ok: true,
        one: 'b',
        many: ['a', 'b'],
      },
    );
    agrees(
      spec,
      { name: 'Ada', seats: '1', at: '10:00', one: 'a' },
      {
        name: 'Ada',
        note: undefined,
        seats: 1,
        budget: undefined,
        day: undefined,
        at: '10:00',
        ok: false,
        one: 'a',
        many: [],
      },
    );
  });

  it("types a form handler's inputs from its declaration", () => {
    const f = form({ inputs: spec, handle: ({ inputs }) => inputs.seats + (inputs.budget ?? 0) });
    same<Parameters<typeof f.handle>[0]['inputs'], InputsOf<typeof spec>>(true);
    expect(f.inputs).to.equal(spec);
  });

  it('rejects at compile time what the validator would never give', () => {
    const neverRun = (): void => {
      // @ts-expect-error a number input is a number, not its text
      agrees({ seats: 'number' }, { seats: '3' }, { seats: '3' });
      // @ts-expect-error a toggle is a boolean
      agrees({ ok: 'toggle' }, { ok: 'true' }, { ok: 'true' });
      // @ts-expect-error a multi-select is a list, even with one value
      agrees({ many: 'choices' }, { many: 'a' }, { many: 'a' });
      // @ts-expect-error a required input is never undefined
      agrees({ name: 'text' }, {}, { name: undefined });
      // @ts-expect-error a toggle always has a value: it cannot be optional
      form({ inputs: { ok: 'toggle?' }, handle: () => undefined });
      // @ts-expect-error kinds are the seven the cards have
      form({ inputs: { mail: 'email' }, handle: () => undefined });
      form({
        inputs: { n: 'number?' },
        handle: ({ inputs }) => {
          // @ts-expect-error an optional number may be undefined
          const n: number = inputs.n;
          // @ts-expect-error only declared inputs exist
          return [n, inputs.other];
        },
      });
    };
    expect(neverRun).to.be.a('function');
  });
});
