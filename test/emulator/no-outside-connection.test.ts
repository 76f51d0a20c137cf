/**
 * The emulator never reaches outside this machine: during a full scenario (the real SDK as the
 * bot and as a person, webhooks to loopback and to public hosts, cards, the control API), and
 * with a bot in websocket mode (catalog, device, event socket, a drop and reconnect), every
 * socket connects to loopback and only loopback names are ever resolved.
 */
import dns from 'node:dns';
import net from 'node:net';
import { expect } from 'chai';
import { ADAPTIVE_CARD_CONTENT_TYPE } from '../../src/emulator/index.js';
import { startTestBot } from '../../src/testing/test-bot.js';
import { createHook, Receiver, sdkFor, startTestEmulator, until } from './helpers.js';

interface Attempt {
  host: string | undefined;
  port: unknown;
  path: unknown;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '::ffff:127.0.0.1']);

describe('emulator: no outside connection', () => {
  const connects: Attempt[] = [];
  const lookups: string[] = [];
  const originalConnect = net.Socket.prototype.connect;
  const originalLookup = dns.lookup;

  before(() => {
    net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
      const first = args[0];
      const options = (
        Array.isArray(first)
          ? first[0]
          : typeof first === 'object' && first !== null
            ? first
            : { port: first, host: args[1] }
      ) as Record<string, unknown>;
      connects.push({
        host: typeof options['host'] === 'string' ? options['host'] : undefined,
        port: options['port'],
        path: options['path'],
      });
      return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
    } as typeof net.Socket.prototype.connect;
    dns.lookup = function (this: unknown, hostname: string, ...rest: unknown[]) {
      lookups.push(hostname);
      return (originalLookup as (...a: unknown[]) => unknown).call(this, hostname, ...rest);
    } as typeof dns.lookup;
  });

  after(() => {
    net.Socket.prototype.connect = originalConnect;
    dns.lookup = originalLookup;
  });

  it('connects only to loopback during a full scenario', async () => {
    const emulator = await startTestEmulator({
      delivery: { timeoutMs: 500, retryDelaysMs: [10], inactiveAfterFailures: 10 },
    });
    const receiver = await Receiver.start();
    try {
      const port = new URL(receiver.url).port;
      const bot = await sdkFor(emulator, emulator.botToken);
      const alice = await sdkFor(emulator, emulator.seed!.alice.token);
      await createHook(bot, receiver.url, { secret: 's' });
      await createHook(bot, `http://localhost:${port}/cards`, { resource: 'attachmentActions', event: 'created' });
      const outside = await createHook(bot, 'https://bot.example.com/webhook');
      const outsideByIp = await createHook(alice, 'http://203.0.113.7/webhook');

      const hello = await alice.messages.create({ roomId: emulator.seed!.directRoom.id, text: 'hello' });
      await emulator.say({
        personId: emulator.seed!.alice.id,
        roomId: emulator.seed!.groupRoom.id,
        text: 'help',
        mention: true,
      });
      const cardMessage = await bot.messages.create({
        roomId: emulator.seed!.directRoom.id,
        parentId: hello.id,
        markdown: 'form',
        attachments: [
          { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: { type: 'AdaptiveCard', version: '1.3', body: [] } },
        ],
      });
      await alice.attachmentActions.create({ type: 'submit', messageId: cardMessage.id, inputs: { a: '1' } });
      await bot.people.get(emulator.seed!.alice.id);
      await fetch(`${emulator.url}/_emulator/state`);
      await fetch(`http://localhost:${new URL(emulator.url).port}/_emulator/calls`);

      await until(() => emulator.deliveries().every((d) => d.state !== 'pending'), 'every delivery has ended');
      const records = emulator.deliveries();
      const reasons = records
        .filter((d) => d.webhookId === outside.id || d.webhookId === outsideByIp.id)
        .map((d) => d.reason);
      expect(reasons.length).to.be.at.least(2);
      for (const reason of reasons) expect(reason).to.match(/is not loopback/);
      expect(records.filter((d) => d.state === 'delivered').length).to.be.at.least(4);
    } finally {
      await emulator.stop();
      await receiver.close();
    }

    expect(connects.length, 'the connect wrapper saw the traffic').to.be.at.least(5);
    const outsideConnects = connects.filter((c) => typeof c.path === 'string' || !LOOPBACK.has(c.host ?? 'localhost'));
    expect(outsideConnects).to.deep.equal([]);
    expect(lookups.filter((h) => !LOOPBACK.has(h))).to.deep.equal([]);
  });

  it('connects only to loopback with a bot in websocket mode, through a drop and a reconnect', async () => {
    const seen = connects.length;
    const seenLookups = lookups.length;
    const t = await startTestBot({ transport: 'websocket' });
    try {
      expect((await t.direct.say('help')).markdown).to.match(/^Here is what I can do/);
      let opened = 0;
      t.emulator.onEvent((e) => {
        if (e.kind === 'socket' && e.change === 'opened') opened += 1;
      });
      t.emulator.dropSockets();
      await until(() => opened === 1 && t.bot.readiness.ready, 'the bot reconnected');
      expect((await t.group.say('echo again')).markdown).to.include('- Message: echo again');
    } finally {
      await t.stop();
    }
    const mine = connects.slice(seen);
    expect(mine.length, 'the connect wrapper saw the traffic').to.be.at.least(3);
    expect(mine.filter((c) => typeof c.path === 'string' || !LOOPBACK.has(c.host ?? 'localhost'))).to.deep.equal([]);
    expect(lookups.slice(seenLookups).filter((h) => !LOOPBACK.has(h))).to.deep.equal([]);
  });
});
