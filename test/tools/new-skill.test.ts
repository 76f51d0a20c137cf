/**
 * `npm run new-skill`: refuses bad and taken names with a reason, writing nothing; and
 * `new-skill demo` in a copy of the project, followed by that copy's `npm test`, passes — the
 * files it writes work as written. (The copy's run skips this test itself, which would recurse.)
 */
import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const NESTED = 'NEW_SKILL_TEST_NESTED';

function newSkill(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('npm', ['run', '-s', 'new-skill', '--', ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A copy of the project as a clean clone has it (tracked and new files), sharing node_modules. */
function projectCopy(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'new-skill-'));
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f !== '' && existsSync(path.join(root, f)));
  for (const f of files) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    cpSync(path.join(root, f), path.join(dir, f));
  }
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

describe('npm run new-skill', function () {
  this.timeout(60_000);

  for (const [name, reason] of [
    ['Demo', /"Demo" is not a skill name: use lower-case letters/],
    ['1st', /"1st" is not a skill name/],
    ['my_skill', /"my_skill" is not a skill name/],
    [
      'help',
      /"help" is taken: skills\/help\.ts, cards\/help\.json, cards\/help\.data\.json, test\/skills\/help\.test\.ts already exist/,
    ],
    ['echo', /"echo" is taken: skills\/echo\.ts, test\/skills\/echo\.test\.ts already exist/],
  ] as const) {
    it(`refuses "${name}" with the reason, writing nothing`, () => {
      const r = newSkill(root, name);
      expect(r.status).to.equal(1);
      expect(r.stderr).to.match(reason);
      expect(existsSync(path.join(root, 'cards', `${name}.data.json`)) && name !== 'help').to.equal(false);
    });
  }

  it('asks for a name when none is given', () => {
    const r = newSkill(root);
    expect(r.status).to.equal(1);
    expect(r.stderr).to.include('give the new skill a name: npm run new-skill <name>');
  });

  it('refuses a name another skill has, or uses as its command word (files named otherwise)', function () {
    if (process.env[NESTED]) this.skip(); // needs a git checkout to copy
    const dir = projectCopy();
    const kit = JSON.stringify(path.join(dir, 'src/skill-kit/index.js'));
    writeFileSync(
      path.join(dir, 'skills', 'polls.ts'),
      `import { command, defineSkill } from ${kit};
export default defineSkill({ name: 'poll', description: 'Polls', commands: [command({ pattern: 'vote <choice>', help: 'Vote', handle: () => undefined })] });\n`,
    );
    expect(newSkill(dir, 'poll').stderr).to.match(/"poll" is taken: skills\/polls\.ts is already the skill "poll"/);
    expect(newSkill(dir, 'vote').stderr).to.match(
      /"vote" is taken: the skill "poll" \(skills\/polls\.ts\) already has commands starting with "vote"/,
    );
    expect(existsSync(path.join(dir, 'skills', 'vote.ts'))).to.equal(false);
  });

  it('refuses to write next to skills that do not load, saying why', function () {
    if (process.env[NESTED]) this.skip(); // needs a git checkout to copy
    const dir = projectCopy();
    writeFileSync(path.join(dir, 'skills', 'broken.ts'), 'export default 42;\n');
    const r = newSkill(dir, 'fresh');
    expect(r.status).to.equal(1);
    expect(r.stderr)
      .to.include('cannot check "fresh" against the existing skills, which do not load')
      .and.include('broken.ts');
  });

  it("writes its files in the project's style: a long name's lines are wrapped, so the lint step of npm test passes", function () {
    if (process.env[NESTED]) this.skip(); // the copy's own run of this suite (the copy is no git clone)
    const dir = projectCopy();
    const name = 'thanks-for-everyone-in-the-release-team';
    expect(newSkill(dir, name).status).to.equal(0);
    const files = [`skills/${name}.ts`, `test/skills/${name}.test.ts`, `cards/${name}.json`, `cards/${name}.data.json`];
    const lint = spawnSync(path.join(root, 'node_modules/.bin/biome'), ['ci', '--error-on-warnings', ...files], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(lint.status, `${lint.stdout}\n${lint.stderr}`).to.equal(0);
  });

  it("new-skill demo writes the four files, and the project's type check and tests then pass", function () {
    if (process.env[NESTED]) this.skip(); // the copy's own run of this suite
    this.timeout(15 * 60_000);
    const dir = projectCopy();
    const r = newSkill(dir, 'demo');
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout)
      .to.include('created the skill "demo"')
      .and.include('Test it alone: npm test -- test/skills/demo.test.ts');
    for (const f of ['skills/demo.ts', 'cards/demo.json', 'cards/demo.data.json', 'test/skills/demo.test.ts'])
      expect(existsSync(path.join(dir, f)), f).to.equal(true);
    expect(readFileSync(path.join(dir, 'skills/demo.ts'), 'utf8')).to.include("name: 'demo'");
    expect(newSkill(dir, 'demo').stderr).to.include('"demo" is taken');

    // What `npm test` runs — the type check, then mocha — over the suites a new skill can change:
    // the unit tests, every skill's chat tests, the tools, and the whole bot over HTTP. (The
    // emulator's, the browser's and the scale-out suites cannot see a skill file, and running
    // them twice would double CI's time.)
    const typecheck = spawnSync('npm', ['run', 'typecheck'], { cwd: dir, encoding: 'utf8', timeout: 5 * 60_000 });
    expect(typecheck.status, `${typecheck.stdout}\n${typecheck.stderr}`).to.equal(0);
    const test = spawnSync(
      'npx',
      [
        'mocha',
        '--no-config',
        '--node-option',
        'import=tsx',
        '--extension',
        'ts',
        '--timeout',
        '20000',
        'test/unit/**/*.test.ts',
        'test/skills/**/*.test.ts',
        'test/tools/**/*.test.ts',
        'test/e2e/bot.e2e.test.ts',
      ],
      {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, [NESTED]: '1' },
        timeout: 10 * 60_000,
      },
    );
    const summary = test.stdout
      .split('\n')
      .filter((l) => /passing|failing|pending/.test(l))
      .join(' ');
    expect(test.status, `${summary}\n${test.stdout.slice(-3000)}\n${test.stderr.slice(-2000)}`).to.equal(0);
    expect(test.stdout).to.include('skill: demo').and.include('thanks whoever submits it, and counts their messages');
    expect(test.stdout).to.not.match(/\d+ failing/);
  });
});
