/**
 * The systemd unit: what keeps the drain working (node run directly, SIGTERM to node only, a
 * stop timeout longer than the drain, restarts on failure only), checked by reading it, and the
 * whole unit checked by `systemd-analyze verify` (which CI installs; skipped with the reason
 * where the binary is missing).
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../../src/config.js';
import { projectRoot } from '../e2e/support/processes.js';
import { parseUnit } from './support/instructions.js';

const run = promisify(execFile);
const unitPath = path.join(projectRoot, 'deploy/systemd/webex-skill-bot.service');
const text = readFileSync(unitPath, 'utf8');
const unit = parseUnit(text);
const service = unit.get('Service')!;
const one = (key: string): string | undefined => service.get(key)?.at(-1);
const startScript = (
  JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { scripts: { start: string } }
).scripts.start;

function seconds(value: string): number {
  const m = /^(\d+)\s*(s|sec|min)?$/.exec(value.trim());
  if (!m) throw new Error(`not a time span this test reads: ${value}`);
  return Number(m[1]) * (m[2] === 'min' ? 60 : 1);
}

describe('systemd unit', () => {
  it('runs node directly, with the arguments of npm start, as an unprivileged user, in production mode', () => {
    const exec = one('ExecStart')!.split(/\s+/);
    expect(path.basename(exec[0]!)).to.equal('node');
    expect(['node', ...exec.slice(1)].join(' ')).to.equal(startScript.replace(/^exec\s+/, ''));
    expect(one('User')).to.be.a('string').and.not.equal('root');
    expect(service.get('Environment')).to.include('NODE_ENV=production');
    expect(one('EnvironmentFile')).to.match(/^-?\//);
  });

  it('stops by SIGTERM to node only, and waits longer than the drain before SIGKILL', () => {
    expect(one('KillMode')).to.equal('mixed');
    expect(one('KillSignal') ?? 'SIGTERM').to.equal('SIGTERM');
    const drainSeconds = loadConfig({}).shutdownTimeoutMs / 1000;
    expect(seconds(one('TimeoutStopSec')!)).to.be.at.least(drainSeconds + 10);
  });

  it('restarts after a crash, never after a stop asked for, and not in a tight loop', () => {
    expect(one('Restart')).to.equal('on-failure');
    expect(seconds(one('RestartSec')!)).to.be.at.least(1);
    expect(unit.get('Unit')!.get('StartLimitBurst')).to.have.length(1);
    expect(unit.get('Install')!.get('WantedBy')).to.deep.equal(['multi-user.target']);
  });

  it('passes systemd-analyze verify', async function () {
    const analyze = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((p) => existsSync(p));
    if (!analyze) {
      this.test!.title +=
        ' — skipped: systemd-analyze is not installed (Debian package "systemd"; .ci/run installs it)';
      this.skip();
    }
    // verify checks that ExecStart's program exists: where node lives elsewhere, point the copy at it.
    const node = one('ExecStart')!.split(/\s+/)[0]!;
    const dir = mkdtempSync(path.join(tmpdir(), 'unit-'));
    try {
      const copy = path.join(dir, path.basename(unitPath));
      writeFileSync(copy, existsSync(node) ? text : text.replace(`ExecStart=${node}`, `ExecStart=${process.execPath}`));
      const { stdout, stderr } = await run(analyze!, ['verify', copy]).catch(
        (err: { stdout?: string; stderr?: string; message: string }) => {
          throw new Error(`systemd-analyze verify failed:\n${err.stdout ?? ''}${err.stderr ?? err.message}`);
        },
      );
      // Warnings (unknown keys, bad values) exit 0 too: any output is a finding.
      expect(`${stdout}${stderr}`.trim()).to.equal('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
