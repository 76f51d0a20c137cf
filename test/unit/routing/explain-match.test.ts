import { expect } from 'chai';
import { buildCommandIndex } from '../../../src/routing/command-index.js';
import { explainableCommands, explainMatch } from '../../../src/routing/explain-match.js';
import { command, defineSkill } from '../../../src/skill-kit/index.js';
import { checkSkill } from '../../../src/routing/skill-loader.js';

const noop = async (): Promise<void> => undefined;
const tickets = checkSkill(
  'ticket.ts',
  defineSkill({
    name: 'ticket',
    description: 'tickets',
    commands: [
      command({ pattern: 'ticket open <priority:low|high> <title...>', help: 'open one', handle: noop }),
      command({ pattern: 'ticket close <id:number>', help: 'close one', handle: noop }),
      command({ pattern: 'ticket <anything...>', help: 'anything else about tickets', handle: noop }),
    ],
  }),
);
const help = checkSkill(
  'help.ts',
  defineSkill({
    name: 'help',
    description: 'help',
    commands: [command({ pattern: 'help [<skill>]', help: 'list', handle: noop })],
  }),
);
const index = buildCommandIndex([tickets, help]);
const explain = (text: string) => explainMatch(explainableCommands(index), text, index.find(text));

describe('explainMatch: why a text went to its command', () => {
  it('names the command that matched and why the others that match too lost', () => {
    const e = explain('ticket open high VPN down');
    expect(e.result).to.equal('match');
    expect(e.chosen).to.deep.equal({ skill: 'ticket', usage: 'ticket open <priority:low|high> <title...>' });
    expect(e.nearest[0]).to.deep.include({ usage: 'ticket <anything...>' });
    expect(e.nearest[0]!.why).to.match(
      /matches too, but .*"ticket open <priority:low\|high> <title\.\.\.>" comes first: more leading words/,
    );
    expect(e.nearest[1]).to.deep.include({ usage: 'ticket close <id:number>' });
    expect(e.nearest[1]!.why).to.equal('it starts with "ticket close", not "ticket open"');
  });

  it('says which argument was wrong when a command recognised its words', () => {
    const e = explain('ticket open urgent VPN');
    expect(e.result).to.equal('usage');
    expect(e.chosen?.usage).to.equal('ticket open <priority:low|high> <title...>');
    const anything = e.nearest.find((n) => n.usage === 'ticket <anything...>');
    expect(anything?.why).to.match(/recognised its own words first/);
  });

  it('points at a typo when nothing matched, nearest first, and leaves out commands that are nowhere near', () => {
    const e = explain('hepl');
    expect(e.result).to.equal('none');
    expect(e.chosen).to.equal(undefined);
    expect(e.nearest).to.deep.equal([
      { skill: 'help', usage: 'help [<skill>]', why: 'it starts with "help", not "hepl" (a typo?)' },
    ]);
    expect(explain('good morning').nearest).to.deep.equal([]);
  });

  it('keeps to `max` commands', () => {
    const e = explainMatch(explainableCommands(index), 'ticket close 7', index.find('ticket close 7'), 1);
    expect(e.chosen?.usage).to.equal('ticket close <id:number>');
    expect(e.nearest).to.have.length(1);
  });
});
