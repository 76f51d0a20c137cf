import { expect } from 'chai';
import { PatternSyntaxError } from '../../../src/errors.js';
import { compilePattern, matchPattern, matchRegExp } from '../../../src/routing/pattern.js';

describe('command patterns', () => {
  const ticket = compilePattern('ticket open <priority:low|high> <title...>');

  it('captures named, typed arguments', () => {
    expect(matchPattern(ticket, 'ticket open high VPN is down')).to.deep.equal({
      kind: 'match',
      args: { priority: 'high', title: 'VPN is down' },
    });
  });

  it('matches literals and choices case-insensitively', () => {
    expect(matchPattern(ticket, 'TICKET Open HIGH x')).to.deep.equal({
      kind: 'match',
      args: { priority: 'high', title: 'x' },
    });
  });

  it('keeps the spacing and line breaks of a rest capture', () => {
    const echo = compilePattern('echo <text...>');
    expect(matchPattern(echo, 'echo  two  spaces\nand a line ')).to.deep.equal({
      kind: 'match',
      args: { text: 'two  spaces\nand a line' },
    });
  });

  it('is anchored at the start', () => {
    expect(matchPattern(ticket, 'please ticket open high x').kind).to.equal('none');
  });

  it('is not this command when its leading words differ', () => {
    expect(matchPattern(ticket, 'ticket close 42').kind).to.equal('none');
    expect(matchPattern(ticket, 'tickets open high x').kind).to.equal('none');
  });

  it('explains wrong arguments once the command words match', () => {
    expect(matchPattern(ticket, 'ticket open')).to.deep.equal({
      kind: 'usage',
      problem: '<priority:low|high> is missing',
    });
    expect(matchPattern(ticket, 'ticket open urgent x')).to.deep.equal({
      kind: 'usage',
      problem: '<priority> must be one of: low, high (got "urgent")',
    });
    expect(matchPattern(ticket, 'ticket open low')).to.deep.equal({ kind: 'usage', problem: '<title...> is missing' });
  });

  it('parses numbers and rejects non-numbers', () => {
    const roll = compilePattern('roll <sides:number>');
    expect(matchPattern(roll, 'roll 20')).to.deep.equal({ kind: 'match', args: { sides: 20 } });
    expect(matchPattern(roll, 'roll 2.5')).to.deep.equal({ kind: 'match', args: { sides: 2.5 } });
    expect(matchPattern(roll, 'roll many')).to.deep.equal({
      kind: 'usage',
      problem: '<sides> must be a number, got "many"',
    });
  });

  it('supports optional trailing parameters', () => {
    const help = compilePattern('help [<skill>]');
    expect(matchPattern(help, 'help')).to.deep.equal({ kind: 'match', args: { skill: undefined } });
    expect(matchPattern(help, 'help echo')).to.deep.equal({ kind: 'match', args: { skill: 'echo' } });
    expect(matchPattern(help, 'help echo now')).to.deep.equal({ kind: 'usage', problem: 'unexpected "now"' });
  });

  it('refuses extra words after a complete command', () => {
    expect(matchPattern(compilePattern('ping'), 'ping pong')).to.deep.equal({
      kind: 'usage',
      problem: 'unexpected "pong"',
    });
    expect(matchPattern(compilePattern('ping'), 'ping').kind).to.equal('match');
  });

  it('records the leading literal words as the prefix', () => {
    expect(ticket.prefix).to.deep.equal(['ticket', 'open']);
  });

  for (const [source, problem] of [
    ['', /empty/],
    ['<text...>', /must start with a word/],
    ['echo <text...> more', /must be the last token/],
    ['a <x> <x>', /appears twice/],
    ['a <1x>', /not a valid parameter name/],
    ['a [<x>] <y>', /cannot follow an optional/],
    ['a [<x>] b', /cannot follow an optional/],
    ['a <x:oops>', /a type is "number" or choices/],
    ['a <x', /neither a word nor a <parameter>/],
  ] as const) {
    it(`rejects the malformed pattern "${source}"`, () => {
      expect(() => compilePattern(source)).to.throw(PatternSyntaxError, problem);
    });
  }

  it('turns RegExp named groups into args', () => {
    expect(matchRegExp(/^remind me (?<what>.+) in (?<mins>\d+)m$/i, 'Remind me tea in 5m')).to.deep.equal({
      kind: 'match',
      args: { what: 'tea', mins: '5' },
    });
    expect(matchRegExp(/^x$/g, 'y').kind).to.equal('none');
  });

  it('gives the same answer for a global RegExp on repeated calls', () => {
    const re = /hello/g;
    expect(matchRegExp(re, 'hello').kind).to.equal('match');
    expect(matchRegExp(re, 'hello').kind).to.equal('match');
  });
});
