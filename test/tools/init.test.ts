/**
 * `webex-skill-bot <command>` and `webex-skill-bot init <folder>`: the commands it offers, a new
 * project's files (its test script, its one-file hint, its cards' types), and the refusals —
 * a folder that holds anything, no folder at all, a command that does not exist. (The project
 * installed, tested and started from a real pack: test/package/.)
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('webex-skill-bot <command>', function () {
  this.timeout(60_000);

  it('--help lists what npm run offers here, and init', () => {
    const r = cli('--help');
    expect(r.status).to.equal(0);
    for (const command of ['init', 'start', 'dev', 'test', 'build', 'doctor', 'new-skill', 'cards:check', 'emulator'])
      expect(r.stdout).to.match(new RegExp(`^  ${command} `, 'm'));
  });

  it('refuses a command that does not exist, listing those that do', () => {
    const r = cli('deploy');
    expect(r.status).to.equal(1);
    expect(r.stderr).to.include('there is no command "deploy"').and.include('cards:check');
  });

  it('init writes a project that depends on the package, tests in CI and says how to run one test', () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'init-')), 'My Bot');
    const r = cli('init', dir, '--toolkit', 'file:/somewhere/webex-skill-bot.tgz');
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.include('npm install').and.include('npm test -- test/skills/hello.test.ts');
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
      name: string;
      type: string;
      scripts: Record<string, string>;
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(pkg.name).to.equal('my-bot');
    expect(pkg.type).to.equal('module');
    expect(pkg.dependencies).to.deep.equal({ 'webex-skill-bot': 'file:/somewhere/webex-skill-bot.tgz' });
    expect(pkg.scripts).to.include({
      start: 'webex-skill-bot start',
      dev: 'webex-skill-bot dev',
      test: 'webex-skill-bot test',
    });
    expect(pkg.devDependencies).to.have.keys([
      '@types/chai',
      '@types/mocha',
      '@types/node',
      'chai',
      'mocha',
      'typescript',
    ]);
    for (const f of [
      'skills/hello.ts',
      'cards/hello.json',
      'cards/hello.data.json',
      'test/skills/hello.test.ts',
      'skills/help.ts',
      '.gitignore',
      'README.md',
      'tsconfig.json',
    ])
      expect(existsSync(path.join(dir, f)), f).to.equal(true);
    expect(readFileSync(path.join(dir, 'skills/hello.ts'), 'utf8')).to.include("from 'webex-skill-bot';");
    expect(readFileSync(path.join(dir, 'test/skills/hello.test.ts'), 'utf8')).to.include(
      "from 'webex-skill-bot/testing';",
    );
    expect(readFileSync(path.join(dir, 'cards/cards.d.ts'), 'utf8'))
      .to.include('hello: {')
      .and.include('help: {');
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8'))
      .to.include('node_modules/')
      .and.include('.webex-skill-bot/');
  });

  it('init refuses a folder that holds anything, writing nothing', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'init-full-'));
    writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    mkdirSync(path.join(dir, '.git'));
    const r = cli('init', dir);
    expect(r.status).to.equal(1);
    expect(r.stderr).to.include(`${dir} is not empty (notes.txt)`).and.include('nothing of yours is overwritten');
    expect(existsSync(path.join(dir, 'package.json'))).to.equal(false);
  });

  it('init asks for a folder when none is given', () => {
    const r = cli('init');
    expect(r.status).to.equal(1);
    expect(r.stderr).to.include("give the new project's folder");
  });
});
