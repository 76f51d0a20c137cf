import { expect } from 'chai';
import { prefillInputs } from '../../../src/cards/prefill.js';
import { toCommandText } from '../../../src/assistant/tool-call.js';
import { commandTools } from '../../../src/assistant/tools.js';
import { buildCommandIndex } from '../../../src/routing/command-index.js';
import { checkSkill } from '../../../src/routing/skill-loader.js';

const handle = () => undefined;

/** A form as the bot sends it: a text with rules, a choice, a date, a number, a toggle. */
const FORM = {
  type: 'AdaptiveCard',
  version: '1.3',
  body: [
    { type: 'Input.Text', id: 'name', label: 'Name', isRequired: true, maxLength: 20 },
    { type: 'Input.Text', id: 'email', label: 'E-mail', regex: '^[^@\\s]+@[^@\\s]+$' },
    {
      type: 'Input.ChoiceSet',
      id: 'team',
      label: 'Team',
      choices: [
        { title: 'People & HR', value: 'people' },
        { title: 'Sales', value: 'sales' },
      ],
    },
    { type: 'Input.Date', id: 'start', label: 'Start', min: '2030-01-01' },
    { type: 'Input.Number', id: 'desks', label: 'Desks', max: 3 },
    { type: 'Input.Toggle', id: 'laptop', title: 'Laptop' },
  ],
  actions: [{ type: 'Action.Submit', title: 'Send' }],
};

const filledValue = (card: Record<string, unknown>, id: string) =>
  (card['body'] as Array<Record<string, unknown>>).find((e) => e['id'] === id)?.['value'];

describe('assistant: forms pre-filled', () => {
  it('puts in the values that pass the inputs’ own rules, and leaves out the others', () => {
    const { card, filled, refused } = prefillInputs(FORM, {
      name: ' Ada Lovelace ',
      email: 'not an address',
      team: 'People & HR',
      start: '2029-12-31',
      desks: 2,
      laptop: true,
      unknown: 'ignored',
    });
    expect(filled).to.deep.equal(['name', 'team', 'desks', 'laptop']);
    expect(refused.map((r) => r.id)).to.deep.equal(['email', 'start']);
    expect(filledValue(card, 'name')).to.equal('Ada Lovelace');
    expect(filledValue(card, 'team')).to.equal('people'); // named by its title, filled by its value
    expect(filledValue(card, 'desks')).to.equal(2);
    expect(filledValue(card, 'laptop')).to.equal('true');
    expect(filledValue(card, 'email')).to.equal(undefined);
    expect(filledValue(FORM, 'name'), 'the card given is not changed').to.equal(undefined);
    expect(card['actions']).to.deep.equal(FORM.actions);
  });

  it('a command that opens a form takes its inputs as optional arguments, and passes them on as a prefill', () => {
    const loaded = [
      checkSkill('skills/staff.ts', {
        name: 'staff',
        description: 'Staff',
        commands: [
          { pattern: 'hire', help: 'Open the hiring form', opensForm: 'hire', handle },
          { pattern: 'hire note <name>', help: 'A note', opensForm: 'hire', handle },
          { pattern: 'fire', help: 'No form', handle },
        ],
      }),
    ];
    const tools = commandTools(loaded, (id) => (id === 'hire' ? FORM : undefined));
    const hire = tools.find((t) => t.spec.name === 'hire')!;
    expect(hire.spec.parameters['required']).to.deep.equal([]);
    expect(Object.keys(hire.spec.parameters['properties'] as object)).to.deep.equal([
      'name',
      'email',
      'team',
      'start',
      'desks',
      'laptop',
    ]);
    expect(hire.spec.description).to.include('nothing is sent until the person presses its button');
    expect(tools.find((t) => t.spec.name === 'fire')!.form).to.equal(undefined);

    const index = buildCommandIndex(loaded);
    const resolved = toCommandText(
      { id: 'c1', name: 'hire', arguments: JSON.stringify({ name: 'Ada', team: 'sales', email: '' }) },
      tools,
      index.find,
    );
    expect(resolved).to.deep.include({
      kind: 'command',
      text: 'hire',
      prefill: { cardId: 'hire', values: { name: 'Ada', team: 'sales' } },
    });
    // A name the pattern takes stays the command's own argument.
    const note = toCommandText(
      { id: 'c2', name: 'hire_note', arguments: '{"name":"Ada","team":"sales"}' },
      tools,
      index.find,
    );
    expect(note).to.deep.include({
      kind: 'command',
      text: 'hire note Ada',
      prefill: { cardId: 'hire', values: { team: 'sales' } },
    });
    const plain = toCommandText({ id: 'c3', name: 'hire', arguments: '{}' }, tools, index.find);
    expect(plain).to.deep.include({ kind: 'command', text: 'hire', prefill: undefined });
  });
});
