import { expect } from 'chai';
import { abilitiesText, EVERYONE_MAY_RUN, toolsFor, type MayRun } from '../../../src/assistant/abilities.js';
import { problemForModel, toCommandText, usageAnswer } from '../../../src/assistant/tool-call.js';
import { ABILITIES_TOOL, commandTools } from '../../../src/assistant/tools.js';
import { buildCommandIndex } from '../../../src/routing/command-index.js';
import { checkSkill, type LoadedSkill } from '../../../src/routing/skill-loader.js';

const handle = () => undefined;

function skills(): LoadedSkill[] {
  return [
    checkSkill('skills/tickets.ts', {
      name: 'tickets',
      description: 'Tickets for the help desk.',
      commands: [
        {
          pattern: 'ticket open <priority:low|high> <title...>',
          help: 'Open a ticket',
          examples: ['ticket open high VPN is down'],
          handle,
        },
        { pattern: 'ticket close <id:number> [<reason...>]', help: 'Close a ticket', handle },
        { pattern: 'ticket <anything...>', help: 'Search tickets', handle },
      ],
    }),
    checkSkill('skills/remind.ts', {
      name: 'remind',
      description: 'Reminders',
      commands: [
        { pattern: 'remind <who> [<when>] [<what...>]', help: 'Remind someone', handle },
        { pattern: /^weather\s+(?<city>\w+)$/i, usage: 'weather <city>', help: 'The weather', handle },
        { pattern: 'what i can do', help: 'A command that wants the built-in name', handle },
        { pattern: 'TICKET open <x>', help: 'Same words as another', priority: -1, handle },
      ],
    }),
  ];
}

