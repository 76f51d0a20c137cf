/**
 * The public types against the committed API report (etc/*.api.md): a change to what the skill
 * kit or the test harness export — a removed function, a field made required — fails here,
 * naming the command that records it, so the public surface never changes by accident.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { projectRoot } from '../e2e/support/processes.js';

describe('the public types', function () {
  this.timeout(180_000);

  it('match the committed API report (else: npm run build:types, and a CHANGELOG entry)', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/tools/public-types.ts', '--check'], {
      cwd: projectRoot,
      encoding: 'utf8',
    });
    expect(r.status, `${r.stdout}${r.stderr}`).to.equal(0);
    expect(r.stdout).to.include('the public types match the API report');
  });
});
