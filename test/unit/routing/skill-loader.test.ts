import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { SkillLoadError } from '../../../src/errors.js';
import { checkSkill, checkSkillSet, loadSkills } from '../../../src/routing/skill-loader.js';

const fixtures = (name: string) => fileURLToPath(new URL(`../../fixtures/skills/${name}`, import.meta.url));

async function loadError(dir: string): Promise<SkillLoadError> {
  try {
    await loadSkills(dir);
  } catch (err) {
    expect(err).to.be.instanceOf(SkillLoadError);
    return err as SkillLoadError;
  }
  expect.fail('expected a SkillLoadError');
}

describe('skill loader', () => {
  it('loads every skill file in name order, skipping helpers and other files', async () => {
    const skills = await loadSkills(fixtures('good'));
    expect(skills.map((s) => s.info.name)).to.deep.equal(['alpha', 'beta']);
    expect(skills[0]!.info.commands).to.deep.equal([
      { usage: 'alpha <x>', help: 'Alpha', examples: ['alpha 1'], withoutArguments: undefined },
    ]);
    expect(skills[1]!.info.commands[0]!.usage).to.equal('b<number>');
    expect([...skills[0]!.submitHandlers.keys()]).to.deep.equal(['form-a']);
  });

  it('says which commands run without arguments, and with what text', async () => {
    const loaded = checkSkill('x.ts', {
      name: 'x',
      description: 'X',
      commands: [
        { pattern: 'x list', help: 'h', handle() {} },
        { pattern: 'x show [<id>]', help: 'h', handle() {} },
        { pattern: 'x get <id>', help: 'h', handle() {} },
        { pattern: /^x (?<a>.+)$/, usage: 'x <a>', help: 'h', handle() {} },
      ],
    });
    expect(loaded.info.commands.map((c) => c.withoutArguments)).to.deep.equal([
      'x list',
      'x show',
      undefined,
      undefined,
    ]);
  });

  it('accepts form({ inputs, handle }) handlers and refuses bad inputs declarations', () => {
    const handle = (): void => undefined;
    const ok = checkSkill('f.ts', {
      name: 'f',
      description: 'F',
      onSubmit: { f: { inputs: { a: 'text', b: 'number?' }, handle } },
    });
    expect(ok.submitHandlers.get('f')).to.deep.equal({ handle, inputs: { a: 'text', b: 'number?' } });
    expect(() =>
      checkSkill('f.ts', { name: 'f', description: 'F', onSubmit: { f: { inputs: { a: 'email' }, handle } } }),
    ).to.throw(/f\.ts: onSubmit\["f"\]: inputs\["a"\] must be one of/);
    expect(() => checkSkill('f.ts', { name: 'f', description: 'F', onSubmit: { f: { inputs: {} } } })).to.throw(
      /onSubmit\["f"\] must be a function or form\(\{ inputs, handle \}\)/,
    );
  });

  it('names the file whose export is not a valid skill', async () => {
    const err = await loadError(fixtures('bad-export'));
    expect(err.file).to.match(/bad-export\/thing\.ts$/);
    expect(err.message).to.match(/"name" must be lower-case words/);
  });

  it('names the file with a malformed pattern', async () => {
    const err = await loadError(fixtures('bad-pattern'));
    expect(err.message).to.match(/broken\.ts: commands\[0\]: Invalid command pattern "echo <text\.\.\.> more"/);
  });

  it('names the file that throws while loading', async () => {
    const err = await loadError(fixtures('throws-on-import'));
    expect(err.message).to.match(/boom\.ts: failed to load: kaboom at import/);
  });

  it('needs usage text for a RegExp command', async () => {
    const err = await loadError(fixtures('regexp-no-usage'));
    expect(err.message).to.match(/r\.ts: commands\[0\]: a RegExp command needs "usage"/);
  });

  it('reports a missing folder', async () => {
    const err = await loadError('/nonexistent/skills');
    expect(err.message).to.match(/cannot read the skills folder/);
  });

  it('checks each command', () => {
    const base = { name: 'x', description: 'd' };
    expect(() => checkSkill('x.ts', { ...base, commands: [{ pattern: 'x', handle: () => 1 }] })).to.throw(
      /"help" must say/,
    );
    expect(() => checkSkill('x.ts', { ...base, commands: [{ pattern: 'x', help: 'h' }] })).to.throw(
      /"handle" must be a function/,
    );
    expect(() => checkSkill('x.ts', { ...base, commands: [{ pattern: 42, help: 'h', handle: () => 1 }] })).to.throw(
      /"pattern" must be a string/,
    );
    expect(() =>
      checkSkill('x.ts', { ...base, commands: [{ pattern: 'x', help: 'h', handle: () => 1, examples: 'x' }] }),
    ).to.throw(/"examples" must be a list/);
    expect(() => checkSkill('x.ts', { ...base, onSubmit: { c: 'nope' } })).to.throw(
      /onSubmit\["c"\] must be a function/,
    );
    expect(() => checkSkill('x.ts', base)).to.throw(/can never run/);
    expect(() => checkSkill('x.ts', undefined)).to.throw(/export default defineSkill/);
  });

  it('refuses two skills with one name', async () => {
    const skills = await loadSkills(fixtures('dup-names'));
    expect(() => checkSkillSet(skills, new Set())).to.throw(
      SkillLoadError,
      /b\.ts: skill name "same" is already used by .*a\.ts/,
    );
  });

  it('refuses a handler for a card that does not exist', async () => {
    const skills = await loadSkills(fixtures('good'));
    expect(() => checkSkillSet(skills, new Set())).to.throw(
      SkillLoadError,
      /onSubmit\["form-a"\]: there is no cards\/form-a\.json/,
    );
    expect(() => checkSkillSet(skills, new Set(['form-a']))).to.not.throw();
  });

  it('refuses two owners for one card', () => {
    const one = checkSkill('one.ts', { name: 'one', description: 'd', onSubmit: { c: () => 1 } });
    const two = checkSkill('two.ts', { name: 'two', description: 'd', onSubmit: { c: () => 1 } });
    expect(() => checkSkillSet([one, two], new Set(['c']))).to.throw(/two\.ts: card "c" is already handled by one\.ts/);
  });

  it('loads the shipped skills', async () => {
    const skills = await loadSkills(fileURLToPath(new URL('../../../skills', import.meta.url)));
    expect(skills.map((s) => s.info.name)).to.include.members(['echo', 'help', 'feedback']);
  });
});
