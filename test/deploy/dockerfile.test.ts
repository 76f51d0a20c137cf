/**
 * The Dockerfile. This machine has a docker client but no engine, so the image is built only
 * where `docker info` answers; everywhere else the test reads the Dockerfile's essentials
 * (multi-stage, production dependencies only, non-root, HEALTHCHECK on /healthz, node itself as
 * the exec-form command) and runs what the image would run: its HEALTHCHECK command against a
 * real bot, and its command on a copy of exactly what the image copies, with production
 * dependencies only, stopped with SIGTERM.
 */
import { expect } from 'chai';
import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startTestBot } from '../../src/testing/test-bot.js';
import { exitedWithOutput, freePort, projectRoot } from '../e2e/support/processes.js';
import { execForm, parseDockerfile, type Instruction } from './support/instructions.js';

const run = promisify(execFile);
const dockerfile = parseDockerfile(readFileSync(path.join(projectRoot, 'Dockerfile'), 'utf8'));
const finalStage = Math.max(...dockerfile.map((i) => i.stage));
const inFinal = (keyword: string): Instruction[] =>
  dockerfile.filter((i) => i.stage === finalStage && i.keyword === keyword);
const startScript = (
  JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { scripts: { start: string } }
).scripts.start;

describe('Dockerfile', function () {
  this.timeout(180_000);

  it('is multi-stage: dependencies installed in one stage, copied into the final one', () => {
    const froms = dockerfile.filter((i) => i.keyword === 'FROM');
    expect(froms.length).to.be.at.least(2);
    const depsStage = /\bAS\s+(\S+)/i.exec(froms[0]!.args)?.[1];
    expect(depsStage).to.be.a('string');
    expect(
      inFinal('COPY').some((c) => c.args.includes(`--from=${depsStage}`) && c.args.includes('node_modules')),
    ).to.equal(true);
  });

  it('installs production dependencies only, from the lock file, running no install scripts; compiles in a stage of its own', () => {
    const installs = dockerfile.filter((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args));
    for (const install of installs) expect(install.args).to.match(/--ignore-scripts/);
    // The stage whose node_modules the image copies installs production dependencies only.
    const copied = inFinal('COPY').find((c) => /\/app\/node_modules\b/.test(c.args))!;
    const depsStage = dockerfile.find(
      (i) => i.keyword === 'FROM' && new RegExp(`AS\\s+${/--from=(\S+)/.exec(copied.args)![1]}\\b`, 'i').test(i.args),
    )!.stage;
    expect(
      installs
        .filter((i) => i.stage === depsStage)
        .map((i) => i.args)
        .join(' '),
    ).to.match(/--omit=dev/);
    expect(installs.filter((i) => i.stage === finalStage)).to.have.length(0);
    expect(
      dockerfile
        .filter((i) => i.stage === depsStage && i.keyword === 'COPY')
        .map((i) => i.args)
        .join(' '),
    )
      .to.include('package-lock.json')
      .and.include('.npmrc');
  });

  it('runs as a user other than root, from before the command', () => {
    const users = inFinal('USER');
    expect(users).to.have.length.at.least(1);
    expect(users.at(-1)!.args.trim()).to.not.match(/^(root|0)(:|$)/);
    const last = dockerfile.filter((i) => i.stage === finalStage);
    expect(last.findIndex((i) => i.keyword === 'USER')).to.be.below(last.findIndex((i) => i.keyword === 'CMD'));
  });

  it('runs node itself in exec form, with the arguments of npm start, so that SIGTERM reaches node', () => {
    expect(inFinal('ENTRYPOINT')).to.deep.equal([]);
    const cmd = execForm(inFinal('CMD').at(-1)!.args);
    expect(cmd, 'CMD in exec form').to.not.equal(undefined);
    expect(cmd![0]).to.equal('node');
    expect(cmd!.join(' ')).to.equal(startScript.replace(/^exec\s+/, ''));
    expect(
      inFinal('ENV')
        .map((e) => e.args)
        .join(' '),
    ).to.match(/NODE_ENV=production/);
  });

  it('copies only what the bot needs at run time, and .dockerignore keeps secrets and local files out', () => {
    const copied = inFinal('COPY')
      .filter((c) => !c.args.includes('--from='))
      .flatMap((c) => c.args.replace(/--\S+/g, '').trim().split(/\s+/).slice(0, -1));
    expect(copied).to.include.members(['cards', 'package.json']);
    expect(copied).to.not.include('.');
    // The code arrives compiled (dist/, from the build stage), the dependencies from the production-only stage.
    const fromStages = inFinal('COPY')
      .filter((c) => c.args.includes('--from='))
      .map((c) => c.args);
    expect(fromStages.some((a) => /--from=build\b.*\/app\/dist\b/.test(a))).to.equal(true);
    expect(fromStages.some((a) => /--from=deps\b.*\/app\/node_modules\b/.test(a))).to.equal(true);
    expect(copied).to.not.include.members(['src', 'skills']);
    const ignored = readFileSync(path.join(projectRoot, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim());
    expect(ignored).to.include.members(['node_modules', '.git', '.env', 'test']);
  });

  it('has a HEALTHCHECK on /healthz that passes against a running bot and fails when nothing answers', async () => {
    const checks = inFinal('HEALTHCHECK');
    expect(checks).to.have.length(1);
    const command = execForm(checks[0]!.args.replace(/^(--\S+\s+)*CMD\s+/, ''))!;
    expect(command, 'HEALTHCHECK CMD in exec form').to.not.equal(undefined);
    expect(command.join(' ')).to.include('/healthz');
    const t = await startTestBot();
    try {
      const ok = await run(command[0] === 'node' ? process.execPath : command[0]!, command.slice(1), {
        env: { ...process.env, PORT: String(t.bot.port) },
      });
      expect(ok.stderr).to.equal('');
    } finally {
      await t.stop();
    }
    const closed = await freePort();
    const failed = await run(process.execPath, command.slice(1), {
      env: { ...process.env, PORT: String(closed) },
    }).then(
      () => 0,
      (err: { code?: number }) => err.code,
    );
    expect(failed).to.equal(1);
  });

  it('runs from what the image copies, with production dependencies only, and stops cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bot-image-'));
    try {
      // Exactly the COPY sources of the Dockerfile, in a directory of their own.
      for (const c of dockerfile.filter((i) => i.keyword === 'COPY' && !i.args.includes('--from='))) {
        for (const source of c.args.replace(/--\S+/g, '').trim().split(/\s+/).slice(0, -1))
          cpSync(path.join(projectRoot, source), path.join(dir, source), { recursive: true });
      }
      // The deps stage's install (production dependencies only), here in that directory.
      const install = dockerfile
        .find((i) => i.keyword === 'RUN' && /\bnpm ci\b.*--omit=dev/.test(i.args))!
        .args.split('&&')[0]!
        .trim()
        .split(/\s+/);
      await run('npm', [...install.slice(1), '--prefer-offline'], {
        cwd: dir,
        env: { ...process.env, NODE_ENV: 'production' },
      });
      // The build stage's `npm run build`, run on the project (it has the dev dependencies), and its dist/ copied as the image does.
      expect(dockerfile.some((i) => i.keyword === 'RUN' && /^npm run build$/.test(i.args.trim()))).to.equal(true);
      await run('npm', ['run', 'build', '--silent'], { cwd: projectRoot });
      cpSync(path.join(projectRoot, 'dist'), path.join(dir, 'dist'), { recursive: true });
      const cmd = execForm(inFinal('CMD').at(-1)!.args)!;
      const env: NodeJS.ProcessEnv = {
        PATH: process.env['PATH'],
        HOME: dir,
        NODE_ENV: 'production',
        PORT: '0',
        EMULATOR_PORT: '0',
        NO_PROXY: '127.0.0.1,localhost',
      };
      const child = spawn(process.execPath, cmd.slice(1), { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
      });
      child.stderr.on('data', (d: Buffer) => {
        out += d.toString();
      });
      const exited = exitedWithOutput(child);
      for (let i = 0; i < 600 && !/"bot ready"/.test(out) && child.exitCode === null; i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(out, out).to.match(/"bot ready"/);
      child.kill('SIGTERM');
      const code = await exited;
      expect(code, out).to.equal(0);
      expect(out).to.match(/"bot stopped"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds with a container engine (where there is one)', async function () {
    const engine = await run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 10_000 }).then(
      () => true,
      () => false,
    );
    if (!engine) {
      this.test!.title += ' — skipped: `docker info` finds no container engine on this machine (only the client)';
      this.skip();
    }
    await run('docker', ['build', '-t', 'webex-skill-bot:test', projectRoot], { timeout: 170_000 });
  });
});
