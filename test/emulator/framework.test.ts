/**
 * The real `webex-node-bot-framework` runs unchanged against the emulator: it starts (identity,
 * start-up scan of spaces), registers its two webhooks, hears people through signed webhooks and
 * answers, including card submissions. This is the emulator's reason to exist.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { expect } from 'chai';
import express from 'express';
import type Framework from 'webex-node-bot-framework';
import type { Emulator } from '../../src/emulator/index.js';
import { withSdkConfig } from '../../src/webex/sdk.js';
import { startTestEmulator, until } from './helpers.js';

const require = createRequire(import.meta.url);
type FrameworkClass = typeof Framework;
type Handler = (framework: Framework) => (req: express.Request, res: express.Response) => void;

describe('emulator with the real webex-node-bot-framework', function () {
  this.timeout(20000);
  let emulator: Emulator;
  let server: http.Server;
  let framework: Framework;

  before(async () => {
    emulator = await startTestEmulator();
    const FrameworkCtor = require('webex-node-bot-framework') as FrameworkClass;
    const webhook = require('webex-node-bot-framework/webhook') as Handler;
    const app = express();
    app.use(express.json());
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
    framework = new FrameworkCtor({
      token: emulator.botToken,
      webhookUrl,
      webhookSecret: 'framework-secret',
      removeWebhooksOnStart: false,
    });
    const handle = webhook(framework);
    app.post('/webhook', (req, res) => {
      handle(req, res);
    });
    framework.hears('hello', (bot, trigger) => {
      void bot.say('markdown', `Hello ${trigger.person.displayName}`);
    });
    framework.on('attachmentAction', (bot: Framework.Bot, trigger: Framework.Trigger) => {
      void bot.reply(trigger.attachmentAction!, `Got ${JSON.stringify(trigger.attachmentAction!.inputs)}`);
    });
    const initialized = new Promise<void>((resolve) => framework.once('initialized', () => resolve()));
    await withSdkConfig(
      { apiUrl: emulator.apiUrl },
      () => undefined,
      () => framework.start(),
    );
    await initialized;
    await until(() => emulator.webhooks().length === 2, 'the framework registered its two webhooks');
  });

  after(async () => {
    await framework.stop();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    await emulator.stop();
  });

  it('registers a firehose and an attachmentActions webhook with its secret', () => {
    const hooks = emulator.webhooks().map((w) => [w.resource, w.event, w.secret, w.createdBy]);
    expect(hooks).to.have.deep.members([
      ['all', 'all', 'framework-secret', emulator.bot.id],
      ['attachmentActions', 'created', 'framework-secret', emulator.bot.id],
    ]);
    expect(framework.bots.map((b) => b.room.title).sort()).to.deep.equal(['Alice Example', 'Team Space']);
  });

  it('answers a person in a direct space', async () => {
    const { alice, directRoom } = emulator.seed!;
    const reply = emulator.waitForMessage({ roomId: directRoom.id, personId: emulator.bot.id });
    await emulator.say({ personId: alice.id, roomId: directRoom.id, text: 'hello' });
    expect((await reply).markdown).to.equal('Hello Alice Example');
  });

  it('answers an @mention in a group space', async () => {
    const { bob, groupRoom } = emulator.seed!;
    const reply = emulator.waitForMessage({ roomId: groupRoom.id, personId: emulator.bot.id });
    await emulator.say({ personId: bob.id, roomId: groupRoom.id, text: 'hello', mention: true });
    expect((await reply).markdown).to.equal('Hello Bob Example');
  });

  it('hears a card submission and replies in its thread', async () => {
    const { alice, directRoom } = emulator.seed!;
    const bot = framework.bots.find((b) => b.room.id === directRoom.id)!;
    const cardMessage = await bot.sendCard(
      {
        type: 'AdaptiveCard',
        version: '1.2',
        body: [{ type: 'Input.Text', id: 'input_text' }],
        actions: [{ type: 'Action.Submit', title: 'Submit' }],
      },
      'fallback',
    );
    const reply = emulator.waitForMessage({
      roomId: directRoom.id,
      personId: emulator.bot.id,
      parentId: cardMessage.id,
    });
    await emulator.submitCard({ personId: alice.id, messageId: cardMessage.id, inputs: { input_text: 'typed' } });
    expect((await reply).text).to.equal('Got {"input_text":"typed"}');
  });
});
