/**
 * The nginx configuration of deploy/, run for real in front of a real bot (with a self-signed
 * certificate, on local ports): TLS, only the webhook path forwarded and only for POST, the body
 * limit, and X-Spark-Signature passed through — proven by the doctor's self-tests through it.
 * Needs nginx and openssl (.ci/run installs nginx-light); skipped with the reason otherwise.
 */
import { expect } from 'chai';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { signBody } from '../../src/protocol/signature.js';
import { isSelfTestAnswer, selfTestBody } from '../../src/receivers/self-test.js';
import { startTestBot, TEST_WEBHOOK_SECRET, type TestBot } from '../../src/testing/test-bot.js';
import { ControlClient } from '../e2e/support/control-client.js';
import { freePort, projectRoot, startNodeScript } from '../e2e/support/processes.js';

const run = promisify(execFile);
const nginxBinary = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));

/** A request over TLS trusting `ca`; resolves with the status and the body. */
function send(
  url: string,
  ca: string,
  init: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', ca, headers: init.headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        body += d.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

describe('nginx in front of the bot (deploy/nginx)', function () {
  this.timeout(90_000);
  let dir: string;
  let t: TestBot;
  let nginx: ChildProcess | undefined;
  let base: string;
  let ca: string;

  before(async function () {
    if (!nginxBinary) {
      this.test!.parent!.title +=
        ' — skipped: nginx is not installed (Debian package "nginx-light"; .ci/run installs it)';
      this.skip();
    }
    dir = mkdtempSync(path.join(tmpdir(), 'nginx-'));
    chmodSync(dir, 0o755);
    mkdirSync(path.join(dir, 'logs'));
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      path.join(dir, 'key.pem'),
      '-out',
      path.join(dir, 'cert.pem'),
    ]);
    ca = readFileSync(path.join(dir, 'cert.pem'), 'utf8');
    t = await startTestBot();
    const port = await freePort();
    base = `https://127.0.0.1:${port}`;
    // The shipped file, with this test's addresses and certificate; every directive kept.
    const server = readFileSync(path.join(projectRoot, 'deploy/nginx/webex-skill-bot.conf'), 'utf8')
      .replace('listen 443 ssl;', `listen 127.0.0.1:${port} ssl;`)
      .replace('server_name bot.example.com;', 'server_name 127.0.0.1;')
      .replace(/ssl_certificate\s+\S+;/, `ssl_certificate ${path.join(dir, 'cert.pem')};`)
      .replace(/ssl_certificate_key\s+\S+;/, `ssl_certificate_key ${path.join(dir, 'key.pem')};`)
      .replace('location = /webex/events', 'location = /webhook')
      .replace('proxy_pass http://127.0.0.1:3000;', `proxy_pass http://127.0.0.1:${t.bot.port};`);
    writeFileSync(path.join(dir, 'server.conf'), server);
    writeFileSync(
      path.join(dir, 'nginx.conf'),
      [
        'worker_processes 1;',
        `pid ${path.join(dir, 'nginx.pid')};`,
        `error_log ${path.join(dir, 'logs/error.log')} warn;`,
        'events { worker_connections 64; }',
        'http {',
        '  access_log off;',
        ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((k) => `  ${k}_temp_path ${path.join(dir, k)};`),
        `  include ${path.join(dir, 'server.conf')};`,
        '}',
      ].join('\n'),
    );
    await run(nginxBinary!, ['-t', '-p', dir, '-c', path.join(dir, 'nginx.conf')]);
    nginx = spawn(nginxBinary!, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], {
      stdio: 'ignore',
    });
    // Until nginx answers (up to 30 s: a busy machine starts it slowly), or it exits.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && nginx.exitCode === null) {
      if (
        await send(`${base}/`, ca).then(
          () => true,
          () => false,
        )
      )
        break;
      await new Promise((r) => setTimeout(r, 25));
    }
  });

  after(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((r) => nginx!.once('exit', r));
      nginx.kill('SIGQUIT');
      await exited;
    }
    await t?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('forwards a signed POST on the webhook path to the bot, with its X-Spark-Signature', async () => {
    const body = selfTestBody('through-nginx');
    const res = await send(`${base}/webhook`, ca, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-spark-signature': signBody(TEST_WEBHOOK_SECRET, body) },
    });
    expect(res.status, res.body).to.equal(200);
    expect(isSelfTestAnswer(JSON.parse(res.body), 'through-nginx')).to.equal(true);
  });

  it('forwards nothing else: other methods, other paths, the probes and metrics', async () => {
    expect((await send(`${base}/webhook`, ca)).status).to.equal(403);
    for (const p of ['/healthz', '/readyz', '/metrics', '/webhook/x', '/']) {
      const res = await send(`${base}${p}`, ca);
      expect(res.status, p).to.equal(404);
      expect(res.body, p).to.not.include('"status"');
    }
  });

  it('refuses a body over 16 KB itself (413), before the bot', async () => {
    const body = JSON.stringify({ padding: 'x'.repeat(17 * 1024) });
    const res = await send(`${base}/webhook`, ca, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-spark-signature': signBody(TEST_WEBHOOK_SECRET, body) },
    });
    expect(res.status).to.equal(413);
    expect(res.body).to.include('nginx');
  });

  it('the doctor through it: WEBHOOK_URL reaches this bot, the secret matches (exit 0)', async () => {
    const publicUrl = `${base}/webhook`;
    const control = new ControlClient(t.emulator.url);
    for (const w of (await control.webhooks()).filter((h) => h.targetUrl === t.bot.webhookUrl))
      await control.alterWebhook(w.id, { targetUrl: publicUrl });
    writeFileSync(path.join(dir, 'ca.pem'), ca);
    const doctor = startNodeScript('doctor', 'src/doctor/main.ts', {
      WEBEX_BOT_TOKEN: t.emulator.botToken,
      WEBEX_API_URL: t.emulator.apiUrl,
      WEBHOOK_URL: publicUrl,
      WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      NODE_EXTRA_CA_CERTS: path.join(dir, 'ca.pem'),
    });
    const code = await doctor.exitCode();
    expect(code, doctor.output).to.equal(0);
    expect(doctor.output).to.match(/^PASS\s+webhook-url\s+https:\/\/127\.0\.0\.1:\d+\/webhook reaches this bot/m);
    expect(doctor.output).to.match(/^PASS\s+webhook-signature\s+the secret matches/m);
  });
});
