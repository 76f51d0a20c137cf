/**
 * `ArgsOf<pattern>` (the type a handler's `args` get) and the runtime parser must agree: each case
 * below is checked by the compiler (the expected args must be exactly `ArgsOf<P>`) and at run
 * time (matching the text must give exactly those args). A grammar change on one side only
 * breaks one of the two.
 */
import { expect } from 'chai';
import { compilePattern, matchPattern } from '../../../src/routing/pattern.js';
import type { ArgsOf } from '../../../src/skill-kit/index.js';

/** `true` only when A and B are the same type. */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const same = <A, B>(proof: Same<A, B>): Same<A, B> => proof;

/** Runtime half: matching `text` gives exactly `args` (whose type the compiler fixed to ArgsOf<P>). */
function agrees<const P extends string>(pattern: P, text: string, args: NoInfer<ArgsOf<P>>): void {
  expect(matchPattern(compilePattern(pattern), text)).to.deep.equal({ kind: 'match', args });
}

describe('ArgsOf<pattern> and the runtime parser agree', () => {
  it('literals only: no args', () => {
    same<ArgsOf<'provision list'>, Record<never, never>>(true);
    agrees('provision list', 'Provision LIST', {});
  });

  it('<name>: one word, a string', () => {
    same<ArgsOf<'provision cancel <id>'>, { id: string }>(true);
    agrees('provision cancel <id>', 'provision cancel PRV-1', { id: 'PRV-1' });
  });

  it('<name:number>: a number', () => {
    same<ArgsOf<'roll <sides:number>'>, { sides: number }>(true);
    agrees('roll <sides:number>', 'roll 20', { sides: 20 });
  });

  it('<name:a|b>: the choices, lower-cased', () => {
    same<ArgsOf<'ticket <priority:Low|HIGH>'>, { priority: 'low' | 'high' }>(true);
    agrees('ticket <priority:Low|HIGH>', 'ticket High', { priority: 'high' });
  });

  it('<name...>: the rest, as typed', () => {
    same<ArgsOf<'echo <text...>'>, { text: string }>(true);
    agrees('echo <text...>', 'echo  Hello   World ', { text: 'Hello   World' });
  });

  it('[<name>]: optional, undefined when left out', () => {
    same<ArgsOf<'help [<skill>]'>, { skill: string | undefined }>(true);
    agrees('help [<skill>]', 'help', { skill: undefined });
    agrees('help [<skill>]', 'help echo', { skill: 'echo' });
    same<ArgsOf<'roll [<n:number>] [<mode:fast|slow>]'>, { n: number | undefined; mode: 'fast' | 'slow' | undefined }>(
      true,
    );
    agrees('roll [<n:number>] [<mode:fast|slow>]', 'roll 3', { n: 3, mode: undefined });
  });

  it('all together, with extra spaces in the pattern', () => {
    type A = ArgsOf<' ticket  open <priority:low|high>  <title...> '>;
    same<A, { priority: 'low' | 'high'; title: string }>(true);
    agrees(' ticket  open <priority:low|high>  <title...> ', 'ticket open low VPN down', {
      priority: 'low',
      title: 'VPN down',
    });
  });

  it('rejects at compile time what the runtime would never give', () => {
    // Only compiled, never run: each call states args the parser would not produce.
    const neverRun = (): void => {
      // @ts-expect-error a number parameter is not a string
      agrees('roll <sides:number>', 'roll 20', { sides: '20' });
      // @ts-expect-error a choice outside the pattern's choices
      agrees('ticket <priority:low|high>', 'ticket low', { priority: 'urgent' });
      // @ts-expect-error a required parameter cannot be left out
      agrees('provision cancel <id>', 'provision cancel x', {});
      // @ts-expect-error a handler cannot read an arg the pattern does not name
      type _Extra = ArgsOf<'provision cancel <id>'>['extra'];
      // @ts-expect-error nor the wrong type of one it does
      const id: number = ({} as ArgsOf<'provision cancel <id>'>).id;
      void id;
      // @ts-expect-error optional is `| undefined`, not a plain string
      same<ArgsOf<'help [<skill>]'>, { skill: string }>(true);
    };
    expect(neverRun).to.be.a('function');
  });
});
