/**
 * Contract: `/v1/attachment/actions` and `/v1/webhooks` through the real SDK.
 */
import { expect } from 'chai';
import type { WebexSdk } from 'webex';
import { ADAPTIVE_CARD_CONTENT_TYPE, decodeId, mintId, type Emulator } from '../../src/emulator/index.js';
import { expectApiError, sdkFor, startTestEmulator } from './helpers.js';

const card = {
  contentType: ADAPTIVE_CARD_CONTENT_TYPE,
  content: {
    type: 'AdaptiveCard',
    version: '1.3',
    body: [{ type: 'Input.Text', id: 'name' }],
    actions: [{ type: 'Action.Submit', title: 'Send' }],
  },
};

describe('emulator contract: attachment actions and webhooks', () => {
  let emulator: Emulator;
  let bot: WebexSdk;
  let alice: WebexSdk;
  let bob: WebexSdk;

  before(async () => {
    emulator = await startTestEmulator();
    [bot, alice, bob] = await Promise.all([
      sdkFor(emulator, emulator.botToken),
      sdkFor(emulator, emulator.seed!.alice.token),
      sdkFor(emulator, emulator.seed!.bob.token),
    ]);
  });
  after(async () => {
    await emulator.stop();
  });

  describe('attachment actions', () => {
    it('records a submission that the submitter and the card author can read, and nobody else', async () => {
      const cardMessage = await bot.messages.create({
        roomId: emulator.seed!.groupRoom.id,
        markdown: 'form',
        attachments: [card],
      });
      const action = await alice.attachmentActions.create({
        type: 'submit',
        messageId: cardMessage.id,
        inputs: { name: 'Alice', agree: 'true' },
      });
      expect(decodeId(action.id)?.type).to.equal('ATTACHMENT_ACTION');
      expect(action).to.deep.include({
        type: 'submit',
        messageId: cardMessage.id,
        personId: emulator.seed!.alice.id,
        roomId: emulator.seed!.groupRoom.id,
        inputs: { name: 'Alice', agree: 'true' },
      });
      expect(await bot.attachmentActions.get(action.id)).to.deep.equal(action);
      expect(await alice.attachmentActions.get(action.id)).to.deep.equal(action);
      await expectApiError(bob.attachmentActions.get(action.id), 404);
      await expectApiError(bot.attachmentActions.get(mintId('ATTACHMENT_ACTION')), 404);
    });

    it('refuses a message without a card, an unknown message, a space the submitter is not in, and bad input', async () => {
      const plain = await bot.messages.create({ roomId: emulator.seed!.directRoom.id, text: 'no card' });
      await expectApiError(
        alice.attachmentActions.create({ type: 'submit', messageId: plain.id, inputs: {} }),
        400,
        /no card/,
      );
      await expectApiError(
        alice.attachmentActions.create({ type: 'submit', messageId: mintId('MESSAGE'), inputs: {} }),
        404,
      );
      const cardInDirect = await bot.messages.create({
        roomId: emulator.seed!.directRoom.id,
        markdown: 'form',
        attachments: [card],
      });
      await expectApiError(
        bob.attachmentActions.create({ type: 'submit', messageId: cardInDirect.id, inputs: {} }),
        404,
      );
      await expectApiError(
        alice.attachmentActions.create({ type: 'submit', messageId: cardInDirect.id, inputs: 'name=x' }),
        400,
        /inputs must be an object/,
      );
      await expectApiError(
        alice.attachmentActions.create({ type: 'click', messageId: cardInDirect.id, inputs: {} }),
        400,
        /type must be 'submit'/,
      );
      await expectApiError(
        alice.attachmentActions.create({ type: 'submit', inputs: {} }),
        400,
        /messageId is required/,
      );
    });

    it('refuses a submission without type or without inputs (400): Webex requires both, with no defaults', async () => {
      const cardMessage = await bot.messages.create({
        roomId: emulator.seed!.directRoom.id,
        markdown: 'form',
        attachments: [card],
      });
      let submissions = 0;
      const off = emulator.onEvent((e) => {
        if (e.kind === 'attachment-action') submissions++;
      });
      await expectApiError(
        alice.attachmentActions.create({ messageId: cardMessage.id, inputs: { name: 'x' } }),
        400,
        /type is required/,
      );
      await expectApiError(
        alice.attachmentActions.create({ type: 'submit', messageId: cardMessage.id }),
        400,
        /inputs is required/,
      );
      await expectApiError(
        alice.attachmentActions.create({ type: 'submit', messageId: cardMessage.id, inputs: null }),
        400,
        /inputs is required/,
      );
      off();
      expect(submissions).to.equal(0);
      const ok = await alice.attachmentActions.create({ type: 'submit', messageId: cardMessage.id, inputs: {} });
      expect(ok).to.deep.include({ type: 'submit', inputs: {} });
    });
  });

  describe('webhooks', () => {
    it('creates, reads, lists, updates and deletes a webhook, in Webex shape', async () => {
      const hook = await bot.webhooks.create({
        name: 'firehose',
        targetUrl: 'http://127.0.0.1:9/hook',
        resource: 'all',
        event: 'all',
        secret: 's3cret',
      });
      expect(decodeId(hook.id)?.type).to.equal('WEBHOOK');
      expect(hook).to.include({
        name: 'firehose',
        targetUrl: 'http://127.0.0.1:9/hook',
        resource: 'all',
        event: 'all',
        secret: 's3cret',
        status: 'active',
        ownedBy: 'creator',
        createdBy: emulator.bot.id,
        orgId: emulator.bot.orgId,
      });
      expect(decodeId(hook.appId)?.type).to.equal('APPLICATION');
      expect(await bot.webhooks.get(hook.id)).to.deep.equal(hook);
      expect((await bot.webhooks.list()).items.map((w: { id: string }) => w.id)).to.include(hook.id);
      const updated = await bot.webhooks.update({
        id: hook.id,
        name: 'renamed',
        targetUrl: 'http://localhost:9/other',
      });
      expect(updated).to.include({
        id: hook.id,
        name: 'renamed',
        targetUrl: 'http://localhost:9/other',
        status: 'active',
        secret: 's3cret',
      });
      emulator.alterWebhook(hook.id, { status: 'inactive' }); // as Webex does after failed deliveries
      expect((await bot.webhooks.get(hook.id)).status).to.equal('inactive');
      const reactivated = await bot.webhooks.update({
        id: hook.id,
        name: 'renamed',
        targetUrl: 'http://localhost:9/other',
        status: 'active',
      });
      expect(reactivated.status).to.equal('active');
      await bot.webhooks.remove(hook);
      await expectApiError(bot.webhooks.get(hook.id), 404);
    });

    it('refuses to deactivate a webhook with PUT (400): only Webex deactivates, the owner may only re-activate', async () => {
      const hook = await bot.webhooks.create({
        name: 'stays on',
        targetUrl: 'http://127.0.0.1:9/on',
        resource: 'messages',
        event: 'created',
      });
      await expectApiError(
        bot.webhooks.update({ id: hook.id, name: 'off', targetUrl: 'http://127.0.0.1:9/on', status: 'inactive' }),
        400,
        /cannot be deactivated/,
      );
      expect(await bot.webhooks.get(hook.id)).to.include({ name: 'stays on', status: 'active' });
      // Simulating Webex (the control API / in-process API) still can, and the owner re-activates it.
      expect(emulator.alterWebhook(hook.id, { status: 'inactive' }).status).to.equal('inactive');
      await expectApiError(
        bot.webhooks.update({ id: hook.id, name: 'still off', targetUrl: 'http://127.0.0.1:9/on', status: 'inactive' }),
        400,
        /cannot be deactivated/,
      );
      const back = await bot.webhooks.update({
        id: hook.id,
        name: 'on',
        targetUrl: 'http://127.0.0.1:9/on',
        status: 'active',
      });
      expect(back).to.include({ name: 'on', status: 'active' });
    });

    it("keeps each person's webhooks to themselves", async () => {
      const aliceHook = await alice.webhooks.create({
        name: 'alice',
        targetUrl: 'http://127.0.0.1:9/a',
        resource: 'messages',
        event: 'created',
        filter: `roomId=${emulator.seed!.groupRoom.id}`,
      });
      expect(aliceHook.filter).to.equal(`roomId=${emulator.seed!.groupRoom.id}`);
      expect((await bot.webhooks.list()).items.map((w: { id: string }) => w.id)).to.not.include(aliceHook.id);
      await expectApiError(bot.webhooks.get(aliceHook.id), 404);
      await expectApiError(bot.webhooks.remove(aliceHook.id), 404);
      await expectApiError(
        bot.webhooks.update({ id: aliceHook.id, name: 'x', targetUrl: 'http://127.0.0.1:9/x' }),
        404,
      );
    });

    it('pages the list', async () => {
      for (let i = 0; i < 3; i++)
        await bob.webhooks.create({
          name: `bob ${i}`,
          targetUrl: 'http://127.0.0.1:9/b',
          resource: 'messages',
          event: 'created',
        });
      const first = await bob.webhooks.list({ max: 2 });
      const second = await first.next();
      expect([...first.items, ...second.items].map((w: { name: string }) => w.name)).to.deep.equal([
        'bob 0',
        'bob 1',
        'bob 2',
      ]);
      expect(second.hasNext()).to.equal(false);
    });

    it('refuses a resource or event named like an inherited property of an object (400, not a 500)', async () => {
      const base = { name: 'h', targetUrl: 'http://127.0.0.1:9/h', resource: 'messages', event: 'created' };
      for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
        await expectApiError(bot.webhooks.create({ ...base, resource: name }), 400, /Unsupported resource/);
        await expectApiError(bot.webhooks.create({ ...base, event: name }), 400, /Unsupported event/);
        await expectApiError(bot.webhooks.create({ ...base, resource: 'all', event: name }), 400, /Unsupported event/);
      }
      expect((await bot.webhooks.list()).items.map((w: { name: string }) => w.name)).to.not.include('h');
    });

    it('refuses missing fields, unknown resources and events, bad filters and bad URLs (400)', async () => {
      const base = { name: 'h', targetUrl: 'http://127.0.0.1:9/h', resource: 'messages', event: 'created' };
      await expectApiError(bot.webhooks.create({ ...base, name: undefined }), 400, /name is required/);
      await expectApiError(bot.webhooks.create({ ...base, targetUrl: undefined }), 400, /targetUrl is required/);
      await expectApiError(bot.webhooks.create({ ...base, targetUrl: 'not a url' }), 400, /absolute http\(s\) URL/);
      await expectApiError(bot.webhooks.create({ ...base, targetUrl: 'ftp://127.0.0.1/h' }), 400, /http or https/);
      await expectApiError(
        bot.webhooks.create({ ...base, resource: 'meetings' }),
        400,
        /Unsupported resource "meetings"/,
      );
      await expectApiError(bot.webhooks.create({ ...base, event: 'started' }), 400, /Unsupported event "started"/);
      await expectApiError(
        bot.webhooks.create({ ...base, resource: 'all', event: 'created' }),
        400,
        /Unsupported event/,
      );
      await expectApiError(
        bot.webhooks.create({ ...base, filter: 'colour=blue' }),
        400,
        /Unsupported filter key "colour"/,
      );
      await expectApiError(bot.webhooks.create({ ...base, filter: 'roomId' }), 400, /key=value/);
      await expectApiError(bot.webhooks.create({ ...base, filter: '__proto__=x' }), 400, /Unsupported filter key/);
      const hook = await bot.webhooks.create(base);
      await expectApiError(
        bot.webhooks.update({ id: hook.id, name: 'h', targetUrl: 'http://127.0.0.1:9/h', status: 'paused' }),
        400,
        /status must be/,
      );
      await expectApiError(
        bot.webhooks.update({ id: hook.id, targetUrl: 'http://127.0.0.1:9/h' }),
        400,
        /name is required/,
      );
    });
  });
});
