/**
 * `npm run dev` says where its bot runs (its token printed, `.webex-skill-bot/dev.json` written
 * in the project), and `npm run doctor` with no token checks that bot while it runs — saying so,
 * and saying that a `WEBEX_API_URL` given without a token is not used. Once dev stops, the file
 * is gone and the doctor checks a bot of its own again.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { cleanEnv, projectRoot, RunningProcess } from './support/processes.js';

/** tsx's ESM loader, by its full address: the project folder has no node_modules to find it in. */
const TSX = pathToFileURL(
  path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/loader.mjs'),
).href;

/** Runs `src/<script>` (tsx) in the project `cwd`. */
function run(name: string, script: string, cwd: string, env: Record<string, string>): RunningProcess {
  const child = spawn(process.execPath, ['--import', TSX, path.join(projectRoot, 'src', script)], {
    cwd,
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new RunningProcess(child, name);
}

const verdict = (status: string, id: string, text: string) =>
  new RegExp(`^${status}\\s+${id}\\s+.*${text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`, 'm');

describe('npm run dev and the doctor', function () {
  this.timeout(120_000);

  it('the doctor with no token checks the running dev bot, and says WEBEX_API_URL is not used', async () => {
    // A project of its own (this repository's skills and cards; its TypeScript settings for the skills' imports).
    const project = mkdtempSync(path.join(tmpdir(), 'dev-doctor-'));
    writeFileSync(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({ extends: path.join(projectRoot, 'tsconfig.json') }),
    );
    const folders = {
      SKILLS_DIR: path.join(projectRoot, 'skills'),
      CARDS_DIR: path.join(projectRoot, 'cards'),
    };
    const dev = run('npm run dev', 'dev/main.ts', project, { ...folders, PORT: '0', EMULATOR_PORT: '0' });
    const devFile = path.join(project, '.webex-skill-bot/dev.json');
    try {
      const [, token] = await dev.waitFor(/Token:\s+(\S+)/, 60_000);
      await dev.waitFor(/npm run doctor checks this bot while it runs/);
      const written = JSON.parse(readFileSync(devFile, 'utf8')) as Record<string, unknown>;
      expect(written).to.include({ pid: dev.child.pid, token, transport: 'webhook' });
      expect(written['apiUrl']).to.match(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);

      const doctor = run('npm run doctor', 'doctor/main.ts', project, {
        ...folders,
        WEBEX_API_URL: 'http://127.0.0.1:9/v1',
      });
      expect(await doctor.exitCode(), doctor.output).to.equal(0);
      expect(doctor.output).to.match(
        verdict('PASS', 'config', `checking the bot npm run dev runs (process ${dev.child.pid}`),
      );
      expect(doctor.output).to.match(
        verdict(
          'WARN',
          'api-url',
          'WEBEX_API_URL=http://127.0.0.1:9/v1 is not used: without WEBEX_BOT_TOKEN the doctor checks the bot npm run dev runs',
        ),
      );
      // The dev bot's own webhook, checked end to end.
      expect(doctor.output).to.match(verdict('PASS', 'webhook-signature', 'the secret matches'));
      expect(doctor.output).to.include(String(written['webhookUrl']));
    } finally {
      expect(await dev.stop()).to.equal(0);
    }
    expect(existsSync(devFile), 'removed when dev stops').to.equal(false);

    const alone = run('npm run doctor', 'doctor/main.ts', project, folders);
    expect(await alone.exitCode(), alone.output).to.equal(0);
    expect(alone.output).to.match(
      verdict('PASS', 'config', 'checking a bot started here against the built-in emulator'),
    );
    expect(alone.output).to.not.match(/api-url/);
  });
});
