/**
 * Websocket mode, as issue 12 asks it to be shown: the real framework and SDK, through the bot,
 * over the emulator's event socket — no webhook anywhere. In-process bots (`startTestBot` with
 * `transport: 'websocket'`) for the conversation, and processes (`src/main.ts`, as `npm start`
 * runs it) for SIGTERM and a bad token.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ApiCallEvent, Message } from '../../src/emulator/index.js';
import { startTestBot, type TestBot } from '../../src/testing/test-bot.js';
import { capturedLog, type LogLine } from './support/captured-log.js';
import { ControlClient } from './support/control-client.js';
import { projectRoot, startNodeScript, startNpm, startStandaloneEmulator } from './support/processes.js';
import { botMessages } from './support/settle.js';

const seedCard = JSON.parse(readFileSync(path.join(projectRoot, 'test/fixtures/seed-card.json'), 'utf8')) as Record<
  string,
  unknown
>;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await pause(20);
  }
}

const readyz = async (t: TestBot) => {
  const res = await fetch(`http://127.0.0.1:${t.bot.port}/readyz`);
  return { status: res.status, body: (await res.json()) as { unmet?: Array<{ condition: string; reason: string }> } };
};

describe("websocket mode (the real framework and SDK over the emulator's event socket, through the bot)", function () {
  this.timeout(60_000);

  describe('a conversation', () => {
    let t: TestBot;
    let lines: LogLine[];
    before(async () => {
      const captured = capturedLog('debug');
      lines = captured.lines;
      t = await startTestBot({ transport: 'websocket', log: captured.log });
    });
    after(() => t.stop());

    it('registers no webhook: one device with its socket open, and /readyz ready', async () => {
      expect(t.bot.transport).to.equal('websocket');
      expect(t.emulator.webhooks()).to.deep.equal([]);
      expect(t.emulator.devices().map((d) => [d.ownerId, d.sockets])).to.deep.equal([[t.emulator.bot.id, 1]]);
      expect((await readyz(t)).status).to.equal(200);
    });

    it('answers help and echo in a direct space', async () => {
      const help = await t.direct.say('help');
      expect(help.markdown)
        .to.match(/^Here is what I can do/)
        .and.include('**echo**');
      const echo = await t.direct.say('echo hello over the socket');
      expect(echo.markdown)
        .to.include('(messages / created)')
        .and.include('- Message: echo hello over the socket')
        .and.include('- Sender: Alice Example (alice@example.com)');
      const json = JSON.parse(/```json\n([\s\S]*?)\n```/.exec(echo.markdown!)![1]!) as {
        resource: string;
        data: Record<string, unknown>;
      };
      expect(json.data).to.include({
        roomId: t.direct.roomId,
        personId: t.emulator.seed!.alice.id,
        roomType: 'direct',
      });
    });

    it('answers help and echo in a group when mentioned, and nothing it was not mentioned in', async () => {
      const unheard = await t.group.send('echo not for the bot', { mention: false });
      const help = await t.group.say('help');
      expect(help.markdown).to.match(/^Here is what I can do/);
      const echo = await t.group.say('echo in the group', { as: 'bob' });
      expect(echo.markdown).to.include('- Message: echo in the group').and.include('- Sender: Bob Example');
      expect(botMessages(t, t.group.roomId, unheard)).to.have.length(2);
      expect(t.emulator.socketFrames().map((f) => f.dataId)).to.not.include(unheard.id);
    });

    it("pastes the seed's card back as a card, and echoes its submission in the card's thread", async () => {
      const card = await t.direct.say(JSON.stringify(seedCard, null, 2));
      expect(card.attachments?.[0]?.content).to.deep.equal(seedCard);
      const echoed = await t.direct.submit(card, { input_text: 'typed over the socket', input_toggle: 'true' });
      expect(echoed.parentId).to.equal(card.id);
      expect(echoed.markdown)
        .to.include('(attachmentActions / created)')
        .and.include('- input\\_text: typed over the socket');
      expect(t.emulator.socketFrames().some((f) => f.verb === 'cardAction' && f.state === 'sent')).to.equal(true);
    });

    it('handles a membership event: added to a new space, the framework fetches the membership by the id built from the socket event, and the bot welcomes the space and answers there', async () => {
      const fetched: ApiCallEvent[] = [];
      const off = t.emulator.onEvent((e) => {
        if (e.kind === 'api-call' && e.route === '/v1/memberships/{id}' && e.callerId === t.emulator.bot.id)
          fetched.push(e);
      });
      const welcome = t.emulator.waitForMessage({ personId: t.emulator.bot.id });
      const room = t.emulator.createRoom({
        type: 'group',
        title: 'New over the socket',
        memberIds: [t.emulator.seed!.alice.id, t.emulator.bot.id],
      });
      try {
        // The bot's own membership: the event that tells it it was added (help then welcomes the space).
        await until('the framework fetched the membership', () => fetched.length >= 1);
        expect(fetched.map((c) => c.status)).to.deep.equal(fetched.map(() => 200));
        const greeting = await welcome;
        expect(greeting.roomId).to.equal(room.id);
        expect(greeting.markdown).to.include('thanks for adding me');
        const reply = t.emulator.waitForMessage({ roomId: room.id, personId: t.emulator.bot.id });
        await t.emulator.say({
          personId: t.emulator.seed!.alice.id,
          roomId: room.id,
          text: 'echo in the new space',
          mention: true,
        });
        expect((await reply).markdown).to.include('- Space: New over the socket (group)');
      } finally {
        off();
      }
      expect(
        lines.some(
          (l) => l.message === 'event done' && l['resource'] === 'memberships' && l['outcome'] === 'lifecycle',
        ),
      ).to.equal(true);
    });

    it('answers an event delivered twice on the socket once', async () => {
      const sent = await t.direct.send('echo said once, sent twice');
      const first = await t.emulator.waitForMessage({
        roomId: t.direct.roomId,
        personId: t.emulator.bot.id,
        predicate: (m) => Boolean(m.markdown?.includes('said once')),
      });
      const frame = t.emulator.socketFrames().find((f) => f.dataId === sent.id)!;
      t.emulator.resendFrame(frame.frameId, 2);
      await until(
        'both copies were claimed as duplicates',
        () => lines.filter((l) => l.message === 'duplicate delivery ignored').length >= 2,
      );
      expect(
        botMessages(t, t.direct.roomId, sent)
          .filter((m) => m.markdown?.includes('said once'))
          .map((m) => m.id),
      ).to.deep.equal([first.id]);
    });

    it('logs and drops malformed frames from the socket, and keeps answering', async () => {
      const deviceId = t.emulator.devices()[0]!.id;
      t.emulator.sendRawFrame(deviceId, '{this is not json');
      t.emulator.sendRawFrame(
        deviceId,
        JSON.stringify({
          id: 'f-1',
          data: { eventType: 'conversation.activity', activity: { verb: 'post', id: 'x' } },
        }),
      );
      await until(
        'both were logged',
        () =>
          lines.some(
            (l) =>
              l.level === 'warn' && l['source'] === 'webex-socket' && /receiving WebSocket message/.test(l.message),
          ) && lines.some((l) => l.level === 'warn' && l.message.startsWith('event from the socket dropped')),
      );
      expect((await t.direct.say('echo still here')).markdown).to.include('- Message: echo still here');
    });

    it('reconnects after the emulator drops the socket — /readyz not ready meanwhile — and answers events after the reconnect', async () => {
      t.emulator.refuseSockets(true);
      expect(t.emulator.dropSockets()).to.equal(1);
      const down = await until('/readyz says the socket is down', async () => {
        const r = await readyz(t);
        return r.status === 503 && r.body.unmet?.find((u) => u.condition === 'socket');
      });
      expect(down.reason).to.match(/^reconnecting: /);
      t.emulator.refuseSockets(false);
      await until('/readyz is ready again', async () => (await readyz(t)).status === 200);
      expect(t.emulator.devices()[0]!.sockets).to.equal(1);
      expect((await t.direct.say('echo after the reconnect')).markdown).to.include(
        '- Message: echo after the reconnect',
      );
      expect(lines.some((l) => l.message === 'the Webex event socket is connected again')).to.equal(true);
    });

    it('catches up after a gap: messages sent to it while the socket was down are answered once the socket is back, each once, and nothing from before the gap again', async () => {
      const answeredBefore = await t.direct.say('echo answered before the gap');
      const replies = (roomId: string) => t.emulator.transcript(roomId).filter((m) => m.personId === t.emulator.bot.id);
      const directBefore = replies(t.direct.roomId).length;
      const groupBefore = replies(t.group.roomId).length;
      t.emulator.refuseSockets(true);
      expect(t.emulator.dropSockets()).to.equal(1);
      await until('/readyz says the socket is down', async () => (await readyz(t)).status === 503);
      await t.direct.send('echo sent during the gap, direct');
      await t.group.send('echo sent during the gap, mentioning it', { as: 'bob' });
      await t.group.send('echo sent during the gap, not mentioning it', { as: 'bob', mention: false });
      t.emulator.refuseSockets(false);
      await until(
        'both gap messages are answered',
        () =>
          replies(t.direct.roomId).some((m) => m.markdown?.includes('during the gap, direct')) &&
          replies(t.group.roomId).some((m) => m.markdown?.includes('during the gap, mentioning it')),
      );
      await until('the catch-up is logged', () =>
        lines.some((l) => l.message === 'looked for messages sent while the event socket was down'),
      );
      // Each answered once; the one answered before the gap, and the one that did not mention the bot, not at all.
      expect(replies(t.direct.roomId).length).to.equal(directBefore + 1);
      expect(replies(t.group.roomId).length).to.equal(groupBefore + 1);
      expect(replies(t.direct.roomId).filter((m) => m.markdown?.includes('answered before the gap'))).to.have.length(1);
      expect(answeredBefore.markdown).to.include('answered before the gap');
    });
  });

  describe('a socket that never opens', () => {
    it('retries with backoff, warns at most once a minute, and stays not ready until it opens', async () => {
      const captured = capturedLog('info');
      const { startEmulator } = await import('../../src/emulator/index.js');
      const emulator = await startEmulator({});
      emulator.refuseSockets(true);
      let refused = 0;
      emulator.onEvent((e) => {
        if (e.kind === 'socket' && e.change === 'refused') refused += 1;
      });
      const { freePort } = await import('./support/processes.js');
      const port = await freePort();
      const { startBot } = await import('../../src/bot.js');
      const { loadConfig } = await import('../../src/config.js');
      const { MemoryStore } = await import('../../src/store/memory-store.js');
      const starting = startBot({
        config: {
          ...loadConfig({ WEBEX_TRANSPORT: 'websocket', PORT: String(port) }, projectRoot),
          apiUrl: emulator.apiUrl,
        },
        token: emulator.botToken,
        log: captured.log,
        tuning: { socket: { backoff: { initialMs: 20, maxMs: 100 } }, stateStore: new MemoryStore() },
      });
      try {
        await until('several attempts were refused', () => refused >= 4);
        const r = await fetch(`http://127.0.0.1:${port}/readyz`);
        expect(r.status).to.equal(503);
        const unmet = ((await r.json()) as { unmet: Array<{ condition: string; reason: string }> }).unmet;
        expect(unmet.find((u) => u.condition === 'socket')?.reason).to.match(/^connecting: could not open the socket/);
        expect(
          captured.lines.filter(
            (l) => l.level === 'warn' && l.message.startsWith('the Webex event socket did not open'),
          ),
        ).to.have.length(1);
        emulator.refuseSockets(false);
        const bot = await starting;
        expect(bot.readiness.ready).to.equal(true);
        await bot.stop();
      } finally {
        emulator.refuseSockets(false);
        await starting.then(
          (b) => b.stop(),
          () => undefined,
        );
        await emulator.stop();
      }
    });
  });

  describe('as a process (src/main.ts, as npm start runs it)', () => {
    let emulator: Awaited<ReturnType<typeof startStandaloneEmulator>>;
    let control: ControlClient;
    before(async () => {
      emulator = await startStandaloneEmulator();
      control = new ControlClient(emulator.baseUrl);
    });
    after(() => emulator.process.stop());

    it('SIGTERM with an event in flight: answered, exit 0, device unregistered', async () => {
      // A token and no WEBHOOK_URL: websocket mode by default.
      const bot = startNodeScript('bot', 'src/main.ts', {
        WEBEX_BOT_TOKEN: emulator.token,
        WEBEX_API_URL: emulator.apiUrl,
        PORT: '0',
        SHUTDOWN_TIMEOUT: '20',
        LOG_LEVEL: 'info',
      });
      await bot.waitFor(/bot ready.*transport=websocket/);
      const devices = async () =>
        ((await (await fetch(`${emulator.baseUrl}/_emulator/devices`)).json()) as { items: Array<{ sockets: number }> })
          .items;
      expect((await devices()).map((d) => d.sockets)).to.deep.equal([1]);
      const { bot: botPerson, rooms } = await control.state();
      const direct = rooms.find((r) => r.type === 'direct')!;
      const alice = direct.memberIds.find((id) => id !== botPerson.id)!;
      await control.fault({ method: 'GET', path: '/v1/messages/{id}', delayMs: 1500, count: 1 });
      const calls = async () =>
        ((await (await fetch(`${emulator.baseUrl}/_emulator/calls`)).json()) as Record<string, number>)[
          'GET /v1/messages/{id}'
        ] ?? 0;
      const before = await calls();
      const sent: Message = await control.say(direct.id, alice, 'echo in flight at SIGTERM');
      await until('the bot is fetching the message', async () => (await calls()) > before);
      bot.child.kill('SIGTERM');
      expect(await bot.exitCode()).to.equal(0);
      const answered = (await control.transcript(direct.id)).find(
        (m) =>
          m.personId === botPerson.id &&
          m.created >= sent.created &&
          m.markdown?.includes('- Message: echo in flight at SIGTERM'),
      );
      expect(answered, `no answer; bot output:\n${bot.output}`).to.not.equal(undefined);
      expect(await devices()).to.deep.equal([]);
      expect(await control.webhooks()).to.deep.equal([]);
    });

    it('a bot killed without stopping (SIGKILL) reuses its device when it starts again: no second registration', async () => {
      const stateDir = mkdtempSync(path.join(tmpdir(), 'ws-device-'));
      const env = {
        WEBEX_BOT_TOKEN: emulator.token,
        WEBEX_API_URL: emulator.apiUrl,
        PORT: '0',
        STATE_DIR: stateDir,
        LOG_LEVEL: 'info',
      };
      const devices = async () =>
        (
          (await (await fetch(`${emulator.baseUrl}/_emulator/devices`)).json()) as {
            items: Array<{ id: string; sockets: number }>;
          }
        ).items;
      const before = (await devices()).length;
      try {
        const first = startNodeScript('bot', 'src/main.ts', env);
        await first.waitFor(/bot ready.*transport=websocket/);
        const registered = await devices();
        expect(registered).to.have.length(before + 1);
        first.kill('SIGKILL');
        await first.exitCode();
        const second = startNodeScript('bot', 'src/main.ts', env);
        await second.waitFor(/bot ready.*transport=websocket/);
        const after = await devices();
        expect(after.map((d) => d.id)).to.deep.equal(registered.map((d) => d.id));
        // The killed process's socket is seen closed by the emulator in its own time: wait until only the new one is open.
        await until('the device has one socket, the new process’s', async () => {
          const device = (await devices()).find((d) => d.id === registered.at(-1)!.id)!;
          return device.sockets === 1;
        });
        expect(await second.stop()).to.equal(0);
      } finally {
        rmSync(stateDir, { recursive: true, force: true });
      }
    });

    it('a bad token: exit 1 with the reason', async () => {
      const bot = startNodeScript('bot', 'src/main.ts', {
        WEBEX_BOT_TOKEN: 'wrong_PF84_00000000-0000-0000-0000-000000000000',
        WEBEX_API_URL: emulator.apiUrl,
        PORT: '0',
      });
      expect(await bot.exitCode()).to.equal(1);
      expect(bot.output).to.include(
        `Could not start the bot: Webex rejected WEBEX_BOT_TOKEN (HTTP 401) at ${emulator.apiUrl}`,
      );
      expect(bot.output).to.not.match(/\n\s+at .*\(.*:\d+:\d+\)/);
    });

    it('npm start against the built-in emulator: webhooks by default, WEBEX_TRANSPORT=websocket runs the same bot over the socket, and the banner says which', async () => {
      const app = startNpm('npm start', ['start'], { PORT: '0', EMULATOR_PORT: '0', WEBEX_TRANSPORT: 'websocket' });
      try {
        await app.waitFor(/Events:\s+over the emulator's event socket/);
        const [, emulatorUrl] = await app.waitFor(/Emulator:\s+(http:\/\/127\.0\.0\.1:\d+)/);
        const local = new ControlClient(emulatorUrl!);
        const { bot, rooms } = await local.state();
        const direct = rooms.find((r) => r.type === 'direct')!;
        const reply = await local.ask(direct.id, direct.memberIds.find((id) => id !== bot.id)!, bot.id, 'help');
        expect(reply.markdown).to.match(/^Here is what I can do/);
        expect(await local.webhooks()).to.deep.equal([]);
      } finally {
        expect(await app.stop()).to.equal(0);
      }
    });
  });
});
