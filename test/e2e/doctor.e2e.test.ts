/**
 * "npm run doctor": the doctor run as an operator runs it (its own process, settings in the
 * environment) against a real bot and the emulator, healthy and with each fault an operator
 * meets set up through the emulator's control API. Each fault must be named in the output and
 * end with exit code 1; a healthy set-up ends with 0; a broken one never with a stack trace.
 */
import { expect } from 'chai';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestBot, TEST_WEBHOOK_SECRET, type TestBot } from '../../src/testing/test-bot.js';
import { ControlClient } from './support/control-client.js';
import { freePort, startNodeScript } from './support/processes.js';

interface DoctorRun {
  readonly code: number | null;
  readonly output: string;
}

async function doctor(env: Record<string, string>, args: string[] = []): Promise<DoctorRun> {
  const p = startNodeScript(`doctor ${args.join(' ')}`, 'src/doctor/main.ts', env, args);
  const code = await p.exitCode();
  return { code, output: p.output };
}

/** The doctor's settings for the test bot `t`. */
function settingsFor(t: TestBot, extra: Record<string, string> = {}): Record<string, string> {
  return {
    WEBEX_BOT_TOKEN: t.emulator.botToken,
    WEBEX_API_URL: t.emulator.apiUrl,
    WEBHOOK_URL: t.bot.webhookUrl!,
    WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    ...extra,
  };
}

/** A verdict line of the text report. */
const verdict = (status: string, id: string, text: RegExp | string) =>
  new RegExp(`^${status}\\s+${id}\\s+.*${typeof text === 'string' ? text : text.source}`, 'm');

function expectNoStackTrace(output: string): void {
  expect(output).to.not.match(/^\s+at .+:\d+:\d+\)?$/m);
  expect(output).to.not.match(/unexpectedly/);
}

