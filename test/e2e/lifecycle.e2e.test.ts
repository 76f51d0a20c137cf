/**
 * "Lifecycle": `npm start` stopped as a terminal or systemd stops it — the signal sent to the
 * whole process group, so that node gets it from the group and again from npm — with an event in
 * flight: the event is answered, the exit code is 0, and the webhooks stay; a restart answers
 * again with no duplicate webhooks.
 */
import { expect } from 'chai';
import type { Message } from '../../src/emulator/index.js';
import { ControlClient } from './support/control-client.js';
import { freePort, startNpm, startStandaloneEmulator } from './support/processes.js';

const SECRET = 'lifecycle-webhook-secret-0123456789';

describe('Lifecycle', function () {
  this.timeout(90_000);
  let emulator: Awaited<ReturnType<typeof startStandaloneEmulator>>;
  let control: ControlClient;
  let botPort: number;
  before(async () => {
    emulator = await startStandaloneEmulator();
    control = new ControlClient(emulator.baseUrl);
    botPort = await freePort();
  });
  after(() => emulator.process.stop());

  const startNpmBot = (env: Record<string, string> = {}) =>
    startNpm(
      'npm start',
      ['start'],
      {
        WEBEX_BOT_TOKEN: emulator.token,
        WEBEX_API_URL: emulator.apiUrl,
        WEBHOOK_URL: `http://127.0.0.1:${botPort}/webhook`,
        WEBHOOK_SECRET: SECRET,
        PORT: String(botPort),
        SHUTDOWN_TIMEOUT: '20',
        ...env,
      },
      { group: true },
    );

  const ourWebhooks = async () =>
    (await control.webhooks()).filter((h) => h.targetUrl === `http://127.0.0.1:${botPort}/webhook`);

  /** Sends a message whose handling is slow (the fetch of it takes 1.5 s), and resolves once the bot has taken it. */
  async function eventInFlight(text: string): Promise<Message> {
    const { bot, rooms } = await control.state();
    const direct = rooms.find((r) => r.type === 'direct')!;
    const alice = direct.memberIds.find((id) => id !== bot.id)!;
    await control.fault({ method: 'GET', path: '/v1/messages/{id}', delayMs: 1500, count: 1 });
    const sent = await control.say(direct.id, alice, text);
    for (;;) {
      const d = (await control.deliveries()).find((x) => x.dataId === sent.id && x.targetUrl.includes(`:${botPort}/`));
      if (d?.state === 'delivered') return sent;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async function botReplyTo(sent: Message): Promise<Message | undefined> {
    const { bot } = await control.state();
    return (await control.transcript(sent.roomId)).find(
      (m) => m.personId === bot.id && m.created >= sent.created && m.markdown?.includes(`- Message: ${sent.text}`),
    );
  }

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} to the process group with an event in flight: answered, exit 0, webhooks kept`, async () => {
      const app = startNpmBot();
      await app.waitFor(/bot ready/);
      const sent = await eventInFlight(`echo in flight at ${signal}`);
      app.signalGroup(signal);
      expect(await app.exitCode()).to.equal(0);
      expect(app.output).to.include('bot stopped');
      expect(app.output).not.to.include('exiting now');
      expect(await botReplyTo(sent), `no answer; bot output:\n${app.output}`).to.not.equal(undefined);
      expect((await ourWebhooks()).map((h) => `${h.resource}/${h.event}:${h.status}`).sort()).to.deep.equal([
        'all/all:active',
        'attachmentActions/created:active',
      ]);
    });
  }

  it('SIGTERM while it is still starting: it finishes starting, then stops cleanly (exit 0), never killed by the signal', async () => {
    // Registration waits 5 s on Webex (time enough for the test to see "listening" and signal on a
    // busy machine): the signal lands between "listening" and "bot ready".
    await control.fault({ method: 'GET', path: '/v1/webhooks', delayMs: 5000, count: 1 });
    const app = startNpmBot();
    await app.waitFor(/listening/);
    app.signalGroup('SIGTERM');
    expect(await app.exitCode(), app.output).to.equal(0);
    expect(app.output).to.include('stop asked while the bot is starting');
    expect(app.output).to.include('bot stopped');
    expect(app.output).not.to.include('exiting now');
    expect((await ourWebhooks()).map((h) => `${h.resource}/${h.event}:${h.status}`).sort()).to.deep.equal([
      'all/all:active',
      'attachmentActions/created:active',
    ]);
  });

  it('restart: no duplicate webhooks, and it answers again', async () => {
    const before = (await ourWebhooks()).map((h) => h.id).sort();
    const app = startNpmBot();
    try {
      await app.waitFor(/bot ready/);
      expect((await ourWebhooks()).map((h) => h.id).sort()).to.deep.equal(before);
      const { bot, rooms } = await control.state();
      const direct = rooms.find((r) => r.type === 'direct')!;
      const reply = await control.ask(
        direct.id,
        direct.memberIds.find((id) => id !== bot.id)!,
        bot.id,
        'echo after restart',
      );
      expect(reply.markdown).to.include('- Message: echo after restart');
    } finally {
      expect(await app.stop()).to.equal(0);
    }
  });

  it('a webhook Webex marks inactive while the bot runs is re-activated by the watchdog, with a warning', async () => {
    const app = startNpmBot({ WEBHOOK_CHECK_INTERVAL: '1' });
    try {
      await app.waitFor(/bot ready/);
      const firehose = (await ourWebhooks()).find((h) => h.resource === 'all')!;
      // Only Webex deactivates a webhook (a PUT cannot): the emulator's control API plays Webex.
      expect((await control.alterWebhook(firehose.id, { status: 'inactive' })).status).to.equal('inactive');
      await app.waitFor(/webhook was inactive \(Webex had given up delivering to it\) and has been re-activated/);
      expect((await ourWebhooks()).find((h) => h.id === firehose.id)!.status).to.equal('active');
      const { bot, rooms } = await control.state();
      const direct = rooms.find((r) => r.type === 'direct')!;
      const reply = await control.ask(
        direct.id,
        direct.memberIds.find((id) => id !== bot.id)!,
        bot.id,
        'echo delivered again',
      );
      expect(reply.markdown).to.include('- Message: echo delivered again');
    } finally {
      expect(await app.stop()).to.equal(0);
    }
  });
});
