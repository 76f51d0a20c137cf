/**
 * `npm test -- <file>` runs that file alone: the runner names the files to mocha instead of the
 * configuration's `spec` (which mocha would add to them), keeping the other options.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mochaArguments } from '../../src/tools/test-arguments.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('npm test -- <file>', function () {
  this.timeout(120_000);

  it("passes the configuration's options to mocha, with the files named in place of its spec", () => {
    const config = { 'node-option': ['import=tsx'], spec: ['test/**/*.test.ts'], timeout: 20000, bail: true };
    expect(mochaArguments(config, ['test/a.test.ts'], 'file:///tsx/loader.mjs')).to.deep.equal({
      nodeArgs: ['--import', 'file:///tsx/loader.mjs'],
      mochaArgs: [
        '--no-config',
        '--extension',
        'ts',
        '--timeout',
        '20000',
        '--reporter',
        'spec',
        '--bail',
        'test/a.test.ts',
      ],
    });
    expect(mochaArguments(config, [], 'file:///tsx/loader.mjs').mochaArgs.at(-1)).to.equal('test/**/*.test.ts');
    expect(mochaArguments({}, [], 'file:///x').mochaArgs.at(-1), 'a project without .mocharc.json').to.equal(
      'test/**/*.test.ts',
    );
  });

  it('runs only the file named, at once (no type check)', () => {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/tools/run-tests.ts', 'test/unit/util/throttle.test.ts'],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    expect(r.status, `${r.stdout}${r.stderr}`).to.equal(0);
    const suites = r.stdout
      .split('\n')
      .filter((l) => /^ {2}\S/.test(l) && !/^ {2}\d+ (passing|pending|failing)/.test(l));
    expect(suites, r.stdout).to.deep.equal(['  Throttle']);
    expect(r.stdout).to.match(/\n {2}\d+ passing/);
  });

  it('says which file does not exist', () => {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/tools/run-tests.ts', path.join('test', 'nope.test.ts')],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    expect(r.status).to.equal(1);
    expect(r.stderr).to.include('test: no such file: test/nope.test.ts');
  });
});
