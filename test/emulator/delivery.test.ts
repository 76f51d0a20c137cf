/**
 * Webhook delivery to a real local HTTP receiver: envelope and signature, which webhooks hear
 * which events (firehose, attachmentActions, the bot mention rule, own-message echo, filters),
 * retries, timeouts, `inactive` and re-activation, and loopback-only targets.
 */
import { createHmac } from 'node:crypto';
import { expect } from 'chai';
import type { WebexSdk } from 'webex';
import { ADAPTIVE_CARD_CONTENT_TYPE, type Emulator } from '../../src/emulator/index.js';
import { createHook, EventLog, Receiver, sdkFor, startTestEmulator } from './helpers.js';

const card = {
  contentType: ADAPTIVE_CARD_CONTENT_TYPE,
  content: { type: 'AdaptiveCard', version: '1.3', body: [], actions: [{ type: 'Action.Submit', title: 'Go' }] },
};

describe('emulator webhook delivery', () => {
  let emulator: Emulator;
  let receiver: Receiver;
  let bot: WebexSdk;
  let alice: WebexSdk;
  let log: EventLog;

  beforeEach(async () => {
    emulator = await startTestEmulator({ delivery: { retryDelaysMs: [20, 20], inactiveAfterFailures: 2 } });
    log = new EventLog(emulator);
    receiver = await Receiver.start();
    [bot, alice] = await Promise.all([
      sdkFor(emulator, emulator.botToken),
      sdkFor(emulator, emulator.seed!.alice.token),
    ]);
  });
  afterEach(async () => {
    await emulator.stop();
    await receiver.close();
  });

  /** Delivery records of one webhook about one event. */
  const recordsFor = (webhookId: string, dataId: string): ReturnType<Emulator['deliveries']> =>
    emulator.deliveries().filter((d) => d.webhookId === webhookId && d.dataId === dataId);

  it('POSTs the Webex envelope with ids-only data, signed over the exact bytes sent', async () => {
    const hook = await createHook(bot, receiver.url, { name: 'bot firehose', secret: 'webhook-secret' });
    const sent = await alice.messages.create({ roomId: emulator.seed!.directRoom.id, text: 'secret words' });
    const [got] = await receiver.waitFor((r) => r.json?.data?.id === sent.id);
    const signature = got!.headers['x-spark-signature'];
    expect(signature).to.equal(createHmac('sha1', 'webhook-secret').update(got!.raw).digest('hex'));
    expect(signature).to.not.equal(createHmac('sha1', 'another-secret').update(got!.raw).digest('hex'));
    const body = got!.json!;
    expect(Object.keys(body)).to.deep.equal([
      'id',
      'name',
      'targetUrl',
      'resource',
      'event',
      'orgId',
      'createdBy',
      'appId',
      'ownedBy',
      'status',
      'created',
      'actorId',
      'data',
    ]);
    expect(body).to.include({
      id: hook.id,
      name: 'bot firehose',
      targetUrl: receiver.url,
      resource: 'messages',
      event: 'created',
      createdBy: emulator.bot.id,
      ownedBy: 'creator',
      status: 'active',
      actorId: emulator.seed!.alice.id,
    });
    expect(body.data).to.deep.equal({
      id: sent.id,
      roomId: sent.roomId,
      roomType: 'direct',
      personId: sent.personId,
      personEmail: 'alice@example.com',
      created: sent.created,
    });
    expect(got!.raw.toString('utf8')).to.not.contain('secret words');
    expect(got!.headers['content-type']).to.match(/^application\/json/);
    const [record] = recordsFor(hook.id, sent.id);
    expect(record!.body).to.equal(got!.raw.toString('utf8'));
    expect(record!.signature).to.equal(signature);
  });

  it('sends no signature when the webhook has no secret', async () => {
    await createHook(bot, receiver.url);
    const sent = await alice.messages.create({ roomId: emulator.seed!.directRoom.id, text: 'x' });
    const [got] = await receiver.waitFor((r) => r.json?.data?.id === sent.id);
    expect(got!.headers).to.not.have.property('x-spark-signature');
  });

  it('delivers card submissions to the attachmentActions webhook of the card author only, never to the firehose', async () => {
    const firehose = await createHook(bot, `${receiver.url}/all`);
    const cards = await createHook(bot, `${receiver.url}/cards`, { resource: 'attachmentActions', event: 'created' });
    const aliceCards = await createHook(alice, `${receiver.url}/alice`, {
      resource: 'attachmentActions',
      event: 'created',
    });
    const cardMessage = await bot.messages.create({
      roomId: emulator.seed!.directRoom.id,
      markdown: 'form',
      attachments: [card],
    });
    const action = await alice.attachmentActions.create({
      type: 'submit',
      messageId: cardMessage.id,
      inputs: { choice: 'a' },
    });
    const [got] = await receiver.waitFor((r) => r.url.endsWith('/cards'));
    expect(got!.json).to.include({
      id: cards.id,
      resource: 'attachmentActions',
      event: 'created',
      actorId: emulator.seed!.alice.id,
    });
    expect(got!.json!.data).to.deep.equal({
      id: action.id,
      type: 'submit',
      messageId: cardMessage.id,
      personId: emulator.seed!.alice.id,
      roomId: cardMessage.roomId,
      created: action.created,
    });
    expect(recordsFor(firehose.id, action.id)).to.deep.equal([]);
    expect(recordsFor(aliceCards.id, action.id)).to.deep.equal([]);
    expect(recordsFor(firehose.id, cardMessage.id)).to.have.length(1);
  });

  it('lets a bot hear group messages only when they mention it; people hear them all', async () => {
    const botHook = await createHook(bot, `${receiver.url}/bot`);
    const bob = await sdkFor(emulator, emulator.seed!.bob.token);
    const bobHook = await createHook(bob, `${receiver.url}/bob`);
    const group = emulator.seed!.groupRoom.id;
    const plain = await emulator.say({ personId: emulator.seed!.alice.id, roomId: group, text: 'hello all' });
    const mentioned = await emulator.say({
      personId: emulator.seed!.alice.id,
      roomId: group,
      text: 'help',
      mention: true,
    });
    const viaSdk = await alice.messages.create({
      roomId: group,
      markdown: `<@personId:${emulator.bot.id}|Skill Bot> status`,
    });
    expect(recordsFor(botHook.id, plain.id)).to.deep.equal([]);
    expect(recordsFor(botHook.id, mentioned.id)).to.have.length(1);
    expect(recordsFor(botHook.id, viaSdk.id)).to.have.length(1);
    const [got] = await receiver.waitFor((r) => r.url.endsWith('/bot') && r.json?.data?.id === mentioned.id);
    expect(got!.json!.data['mentionedPeople']).to.deep.equal([emulator.bot.id]);
    await receiver.waitFor((r) => r.url.endsWith('/bob'), 3);
    expect(recordsFor(bobHook.id, plain.id)).to.have.length(1);
    const direct = await emulator.say({
      personId: emulator.seed!.alice.id,
      roomId: emulator.seed!.directRoom.id,
      text: 'no mention needed',
    });
    expect(recordsFor(botHook.id, direct.id)).to.have.length(1);
  });

  it("echoes the bot's own messages to its webhooks, in group spaces too", async () => {
    const hook = await createHook(bot, receiver.url);
    const own = await bot.messages.create({ roomId: emulator.seed!.groupRoom.id, text: 'I said this' });
    const [got] = await receiver.waitFor((r) => r.json?.data?.id === own.id);
    expect(got!.json).to.include({ id: hook.id, resource: 'messages', event: 'created', actorId: emulator.bot.id });
    expect(got!.json!.data.personId).to.equal(emulator.bot.id);
  });

  it('reports rooms and memberships created and deleted, and messages updated and deleted, to the firehose', async () => {
    await createHook(bot, receiver.url);
    const room = emulator.createRoom({
      type: 'group',
      title: 'New',
      memberIds: [emulator.seed!.alice.id, emulator.bot.id],
    });
    // The bot was added with the space: it hears of its own membership, not of the creator's (or the room's creation).
    const [created] = await receiver.waitFor(
      (r) => r.json?.resource === 'memberships' && r.json?.event === 'created' && r.json?.data?.roomId === room.id,
    );
    expect(created!.json!.data.personId).to.equal(emulator.bot.id);
    expect(created!.json!.actorId).to.equal(emulator.seed!.alice.id);
    expect(receiver.about('rooms', 'created', room.id)).to.have.length(0);
    const botsRoom = emulator.createRoom({ type: 'group', title: 'Mine', memberIds: [emulator.bot.id] });
    await receiver.waitFor((r) => r.json?.resource === 'rooms' && r.json?.data?.id === botsRoom.id);
    const roomEvent = receiver.about('rooms', 'created', botsRoom.id)[0]!.json!;
    expect(roomEvent.actorId).to.equal(emulator.bot.id);
    expect(roomEvent.data).to.include({ id: botsRoom.id, type: 'group', creatorId: emulator.bot.id });
    expect(roomEvent.data).to.not.have.property('title');

    const bobAdded = await alice.memberships.create({ roomId: room.id, personId: emulator.seed!.bob.id });
    await receiver.waitFor((r) => r.json?.resource === 'memberships' && r.json?.data?.id === bobAdded.id);
    const botMembership = (await alice.memberships.list({ roomId: room.id, personId: emulator.bot.id })).items[0];
    await alice.memberships.remove(botMembership);
    const [left] = await receiver.waitFor((r) => r.json?.resource === 'memberships' && r.json?.event === 'deleted');
    expect(left!.json!.data).to.include({ id: botMembership.id, personId: emulator.bot.id, roomId: room.id });

    const m = await bot.messages.create({ roomId: emulator.seed!.directRoom.id, text: 'v1' });
    await bot.request({
      method: 'PUT',
      uri: `${emulator.apiUrl}/messages/${m.id}`,
      body: { roomId: m.roomId, text: 'v2' },
    });
    await bot.messages.remove(m.id);
    await receiver.waitFor(
      (r) => r.json?.resource === 'messages' && r.json?.event === 'updated' && r.json?.data?.id === m.id,
    );
    await receiver.waitFor(
      (r) => r.json?.resource === 'messages' && r.json?.event === 'deleted' && r.json?.data?.id === m.id,
    );
  });

  it('applies filters, joined by &: roomId, personEmail, roomType, mentionedPeople=me', async () => {
    const direct = emulator.seed!.directRoom.id;
    const group = emulator.seed!.groupRoom.id;
    const byRoom = await createHook(bot, receiver.url, {
      resource: 'messages',
      event: 'created',
      filter: `roomId=${direct}`,
    });
    const byPersonAndType = await createHook(bot, receiver.url, {
      resource: 'messages',
      event: 'created',
      filter: 'personEmail=alice%40example.com&roomType=group',
    });
    const mentionsAlice = await createHook(await sdkFor(emulator, emulator.seed!.bob.token), receiver.url, {
      resource: 'messages',
      event: 'created',
      filter: `mentionedPeople=${emulator.seed!.alice.id}`,
    });
    const aliceMentionsMe = await createHook(alice, receiver.url, {
      resource: 'messages',
      event: 'created',
      filter: 'mentionedPeople=me',
    });
    const inDirect = await emulator.say({ personId: emulator.seed!.alice.id, roomId: direct, text: 'direct' });
    const aliceInGroup = await emulator.say({
      personId: emulator.seed!.alice.id,
      roomId: group,
      text: 'group',
      mention: true,
    });
    const bobMentionsAlice = await bot.messages.create({
      roomId: group,
      markdown: '<@personEmail:alice@example.com|Alice> hi',
    });
    const hooksOf = (id: string): string[] =>
      emulator
        .deliveries()
        .filter((d) => d.dataId === id)
        .map((d) => d.webhookId);
    expect(hooksOf(inDirect.id)).to.have.members([byRoom.id]);
    expect(hooksOf(aliceInGroup.id)).to.have.members([byPersonAndType.id]);
    expect(hooksOf(bobMentionsAlice.id)).to.have.members([mentionsAlice.id, aliceMentionsMe.id]);
  });

  it('retries a failing delivery, then marks the webhook inactive after consecutive failed events; PUT status active re-enables it', async () => {
    receiver.answer = () => ({ status: 500 });
    const hook = await createHook(bot, receiver.url, { secret: 'k' });
    const inactive = log.waitFor('webhook', (e) => e.change === 'inactive' && e.webhook.id === hook.id);
    const first = await alice.messages.create({ roomId: emulator.seed!.directRoom.id, text: 'one' });
    const attempts = await receiver.waitFor((r) => r.json?.data?.id === first.id, 3);
    expect(new Set(attempts.map((a) => a.raw.toString('hex'))).size).to.equal(1);
    expect(new Set(attempts.map((a) => a.headers['x-spark-signature'])).size).to.equal(1);
    expect((await bot.webhooks.get(hook.id)).status).to.equal('active');
    await alice.messages.create({ roomId: emulator.seed!.directRoom.id, text: 'two' });
    await inactive;
    const [record] = recordsFor(hook.id, first.id);
    expect(record).to.include({ state: 'failed', reason: 'HTTP 500' });
    expect(record!.attempts.map((a) => a.status)).to.deep.equal([500, 500, 500]);
    expect((await bot.webhooks.get(hook.id)).status).to.equal('inactive');

    const whileInactive = await alice.messages.create({ roomId: emulator.seed!.directRoom.id, text: 'unheard' });
    expect(recordsFor(hook.id, whileInactive.id)).to.deep.equal([]);

    receiver.answer = () => ({ status: 200 });
    await bot.webhooks.update({ id: hook.id, name: 'test hook', targetUrl: receiver.url, status: 'active' });
    const after = await alice.messages.create({ roomId: emulator.seed!.directRoom.id, text: 'heard again' });
    await receiver.waitFor((r) => r.json?.data?.id === after.id);
    const delivered = await log.waitFor('delivery', (e) => e.dataId === after.id && e.state === 'delivered');
    expect(delivered).to.include({ webhookId: hook.id, attempt: 1, status: 200 });
  });

  it('counts a delivery that succeeds on retry as delivered, and a timeout as a failed attempt', async () => {
    // A short delivery timeout for the hung answer (the others wait 10 s: an answer that comes at once never times out).
    await emulator.stop();
    emulator = await startTestEmulator({ delivery: { timeoutMs: 2000, retryDelaysMs: [20, 20] } });
    log = new EventLog(emulator);
    [bot, alice] = await Promise.all([
      sdkFor(emulator, emulator.botToken),
      sdkFor(emulator, emulator.seed!.alice.token),
    ]);
    let calls = 0;
    receiver.answer = () => (++calls === 1 ? { hang: true } : { status: 204 });
    const hook = await createHook(bot, receiver.url);
    const sent = await alice.messages.create({ roomId: emulator.seed!.directRoom.id, text: 'slow receiver' });
    const done = await log.waitFor('delivery', (e) => e.dataId === sent.id && e.state !== 'pending');
    expect(done.state).to.equal('delivered');
    const [record] = recordsFor(hook.id, sent.id);
    expect(record!.attempts.map((a) => a.error ?? a.status)).to.deep.equal(['timeout after 2000 ms', 204]);
  });

  it('never connects to a non-loopback target: the delivery fails at once with the reason', async () => {
    const hook = await createHook(bot, 'http://example.com/webhook');
    const sent = await alice.messages.create({ roomId: emulator.seed!.directRoom.id, text: 'x' });
    const done = await log.waitFor('delivery', (e) => e.dataId === sent.id);
    expect(done.state).to.equal('failed');
    const [record] = recordsFor(hook.id, sent.id);
    expect(record!.attempts).to.have.length(1);
    expect(record!.reason).to.match(/host example\.com is not loopback/);
  });

  it('delivers to a localhost target', async () => {
    const port = new URL(receiver.url).port;
    const local = await createHook(bot, `http://localhost:${port}/webhook`);
    const sent = await alice.messages.create({ roomId: emulator.seed!.directRoom.id, text: 'x' });
    await receiver.waitFor((r) => r.json?.id === local.id);
    expect(sent.id).to.be.a('string');
  });

  it('cancels pending retries when the emulator stops', async () => {
    await emulator.stop();
    emulator = await startTestEmulator({ delivery: { timeoutMs: 300, retryDelaysMs: [60_000] } });
    log = new EventLog(emulator);
    bot = await sdkFor(emulator, emulator.botToken);
    receiver.answer = () => ({ status: 503 });
    const hook = await createHook(bot, receiver.url);
    const sent = await emulator.say({
      personId: emulator.seed!.alice.id,
      roomId: emulator.seed!.directRoom.id,
      text: 'x',
    });
    await log.waitFor('delivery', (e) => e.dataId === sent.id && e.attempt === 1);
    await emulator.stop();
    const [record] = recordsFor(hook.id, sent.id);
    expect(record).to.include({ state: 'cancelled', reason: 'emulator stopped' });
    expect(record!.attempts).to.have.length(1);
  });
});
