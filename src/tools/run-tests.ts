/**
 * `npm test` (`webex-skill-bot test` in a bot project): the type check (the project's
 * `typecheck` script, else `tsc --noEmit`, with `cards/cards.d.ts` written first when a card
 * changed), then every test; with files named (`npm test -- test/skills/hello.test.ts`), only
 * those files, at once.
 *
 * The tests run under mocha with TypeScript loaded by tsx, with the options of the project's
 * `.mocharc.json` when it has one (else: `*.test.ts` under `test/`, 20 s per test) — but mocha
 * itself would add the configuration's `spec` to files named on the command line, running
 * nearly everything; this runner names the files instead (`--no-config`, the other options kept).
 * Exits with the first failing step's code.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { writeCardTypes } from '../cards/card-types.js';
import { projectLayout } from '../start/layout.js';
import { mochaArguments, type MochaConfig } from './test-arguments.js';

const { root } = projectLayout(import.meta.url, 1);
const requireFromProject = createRequire(path.join(root, 'package.json'));

/** The file of `bin` in package `name`, as the project installed it (undefined when it is not installed). */
function binOf(name: string, bin: string): string | undefined {
  try {
    const manifest = requireFromProject.resolve(`${name}/package.json`);
    const bins = (JSON.parse(readFileSync(manifest, 'utf8')) as { bin?: string | Record<string, string> }).bin;
    const file = typeof bins === 'string' ? bins : bins?.[bin];
    return file === undefined ? undefined : path.join(path.dirname(manifest), file);
  } catch {
    return undefined;
  }
}

function run(step: string, args: readonly string[]): number {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.error) process.stderr.write(`test: ${step} could not run: ${r.error.message}\n`);
  return r.status ?? 1;
}

/** The type check: the project's `typecheck` script when it has one, else `tsc --noEmit -p .`; 0 when it passed. */
function typeCheck(): number {
  if (!existsSync(path.join(root, 'tsconfig.json'))) return 0;
  writeCardTypes(path.join(root, 'cards')); // what the check reads of the cards, current
  const scripts = (
    JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }
  ).scripts;
  if (scripts?.['typecheck']) {
    const r = spawnSync('npm', ['run', '-s', 'typecheck'], { cwd: root, stdio: 'inherit' });
    return r.status ?? 1;
  }
  const tsc = binOf('typescript', 'tsc');
  if (tsc !== undefined) return run('the type check', [tsc, '--noEmit', '-p', '.']);
  process.stdout.write('test: no type check (typescript is not installed)\n');
  return 0;
}

function main(): number {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    const code = typeCheck();
    if (code !== 0) return code;
  }
  const mocha = binOf('mocha', 'mocha');
  if (mocha === undefined) {
    process.stderr.write('test: mocha is not installed: npm install --save-dev mocha chai @types/mocha @types/chai\n');
    return 1;
  }
  const configFile = path.join(root, '.mocharc.json');
  const config = existsSync(configFile) ? (JSON.parse(readFileSync(configFile, 'utf8')) as MochaConfig) : {};
  const missing = files.filter((f) => !existsSync(path.resolve(root, f)));
  if (missing.length > 0) {
    process.stderr.write(`test: no such file: ${missing.join(', ')}\n`);
    return 1;
  }
  const { nodeArgs, mochaArgs } = mochaArguments(config, files, import.meta.resolve('tsx'));
  return run('mocha', [...nodeArgs, mocha, ...mochaArgs]);
}

process.exit(main());
