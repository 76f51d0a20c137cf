/**
 * `npm run emulator` (`node --import tsx src/emulator/main.ts`) as another process would use it:
 * read the printed `KEY=value` lines, call the API with the printed token, stop with SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { readStandaloneConfig } from '../../src/emulator/env.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/emulator/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Waits until stdout has a `KEY=value` line for every key. */
async function printed(r: Run, keys: string[], timeoutMs = 15000): Promise<Record<string, string>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const values = Object.fromEntries(
      r
        .stdout()
        .split('\n')
        .map((l) => /^([A-Z_]+)=(.*)$/.exec(l))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => [m[1]!, m[2]!]),
    );
    if (keys.every((k) => k in values)) return values;
    if (Date.now() > deadline || r.child.exitCode !== null)
      throw new Error(`emulator did not print ${keys.join(', ')}; stdout: ${r.stdout()} stderr: ${r.stderr()}`);
    await new Promise((res) => setTimeout(res, 20));
  }
}

describe('emulator standalone (npm run emulator)', function () {
  this.timeout(30000);
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });

  it('prints its URL, API URL and bot token, answers with that token, and exits 0 on SIGTERM', async () => {
    const r = run({ EMULATOR_PORT: '0', WEBEX_BOT_TOKEN: '' });
    children.push(r.child);
    const values = await printed(r, ['WEBEX_API_URL', 'WEBEX_BOT_TOKEN']);
    const apiUrl = values['WEBEX_API_URL']!;
    expect(apiUrl).to.match(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(r.stdout()).to.contain(`Webex emulator listening on ${apiUrl.replace(/\/v1$/, '')}\n`);
    expect(r.stdout()).to.match(/Alice Example <alice@example\.com>/);
    expect(r.stdout()).to.match(/"Team Space"/);
    const me = await fetch(`${apiUrl}/people/me`, {
      headers: { Authorization: `Bearer ${values['WEBEX_BOT_TOKEN']}` },
    });
    expect(me.status).to.equal(200);
    expect(((await me.json()) as { displayName: string }).displayName).to.equal('Skill Bot');
    r.child.kill('SIGTERM');
    expect(await r.exited).to.deep.equal({ code: 0, signal: null });
  });

  it('accepts WEBEX_BOT_TOKEN and stops on SIGINT too', async () => {
    const token = 'ZmFrZXRva2VuZm9ydGVzdHM_PF84_1eb65fdf-9643-417f-9974-ad72cae0e10f';
    const r = run({ EMULATOR_PORT: '0', WEBEX_BOT_TOKEN: token });
    children.push(r.child);
    const values = await printed(r, ['WEBEX_API_URL', 'WEBEX_BOT_TOKEN']);
    expect(values['WEBEX_BOT_TOKEN']).to.equal(token);
    const me = await fetch(`${values['WEBEX_API_URL']}/people/me`, { headers: { Authorization: `Bearer ${token}` } });
    expect(me.status).to.equal(200);
    r.child.kill('SIGINT');
    expect((await r.exited).code).to.equal(0);
  });

  it('refuses a bad EMULATOR_PORT with a clear message and exit code 1', async () => {
    const r = run({ EMULATOR_PORT: 'forty' });
    children.push(r.child);
    expect((await r.exited).code).to.equal(1);
    expect(r.stderr()).to.contain('EMULATOR_PORT must be a port number from 0 to 65535');
    expect(r.stderr()).to.not.match(/\n\s+at /); // no stack trace
  });

  describe('readStandaloneConfig', () => {
    it('defaults to port 4000, no token and info logs', () => {
      expect(readStandaloneConfig({})).to.deep.equal({ port: 4000, logLevel: 'info', allowedHosts: [] });
    });
    it('reads the port, the token and the log level', () => {
      expect(readStandaloneConfig({ EMULATOR_PORT: '0', WEBEX_BOT_TOKEN: ' abc ', LOG_LEVEL: 'DEBUG' })).to.deep.equal({
        port: 0,
        botToken: 'abc',
        logLevel: 'debug',
        allowedHosts: [],
      });
    });
    it('reads EMULATOR_ALLOWED_HOSTS (comma-separated names) and refuses a name with a port or a scheme', () => {
      expect(
        readStandaloneConfig({ EMULATOR_ALLOWED_HOSTS: ' Emulator.Internal, .lab.example ,' }).allowedHosts,
      ).to.deep.equal(['emulator.internal', '.lab.example']);
      expect(() => readStandaloneConfig({ EMULATOR_ALLOWED_HOSTS: 'emulator:4000' })).to.throw(
        /EMULATOR_ALLOWED_HOSTS: "emulator:4000" is not a host name/,
      );
      expect(() => readStandaloneConfig({ EMULATOR_ALLOWED_HOSTS: 'http://emulator' })).to.throw(/not a host name/);
    });
    for (const bad of ['-1', '65536', '4000.5', 'abc']) {
      it(`refuses EMULATOR_PORT=${bad}`, () => {
        expect(() => readStandaloneConfig({ EMULATOR_PORT: bad })).to.throw(/EMULATOR_PORT must be a port number/);
      });
    }
    it('refuses an unknown LOG_LEVEL and a token with spaces', () => {
      expect(() => readStandaloneConfig({ LOG_LEVEL: 'verbose' })).to.throw(/LOG_LEVEL must be one of/);
      expect(() => readStandaloneConfig({ WEBEX_BOT_TOKEN: 'a b' })).to.throw(/must not contain spaces/);
    });
  });
});