describe('assistant: commands as tools', () => {
  const loaded = skills();
  const tools = commandTools(loaded);
  const index = buildCommandIndex(loaded);
  const byName = (name: string) => tools.find((t) => t.spec.name === name)!;
  const call = (name: string, args: unknown) => ({
    id: 'c1',
    name,
    arguments: typeof args === 'string' ? args : JSON.stringify(args),
  });
  const resolve = (name: string, args: unknown) => toCommandText(call(name, args), tools, index.find);

  it('names each tool by its leading words, stably and uniquely, never taking the built-in name', () => {
    expect(tools.map((t) => t.spec.name)).to.deep.equal([
      'ticket_open',
      'ticket_close',
      'ticket',
      'remind',
      'weather',
      'what_i_can_do_2',
      'ticket_open_2',
    ]);
    for (const t of tools) expect(t.spec.name).to.match(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(ABILITIES_TOOL).to.equal('what_i_can_do');
  });

  it('describes each tool by its help, skill, usage and examples', () => {
    expect(byName('ticket_open').spec.description).to.equal(
      'Open a ticket. Skill "tickets": Tickets for the help desk. Typed as: ticket open <priority:low|high> <title...> Examples: ticket open high VPN is down',
    );
    expect(byName('remind').spec.description).to.include('Give [<when>], [<what...>] in order');
  });

  it('makes the JSON Schema from the typed captures: word, number, choice, rest; optional not required', () => {
    expect(byName('ticket_open').spec.parameters).to.deep.equal({
      type: 'object',
      properties: {
        priority: { type: 'string', enum: ['low', 'high'] },
        title: { type: 'string', description: 'free text', minLength: 1 },
      },
      required: ['priority', 'title'],
      additionalProperties: false,
    });
    expect(byName('ticket_close').spec.parameters).to.deep.include({ required: ['id'] });
    expect((byName('ticket_close').spec.parameters['properties'] as Record<string, unknown>)['id']).to.deep.equal({
      type: 'number',
    });
    expect((byName('remind').spec.parameters['properties'] as Record<string, unknown>)['who']).to.deep.equal({
      type: 'string',
      description: 'one word, no spaces',
      pattern: '^\\S+$',
    });
    expect(byName('weather').spec.parameters).to.deep.include({ required: ['text'] });
  });

  describe('a tool call → the command text dispatchText matches', () => {
    it('writes the command as typed, choices lower-cased, numbers as numbers', () => {
      expect(resolve('ticket_open', { priority: 'High', title: ' VPN is down ' })).to.deep.include({
        kind: 'command',
        text: 'ticket open high VPN is down',
      });
      expect(resolve('ticket_close', { id: 42 })).to.deep.include({ text: 'ticket close 42' });
      expect(resolve('ticket_close', { id: '7', reason: 'fixed' })).to.deep.include({ text: 'ticket close 7 fixed' });
      expect(resolve('remind', { who: 'ada', when: 'monday', what: 'the report' })).to.deep.include({
        text: 'remind ada monday the report',
      });
      expect(resolve('weather', { text: 'weather Paris' })).to.deep.include({ text: 'weather Paris' });
      const made = resolve('ticket_open', { priority: 'low', title: 'printer' });
      if (made.kind !== 'command') expect.fail(JSON.stringify(made));
      const lookup = index.find(made.text);
      expect(lookup.kind === 'match' && lookup.command).to.equal(made.tool.command);
    });

    it('tells the problem with arguments that fail the schema', () => {
      const problem = (name: string, args: unknown) => {
        const r = resolve(name, args);
        return r.kind === 'problem' ? r.problem : `no problem: ${JSON.stringify(r)}`;
      };
      expect(problem('ticket_open', { priority: 'urgent', title: 'x' })).to.equal(
        '"priority" must be one of: low, high',
      );
      expect(problem('ticket_open', { priority: 'high' })).to.equal('"title" is required');
      expect(problem('ticket_open', { priority: 'high', title: '   ' })).to.equal('"title" must be a non-empty string');
      expect(problem('ticket_open', { priority: 'high', title: 'x', owner: 'me' })).to.equal(
        'unknown argument "owner" (its arguments: priority, title)',
      );
      expect(problem('ticket_close', { id: 'seven' })).to.equal('"id" must be a number');
      expect(problem('remind', { who: 'ada lovelace' })).to.equal('"who" must be one word, without spaces');
      expect(problem('remind', { who: 'ada', what: 'the report' })).to.equal(
        '"what" can only be given with "when" ([<when>]) too',
      );
      expect(problem('ticket_open', '{"priority": "high",')).to.equal('the arguments are not valid JSON');
      expect(problem('ticket_open', '["high"]')).to.equal('the arguments must be a JSON object');
      expect(problem('weather', { city: 'Paris' })).to.equal('unknown argument "city" (its one argument: text)');
    });

    it('refuses a text the index would give to another command, or that does not read as this one', () => {
      // A RegExp command's text must match it.
      const weather = resolve('weather', { text: 'weather in Paris please' });
      expect(weather).to.deep.include({ kind: 'problem' });
      expect(weather.kind === 'problem' && weather.problem).to.match(/does not read as this command/);
      // The search command cannot be used to reach `ticket open` with bad arguments.
      const search = resolve('ticket', { anything: 'open urgent x' });
      expect(search.kind === 'problem' && search.problem).to.match(/does not read as this command/);
      // Same words, lower priority: the text always goes to the other command first.
      const shadowed = resolve('ticket_open_2', { x: 'y' });
      expect(shadowed.kind).to.equal('problem');
    });

    it('names the tools when the model calls one that does not exist, and knows the built-in list', () => {
      const r = resolve('delete_everything', {});
      expect(r.kind === 'problem' && r.problem).to.match(
        /^there is no tool "delete_everything" \(the tools: ticket_open, /,
      );
      expect(resolve(ABILITIES_TOOL, {})).to.deep.equal({ kind: 'abilities' });
    });

    it('only knows the tools it is given: a tool not offered to the person is no tool', () => {
      const offered = tools.filter((t) => t.command.skill !== 'tickets');
      const r = toCommandText(call('ticket_open', { priority: 'high', title: 'x' }), offered, index.find);
      expect(r.kind === 'problem' && r.problem).to.match(/^there is no tool "ticket_open"/);
    });

    it('tells the model what to fix, and the person the usage', () => {
      const r = resolve('ticket_open', { priority: 'urgent', title: 'x' });
      if (r.kind !== 'problem') expect.fail('no problem');
      expect(problemForModel(r)).to.equal(
        'Not run: "priority" must be one of: low, high. It is typed as: ticket open <priority:low|high> <title...>. Call the tool again with corrected arguments, or answer in words.',
      );
      expect(usageAnswer(r, 'help')).to.equal(
        'I could not turn that into a command: "priority" must be one of: low, high.\n\nUsage: `ticket open <priority:low|high> <title...>` — Open a ticket\n\nFor example: `ticket open high VPN is down`',
      );
      const unknown = resolve('nope', {});
      if (unknown.kind !== 'problem') expect.fail('no problem');
      expect(usageAnswer(unknown, '@Bot help')).to.equal(
        'Sorry, I could not work out which command you meant. Type `@Bot help` to see what I can do.',
      );
    });
  });

  describe('what the person may use', () => {
    const person = { id: 'p1', displayName: 'Ada', email: 'ada@example.com' };
    const space = { id: 'r1', title: 'Ada', type: 'direct' as const };

    it('offers only the commands the predicate allows, and lists only those skills', async () => {
      const noTickets: MayRun = async (command, asker) => command.skill !== 'tickets' || asker.person.id !== 'p1';
      const offered = await toolsFor(tools, { person, space }, noTickets);
      expect(offered.map((t) => t.command.skill)).to.not.include('tickets');
      const text = abilitiesText(offered, loaded);
      expect(text).to.include('**remind** — Reminders').and.include('- `weather <city>` — The weather');
      expect(text).to.not.include('tickets').and.not.include('ticket close');
      const all = await toolsFor(tools, { person, space }, EVERYONE_MAY_RUN);
      expect(all).to.have.length(tools.length);
      expect(abilitiesText(all, loaded)).to.include(
        '- `ticket open <priority:low|high> <title...>` — Open a ticket (e.g. `ticket open high VPN is down`)',
      );
    });

    it('says so when the person may use nothing', () => {
      expect(abilitiesText([], loaded)).to.equal('There is nothing I can do for you here, I am afraid.');
    });
  });
});
