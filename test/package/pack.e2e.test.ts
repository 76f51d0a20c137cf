/**
 * SLOW (about two minutes; it installs two projects' dependencies from the npm registry, served
 * from npm's cache where it can): the package as users get it.
 *
 * 1. `npm pack` packs the toolkit (building it first).
 * 2. A new project made by that pack's `webex-skill-bot init` gets `npm install`, `npm test` and
 *    `npm start`, whose chat playground must be served.
 * 3. A project made by the last release (test/fixtures/release/*.tgz, put there by
 *    `npm run pack:release` at each release) is upgraded with one command — `npm install` of
 *    the new pack — and then passes its own tests and starts the same way.
 *
 * Nothing reaches the network but the npm registry; the bots run against their built-in emulator.
 */
import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cleanEnv, projectRoot, RunningProcess } from '../e2e/support/processes.js';

const RELEASE_FIXTURES = path.join(projectRoot, 'test/fixtures/release');

/** The environment of a user's shell: none of this run's npm settings, no bot configuration. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = cleanEnv(extra);
  for (const key of Object.keys(env)) if (/^npm_/i.test(key) || key === 'INIT_CWD') delete env[key];
  return env;
}

/** Runs `npm <args>` in `cwd`; fails the test with its output unless it exits 0. */
function npm(cwd: string, args: readonly string[]): string {
  const r = spawnSync('npm', args, { cwd, env: userEnv(), encoding: 'utf8', timeout: 5 * 60_000 });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  expect(r.status, `npm ${args.join(' ')} in ${cwd}:\n${output.slice(-4000)}`).to.equal(0);
  return output;
}

/** `webex-skill-bot init <dir>` of the package in `tarball` (run from the tarball itself, as npx would). */
function initFrom(tarball: string, dir: string): void {
  const unpacked = mkdtempSync(path.join(tmpdir(), 'wsb-unpacked-'));
  const tar = spawnSync('tar', ['xzf', tarball, '-C', unpacked], { encoding: 'utf8' });
  expect(tar.status, tar.stderr).to.equal(0);
  const cli = path.join(unpacked, 'package/dist/src/cli/main.js');
  const r = spawnSync(process.execPath, [cli, 'init', dir, '--toolkit', `file:${tarball}`], {
    env: userEnv(),
    encoding: 'utf8',
  });
  expect(r.status, `${r.stdout}${r.stderr}`).to.equal(0);
  expect(r.stdout).to.include('npm install');
}

/** `npm test` passes: the type check, then the example skill's tests. */
function passesItsTests(dir: string): void {
  const output = npm(dir, ['test']);
  expect(output)
    .to.include('skill: hello')
    .and.match(/\d+ passing/);
  expect(output).to.not.match(/\d+ failing/);
}

/** `npm start` runs the bot against the emulator, and the playground it names is served. */
async function startsAndServesThePlayground(dir: string): Promise<void> {
  const child = spawn('npm', ['start'], {
    cwd: dir,
    env: userEnv({ PORT: '0', EMULATOR_PORT: '0' }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const app = new RunningProcess(child, `npm start in ${dir}`);
  try {
    const [, url] = await app.waitFor(/Open the chat playground:\s+(http:\/\/localhost:\d+\/)/, 120_000);
    const page = await fetch(url!.replace('localhost', '127.0.0.1'));
    expect(page.status).to.equal(200);
    expect(await page.text()).to.match(/<title>[^<]*playground/i);
    expect(app.output).to.include('Skills:        hello, help');
  } finally {
    app.signalGroup('SIGTERM');
    await app.exitCode();
  }
}

/** The version of webex-skill-bot installed in `dir`. */
const installedVersion = (dir: string): string =>
  (JSON.parse(readFileSync(path.join(dir, 'node_modules/webex-skill-bot/package.json'), 'utf8')) as { version: string })
    .version;

describe('the package: npm pack, a new project, an upgraded one (slow: installs from the registry)', function () {
  this.timeout(10 * 60_000);
  let work: string;
  let tarball: string;
  let version: string;

  before(() => {
    work = mkdtempSync(path.join(tmpdir(), 'wsb-package-'));
    const packed = npm(projectRoot, ['pack', '--pack-destination', work]);
    tarball = path.join(work, readdirSync(work).find((f) => f.endsWith('.tgz'))!);
    version = (JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;
    expect(packed).to.include(`webex-skill-bot-${version}.tgz`);
  });

  after(() => rmSync(work, { recursive: true, force: true }));

  it('a project made by `webex-skill-bot init` installs, passes its tests, and npm start serves the playground', async () => {
    const dir = path.join(work, 'new-bot');
    initFrom(tarball, dir);
    npm(dir, ['install', '--prefer-offline', '--no-audit', '--no-fund']);
    expect(installedVersion(dir)).to.equal(version);
    passesItsTests(dir);
    await startsAndServesThePlayground(dir);
  });

  it('a project made by the last release, upgraded with one npm install, passes its tests and starts', async () => {
    const releases = readdirSync(RELEASE_FIXTURES).filter((f) => f.endsWith('.tgz'));
    expect(releases, `one tarball in ${RELEASE_FIXTURES} (npm run pack:release)`).to.have.length(1);
    const previous = path.join(RELEASE_FIXTURES, releases[0]!);
    const dir = path.join(work, 'older-bot');
    initFrom(previous, dir);
    npm(dir, ['install', '--prefer-offline', '--no-audit', '--no-fund']);
    const before = installedVersion(dir);
    npm(dir, ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball]);
    expect(installedVersion(dir), `upgraded from ${before}`).to.equal(version);
    expect(readFileSync(path.join(dir, 'node_modules/webex-skill-bot/dist/src/cli/main.js'), 'utf8')).to.equal(
      execOut('tar', ['xzOf', tarball, 'package/dist/src/cli/main.js']),
    );
    passesItsTests(dir);
    await startsAndServesThePlayground(dir);
  });
});

/** What `command` prints. */
function execOut(command: string, args: readonly string[]): string {
  return spawnSync(command, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }).stdout;
}
