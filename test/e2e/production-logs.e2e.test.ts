/**
 * "Logs": the bot run as in production (`NODE_ENV=production`, `npm start`) through the cases
 * above — messages and cards, bad signatures, bad JSON, Webex faults (429, 5xx, 400 on a reply,
 * 401), an outsider, another bot, a redelivery, a stop — and everything it printed scanned: only
 * JSON lines, and no token, secret, signature or message body at `info` or above.
 */
import { expect } from 'chai';
import type { Message } from '../../src/emulator/index.js';
import { signBody } from '../../src/protocol/signature.js';
import { ControlClient } from './support/control-client.js';
import { freePort, startNpm, startStandaloneEmulator } from './support/processes.js';

const SECRET = 'production-logs-secret-0123456789';
const PREVIOUS = 'production-logs-previous-secret-987';

describe('Logs', function () {
  this.timeout(90_000);

  it('with NODE_ENV=production: only JSON lines, and no token, secret, signature or message body at info or above', async () => {
    const emulator = await startStandaloneEmulator();
    const control = new ControlClient(emulator.baseUrl);
    const port = await freePort();
    const webhookUrl = `http://127.0.0.1:${port}/webhook`;
    const app = startNpm('npm start', ['start', '--silent'], {
      NODE_ENV: 'production',
      WEBEX_BOT_TOKEN: emulator.token,
      WEBEX_API_URL: emulator.apiUrl,
      WEBHOOK_URL: webhookUrl,
      WEBHOOK_SECRET: SECRET,
      WEBHOOK_SECRET_PREVIOUS: PREVIOUS,
      PORT: String(port),
      ALLOWED_DOMAINS: 'example.com',
    });
    const bodies: string[] = [];
    const signatures: string[] = [];
    try {
      await app.waitFor(/"bot ready"/);
      const { bot, rooms } = await control.state();
      const direct = rooms.find((r) => r.type === 'direct')!;
      const group = rooms.find((r) => r.type === 'group')!;
      const alice = direct.memberIds.find((id) => id !== bot.id)!;
      let n = 0;
      const ask = async (text: string, roomId = direct.id, personId = alice): Promise<Message> => {
        const body = `${text} body-marker-${++n}-${'x'.repeat(8)}`;
        bodies.push(body);
        const before = await control.transcript(roomId);
        await control.say(roomId, personId, body, { mention: roomId === group.id });
        return control.waitForMessage(roomId, bot.id, before);
      };
      // Messages and a card.
      await ask('echo');
      await ask('help');
      const card = await ask('feedback the logs');
      await control.submit(alice, card.id, { rating: 'great', comment: 'a private comment body-marker-card' });
      bodies.push('a private comment body-marker-card');
      await control.waitForMessage(direct.id, bot.id, [card], (m) => m.markdown?.startsWith('Thanks') ?? false);
      // Webex faults.
      await control.fault({ method: 'GET', path: '/v1/messages/{id}', status: 429, retryAfter: 1, count: 1 });
      await ask('echo rate limited');
      await control.fault({ method: 'GET', path: '/v1/messages/{id}', status: 503, count: 2 });
      await ask('echo unavailable');
      await control.fault({ method: 'POST', path: '/v1/messages', status: 400, count: 1 });
      await ask('echo refused reply');
      // An outsider, and another bot.
      const mallory = (await (
        await fetch(`${emulator.baseUrl}/_emulator/people`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ displayName: 'Mallory', email: 'mallory@elsewhere.example' }),
        })
      ).json()) as { id: string };
      const outsiderRoom = (await (
        await fetch(`${emulator.baseUrl}/_emulator/rooms`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ type: 'direct', memberIds: [mallory.id, bot.id] }),
        })
      ).json()) as { id: string };
      await ask('echo let me in', outsiderRoom.id, mallory.id);
      const otherBot = (await (
        await fetch(`${emulator.baseUrl}/_emulator/people`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ displayName: 'Other Bot', email: 'other@webex.bot', type: 'bot' }),
        })
      ).json()) as { id: string };
      // The framework cannot set the new space up: it says so on the console (routed through the logger).
      await control.fault({ method: 'GET', path: '/v1/rooms/{id}', status: 500, count: 8 });
      const botsRoom = (await (
        await fetch(`${emulator.baseUrl}/_emulator/rooms`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ type: 'group', title: 'Bots', memberIds: [alice, otherBot.id, bot.id] }),
        })
      ).json()) as { id: string };
      await control.say(botsRoom.id, otherBot.id, 'echo from a bot body-marker-bot', { mention: true });
      bodies.push('echo from a bot body-marker-bot');
      // The framework's retries take a while: wait for its line rather than hope it comes before the stop.
      await app.waitFor(/Failed spawning a bot/);
      // Bad requests: bad signatures, bad JSON, and a redelivery signed with the previous secret.
      const delivery = (await control.deliveries()).find(
        (d) => d.targetUrl === webhookUrl && d.resource === 'messages' && d.signature,
      )!;
      signatures.push(delivery.signature!);
      const post = (body: string, signature?: string) =>
        fetch(webhookUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(signature ? { 'x-spark-signature': signature } : {}) },
          body,
        });
      expect((await post(delivery.body, 'f'.repeat(40))).status).to.equal(401);
      expect((await post(delivery.body)).status).to.equal(401);
      const badJson = 'not json body-marker-json';
      expect((await post(badJson, signBody(SECRET, badJson))).status).to.equal(400);
      const previousSigned = signBody(PREVIOUS, delivery.body);
      signatures.push(previousSigned);
      expect((await post(delivery.body, previousSigned)).status).to.equal(200);
      // Webex rejecting the token.
      await control.fault({ method: 'GET', path: '/v1/messages/{id}', status: 401, count: 1 });
      await control.say(direct.id, alice, 'echo revoked body-marker-401');
      bodies.push('echo revoked body-marker-401');
      await app.waitFor(/rejected the bot token/);
    } finally {
      expect(await app.stop()).to.be.oneOf([0, 1]);
      await emulator.process.stop();
    }

    if (process.env['SHOW']) console.log(app.output);
    const lines = app.output.split('\n').filter((l) => l.trim() !== '');
    expect(lines.length).to.be.greaterThan(20);
    const entries = lines.map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON line: ${line}`);
      }
    });
    const forbidden = [emulator.token, SECRET, PREVIOUS, ...signatures];
    for (const entry of entries) {
      const text = JSON.stringify(entry);
      for (const f of forbidden) expect(text, `a credential in: ${text}`).not.to.include(f);
      if (entry['level'] === 'debug') continue;
      for (const b of bodies)
        expect(text, `a message body in: ${text}`).not.to.include(b.split(' ').at(-1)!.slice(0, 14));
      expect(text, `a message body in: ${text}`).not.to.include('body-marker');
    }
    // The cases really happened (and were logged).
    const messages = entries.map((e) => String(e['message']));
    expect(messages)
      .to.include('webhook refused: bad signature')
      .and.include('webhook refused: body is not JSON')
      .and.include('sender not allowed to use the bot');
    expect(messages.some((m) => m.startsWith('Webex rejected the bot token'))).to.equal(true);
    expect(
      entries.some((e) => e['source'] === 'console' && String(e['message']).startsWith('Failed spawning a bot')),
      'the framework console line',
    ).to.equal(true);
  });
});