describe('npm run doctor', function () {
  this.timeout(120_000);
  let t: TestBot;
  let control: ControlClient;
  beforeEach(async () => {
    t = await startTestBot();
    control = new ControlClient(t.emulator.url);
  });
  afterEach(() => t.stop());

  const hooks = async () => (await control.webhooks()).filter((w) => w.targetUrl === t.bot.webhookUrl);

  it('a healthy set-up: every check passes, exit 0', async () => {
    // The group space has seen a mention: the mention rule has nothing to say either.
    await t.group.say('help');
    const run = await doctor(settingsFor(t));
    expect(run.code, run.output).to.equal(0);
    for (const id of [
      'config',
      'node',
      'proxy',
      'token',
      'clock',
      'webhooks',
      'webhooks-active',
      'webhooks-secret',
      'stale-webhooks',
      'webhook-url',
      'webhook-signature',
      'mentions',
    ]) {
      expect(run.output, id).to.match(verdict('PASS', id, ''));
    }
    expect(run.output).to.match(verdict('PASS', 'token', 'valid bot token: Skill Bot <skill-bot@webex.bot>'));
    expect(run.output).to.match(verdict('PASS', 'webhook-url', 'reaches this bot: Skill Bot'));
    expect(run.output).to.match(/^All clear: 12 passed, 0 warning\(s\), 0 skipped\.$/m);
    // The self-tests reached the bot's pipeline not at all: nothing was posted anywhere.
    expect(t.emulator.deliveries().filter((d) => d.resource === 'webexSkillBot.selfTest')).to.deep.equal([]);
  });

  it('bad token: named, exit 1, and what needs the token is skipped', async () => {
    const run = await doctor(settingsFor(t, { WEBEX_BOT_TOKEN: 'not-the-bot-token' }));
    expect(run.code, run.output).to.equal(1);
    expect(run.output).to.match(verdict('FAIL', 'token', 'bad token: Webex rejected it \\(HTTP 401\\)'));
    expect(run.output).to.match(/fix: copy the bot's access token/);
    expect(run.output).to.match(verdict('SKIP', 'webhooks', 'needs an accepted token'));
    expectNoStackTrace(run.output);
  });

  it('no webhooks: named, exit 1', async () => {
    for (const w of await hooks()) await control.removeWebhook(w.id);
    const run = await doctor(settingsFor(t));
    expect(run.code, run.output).to.equal(1);
    expect(run.output).to.match(verdict('FAIL', 'webhooks', `no webhooks for ${t.bot.webhookUrl}`));
    expect(run.output).to.match(/fix: start or restart the bot/);
  });

  it('one webhook missing (card submissions): named, exit 1', async () => {
    const cards = (await hooks()).find((w) => w.resource === 'attachmentActions')!;
    await control.removeWebhook(cards.id);
    const run = await doctor(settingsFor(t));
    expect(run.code, run.output).to.equal(1);
    expect(run.output).to.match(verdict('FAIL', 'webhooks', 'missing webhook for .*attachmentActions/created'));
  });

  it('inactive webhook: named, exit 1', async () => {
    const firehose = (await hooks()).find((w) => w.resource === 'all')!;
    await control.alterWebhook(firehose.id, { status: 'inactive' });
    const run = await doctor(settingsFor(t));
    expect(run.code, run.output).to.equal(1);
    expect(run.output).to.match(verdict('FAIL', 'webhooks-active', 'inactive webhook: all/all'));
  });

  it('wrong URL: the webhooks point at an old URL — named, the stale ones listed, exit 1', async () => {
    for (const w of await hooks()) await control.alterWebhook(w.id, { targetUrl: 'http://127.0.0.1:9/old-webhook' });
    const run = await doctor(settingsFor(t));
    expect(run.code, run.output).to.equal(1);
    expect(run.output).to.match(
      verdict('FAIL', 'webhooks', 'no webhooks for .* \\(wrong URL\\? see stale-webhooks\\)'),
    );
    expect(run.output).to.match(
      verdict(
        'WARN',
        'stale-webhooks',
        '2 webhook\\(s\\) of this bot for other URLs: .*all/all → http://127.0.0.1:9/old-webhook',
      ),
    );
  });

  it('no secret: named, exit 1', async () => {
    for (const w of await hooks()) await control.alterWebhook(w.id, { secret: null });
    const run = await doctor(settingsFor(t));
    expect(run.code, run.output).to.equal(1);
    expect(run.output).to.match(verdict('FAIL', 'webhooks-secret', 'no secret on all/all, attachmentActions/created'));
  });

  it('secret mismatch: the webhooks carry another secret — named, exit 1', async () => {
    for (const w of await hooks()) await control.alterWebhook(w.id, { secret: 'a-secret-from-elsewhere-0123' });
    const run = await doctor(settingsFor(t));
    expect(run.code, run.output).to.equal(1);
    expect(run.output).to.match(verdict('FAIL', 'webhooks-secret', 'secret mismatch'));
  });

  it('secret mismatch: the running bot has another secret than the doctor — the signed self-test is refused, exit 1', async () => {
    const run = await doctor(settingsFor(t, { WEBHOOK_SECRET: 'not-the-secret-of-the-bot-0123' }));
    expect(run.code, run.output).to.equal(1);
    expect(run.output).to.match(
      verdict(
        'FAIL',
        'webhook-signature',
        'secret mismatch: the running bot refused the self-test signed with WEBHOOK_SECRET',
      ),
    );
    expect(run.output).to.match(
      verdict('WARN', 'webhook-url', 'reaches a bot of this toolkit, but it refused the signed self-test'),
    );
  });

  it('unreachable URL: nothing answers at WEBHOOK_URL — named, exit 1', async () => {
    await t.bot.stop(1000);
    const run = await doctor(settingsFor(t));
    expect(run.code, run.output).to.equal(1);
    expect(run.output).to.match(verdict('FAIL', 'webhook-url', 'unreachable URL: POST .* failed \\(ECONNREFUSED\\)'));
    expect(run.output).to.match(verdict('SKIP', 'webhook-signature', 'WEBHOOK_URL is unreachable'));
  });

  it('a proxy that drops X-Spark-Signature: named, exit 1', async () => {
    const target = new URL(t.bot.webhookUrl!);
    const proxy: Server = createServer((req, res) => {
      const { 'x-spark-signature': _dropped, ...headers } = req.headers;
      const upstream = request(
        { host: target.hostname, port: target.port, path: target.pathname, method: req.method, headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      req.pipe(upstream);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const publicUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/webhook`;
      for (const w of await hooks()) await control.alterWebhook(w.id, { targetUrl: publicUrl });
      const run = await doctor(settingsFor(t, { WEBHOOK_URL: publicUrl }));
      expect(run.code, run.output).to.equal(1);
      expect(run.output).to.match(
        verdict('FAIL', 'webhook-signature', 'without its X-Spark-Signature header: a proxy in front drops it'),
      );
    } finally {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  });

  it('a group space where the bot was never mentioned: a warning, not a failure', async () => {
    const run = await doctor(settingsFor(t));
    expect(run.code, run.output).to.equal(0);
    expect(run.output).to.match(verdict('WARN', 'mentions', 'never @mentioned in 1 of .*"Team Space"'));
    expect(run.output).to.match(/fix: tell people in group spaces to start with @Skill Bot/);
  });

  it('--json: the same verdicts for machines, and the same exit code', async () => {
    const firehose = (await hooks()).find((w) => w.resource === 'all')!;
    await control.alterWebhook(firehose.id, { status: 'inactive' });
    const run = await doctor(settingsFor(t), ['--json']);
    expect(run.code, run.output).to.equal(1);
    const report = JSON.parse(run.output) as {
      ok: boolean;
      mode: string;
      checks: Array<{ id: string; status: string; verdict: string; fix?: string; details?: Record<string, unknown> }>;
    };
    expect(report.ok).to.equal(false);
    expect(report.mode).to.equal('webex');
    expect(report.checks.map((c) => c.id)).to.deep.equal([
      'config',
      'node',
      'proxy',
      'token',
      'clock',
      'webhooks',
      'webhooks-active',
      'webhooks-secret',
      'stale-webhooks',
      'webhook-url',
      'webhook-signature',
      'mentions',
    ]);
    const active = report.checks.find((c) => c.id === 'webhooks-active')!;
    expect(active.status).to.equal('fail');
    expect(active.fix).to.be.a('string');
    expect(active.details).to.deep.equal({ inactive: [firehose.id] });
    expect(report.checks.find((c) => c.id === 'token')!.details).to.include({
      email: 'skill-bot@webex.bot',
      type: 'bot',
    });
  });

  it('websocket mode (a token, no WEBHOOK_URL): the token checked, the webhook checks skipped with the reason, exit 0', async () => {
    const run = await doctor({ WEBEX_BOT_TOKEN: t.emulator.botToken, WEBEX_API_URL: t.emulator.apiUrl });
    expect(run.code, run.output).to.equal(0);
    expect(run.output).to.match(verdict('PASS', 'token', ''));
    for (const id of ['webhooks', 'webhook-url', 'webhook-signature'])
      expect(run.output).to.match(verdict('SKIP', id, 'not checked: websocket mode'));
    expectNoStackTrace(run.output);
  });

  it('a broken set-up never crashes it: invalid settings, a Webex that does not answer', async () => {
    const invalid = await doctor({ WEBEX_BOT_TOKEN: 'some-token', WEBEX_TRANSPORT: 'webhook' });
    expect(invalid.code, invalid.output).to.equal(1);
    expect(invalid.output).to.match(verdict('FAIL', 'config', 'configuration invalid: WEBHOOK_URL is required'));
    expectNoStackTrace(invalid.output);

    const closed = await freePort();
    const silent = await doctor(settingsFor(t, { WEBEX_API_URL: `http://127.0.0.1:${closed}/v1` }));
    expect(silent.code, silent.output).to.equal(1);
    expect(silent.output).to.match(
      verdict('FAIL', 'token', `no answer from http://127.0.0.1:${closed}/v1 \\(ECONNREFUSED\\)`),
    );
    expectNoStackTrace(silent.output);
  });
});

describe('npm run doctor with no token', function () {
  this.timeout(60_000);
  it('checks a bot it starts against the built-in emulator: exit 0', async () => {
    const run = await doctor({});
    expect(run.code, run.output).to.equal(0);
    expect(run.output).to.match(verdict('PASS', 'config', 'checking a bot started here against the built-in emulator'));
    expect(run.output).to.match(verdict('PASS', 'webhook-signature', 'the secret matches'));
    expect(run.output).to.match(/^All clear/m);
  });
});
