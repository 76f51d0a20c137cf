/**
 * The in-process API that tests and the playground use: options and seed, people and spaces,
 * say / submitCard, transcripts, message subscriptions and waits, start-up errors and stop.
 */
import { expect } from 'chai';
import {
  ApiError,
  isRealFormatToken,
  startEmulator,
  type Emulator,
  type EmulatorEvent,
  type Message,
} from '../../src/emulator/index.js';
import { freePort } from '../e2e/support/processes.js';
import { createHook, EventLog, Receiver, sdkFor, startTestEmulator } from './helpers.js';

const card = {
  contentType: 'application/vnd.microsoft.card.adaptive',
  content: { type: 'AdaptiveCard', version: '1.3', body: [] },
};

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

describe('emulator in-process API', () => {
  describe('start-up', () => {
    it('seeds the bot, Alice, Bob, a direct space and a group space by default', async () => {
      const emulator = await startEmulator();
      try {
        const { alice, bob, directRoom, groupRoom } = emulator.seed!;
        expect(emulator.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
        expect(emulator.apiUrl).to.equal(`${emulator.url}/v1`);
        expect(emulator.bot).to.include({ displayName: 'Skill Bot', type: 'bot' });
        expect(emulator.bot.emails).to.deep.equal(['skill-bot@webex.bot']);
        expect(emulator.bot).to.not.have.property('token');
        expect(isRealFormatToken(emulator.botToken)).to.equal(true);
        expect([alice.displayName, alice.emails[0], bob.displayName, bob.emails[0]]).to.deep.equal([
          'Alice Example',
          'alice@example.com',
          'Bob Example',
          'bob@example.com',
        ]);
        expect(isRealFormatToken(alice.token)).to.equal(true);
        expect(directRoom).to.include({ type: 'direct', title: 'Alice Example' });
        expect(groupRoom).to.include({ type: 'group', title: 'Team Space' });
        const rooms = emulator.state().rooms;
        expect(rooms.find((r) => r.id === directRoom.id)!.memberIds).to.deep.equal([alice.id, emulator.bot.id]);
        expect(rooms.find((r) => r.id === groupRoom.id)!.memberIds).to.deep.equal([alice.id, bob.id, emulator.bot.id]);
      } finally {
        await emulator.stop();
      }
    });

    it('takes the bot token, name and email, a fixed port, and seed: false', async () => {
      const port = await freePort();
      const emulator = await startEmulator({
        port,
        botToken: 'my-own-token',
        botName: 'Helper',
        botEmail: 'helper@webex.bot',
        seed: false,
      });
      try {
        expect(emulator.url).to.equal(`http://127.0.0.1:${port}`);
        expect(emulator.seed).to.equal(undefined);
        expect(emulator.state()).to.deep.include({ people: [emulator.bot], rooms: [] });
        const res = await fetch(`${emulator.apiUrl}/people/me`, { headers: { Authorization: 'Bearer my-own-token' } });
        expect(((await res.json()) as { displayName: string }).displayName).to.equal('Helper');
      } finally {
        await emulator.stop();
      }
    });

    it('rejects a port in use, and bad options', async () => {
      const emulator = await startEmulator({ seed: false });
      try {
        const port = Number(new URL(emulator.url).port);
        const err = (await rejection(startEmulator({ port }))) as NodeJS.ErrnoException;
        expect(err.code).to.equal('EADDRINUSE');
      } finally {
        await emulator.stop();
      }
      expect((await rejection(startEmulator({ port: 70000 }))).message).to.match(/port must be an integer/);
      expect((await rejection(startEmulator({ delivery: { retryDelaysMs: [-1] } }))).message).to.match(/retryDelaysMs/);
      expect((await rejection(startEmulator({ delivery: { inactiveAfterFailures: 0 } }))).message).to.match(
        /inactiveAfterFailures/,
      );
    });

    it('stops idempotently', async () => {
      const emulator = await startEmulator();
      await Promise.all([emulator.stop(), emulator.stop()]);
      await emulator.stop();
      const err = await rejection(fetch(`${emulator.apiUrl}/people/me`));
      expect(err).to.be.instanceOf(TypeError);
    });
  });

  describe('with a running emulator', () => {
    let emulator: Emulator;
    let log: EventLog;

    beforeEach(async () => {
      emulator = await startTestEmulator();
      log = new EventLog(emulator);
    });
    afterEach(async () => {
      await emulator.stop();
    });

    it('creates people whose token works on the REST API, and refuses duplicates and bad input', async () => {
      const carol = emulator.createPerson({ displayName: 'Carol Example', email: 'Carol@Example.com' });
      expect(carol).to.include({ displayName: 'Carol Example', type: 'person', firstName: 'Carol' });
      expect(carol.emails).to.deep.equal(['carol@example.com']);
      const webex = await sdkFor(emulator, carol.token);
      expect((await webex.people.get('me')).id).to.equal(carol.id);
      const other = emulator.createPerson({ displayName: 'Other Bot', email: 'other@webex.bot', type: 'bot' });
      expect(other.type).to.equal('bot');
      expect(() => emulator.createPerson({ displayName: 'Again', email: 'carol@example.com' })).to.throw(
        ApiError,
        /already exists/,
      );
      expect(() => emulator.createPerson({ displayName: '', email: 'x@example.com' })).to.throw(
        ApiError,
        /displayName is required/,
      );
      expect(() => emulator.createPerson({ displayName: 'X', email: 'not-an-email' })).to.throw(ApiError, /email/);
      expect(emulator.state().people.map((p) => p.id)).to.include(carol.id);
      expect(emulator.state().people.every((p) => !('token' in p))).to.equal(true);
    });

    it('creates spaces and reports them and their memberships as events', async () => {
      const carol = emulator.createPerson({ displayName: 'Carol Example', email: 'carol@example.com' });
      const direct = emulator.createRoom({ type: 'direct', memberIds: [carol.id, emulator.bot.id] });
      expect(direct).to.include({ type: 'direct', title: 'Carol Example' });
      const created = await log.waitFor('room-created', (e) => e.room.id === direct.id);
      expect(created.room.memberIds).to.deep.equal([carol.id, emulator.bot.id]);
      await log.waitFor(
        'membership-created',
        (e) => e.membership.roomId === direct.id && e.membership.personId === emulator.bot.id,
      );
      const group = emulator.createRoom({ type: 'group', title: 'Ops', memberIds: [carol.id, emulator.seed!.bob.id] });
      expect(group).to.include({ type: 'group', title: 'Ops', creatorId: carol.id });
      expect(() => emulator.createRoom({ type: 'direct', memberIds: [carol.id, emulator.bot.id] })).to.throw(
        ApiError,
        /already exists/,
      );
      expect(() => emulator.createRoom({ type: 'direct', memberIds: [carol.id] })).to.throw(ApiError, /exactly two/);
      expect(() => emulator.createRoom({ type: 'group', memberIds: ['nobody'] })).to.throw(ApiError, /No person/);
    });

    it('says text as a person, with or without a mention of the bot, and in threads', async () => {
      const { alice, groupRoom } = emulator.seed!;
      const plain = await emulator.say({ personId: alice.id, roomId: groupRoom.id, text: 'hello' });
      expect(plain).to.include({ text: 'hello', personId: alice.id, roomType: 'group' });
      expect(plain).to.not.have.property('mentionedPeople');
      const mentioned = await emulator.say({
        personId: alice.id,
        roomId: groupRoom.id,
        text: 'echo {"a": 1}',
        mention: true,
      });
      expect(mentioned.text).to.equal('Skill Bot echo {"a": 1}');
      expect(mentioned.mentionedPeople).to.deep.equal([emulator.bot.id]);
      expect(mentioned.html).to.contain(
        `<spark-mention data-object-type="person" data-object-id="${emulator.bot.id}">Skill Bot</spark-mention>`,
      );
      const md = await emulator.say({
        personId: alice.id,
        roomId: groupRoom.id,
        markdown: '**help**',
        mention: true,
        parentId: plain.id,
      });
      expect(md).to.include({ text: 'Skill Bot **help**', parentId: plain.id });
      expect(md.html).to.contain('<strong>help</strong>');
      expect(emulator.transcript(groupRoom.id).map((m) => m.id)).to.deep.equal([plain.id, mentioned.id, md.id]);
    });

    it('enforces the same rules as the REST API', async () => {
      const { alice, bob, directRoom } = emulator.seed!;
      const tooLong = await rejection(
        emulator.say({ personId: alice.id, roomId: directRoom.id, text: 'x'.repeat(7440) }),
      );
      expect(tooLong).to.be.instanceOf(ApiError).and.include({ statusCode: 400 });
      const notMember = await rejection(emulator.say({ personId: bob.id, roomId: directRoom.id, text: 'hi' }));
      expect(notMember).to.include({ statusCode: 404 });
      const unknown = await rejection(emulator.say({ personId: 'nobody', roomId: directRoom.id, text: 'hi' }));
      expect(unknown).to.include({ statusCode: 404 });
      expect(() => emulator.transcript('nowhere')).to.throw(ApiError);
    });

    it('returns from say once the message is stored and its deliveries have started', async () => {
      const receiver = await Receiver.start();
      try {
        const webex = await sdkFor(emulator, emulator.botToken);
        const hook = await createHook(webex, receiver.url);
        const m = await emulator.say({
          personId: emulator.seed!.alice.id,
          roomId: emulator.seed!.directRoom.id,
          text: 'hi',
        });
        expect(emulator.transcript(emulator.seed!.directRoom.id).map((x) => x.id)).to.deep.equal([m.id]);
        expect(
          emulator
            .deliveries()
            .filter((d) => d.dataId === m.id)
            .map((d) => d.webhookId),
        ).to.deep.equal([hook.id]);
        await receiver.waitFor((r) => r.json?.data?.id === m.id);
      } finally {
        await receiver.close();
      }
    });

    it('submits a card as a person', async () => {
      const { alice, directRoom } = emulator.seed!;
      const webex = await sdkFor(emulator, emulator.botToken);
      const cardMessage = await webex.messages.create({ roomId: directRoom.id, markdown: 'card', attachments: [card] });
      const action = await emulator.submitCard({
        personId: alice.id,
        messageId: cardMessage.id,
        inputs: { text: 'typed' },
      });
      expect(action).to.deep.include({
        type: 'submit',
        messageId: cardMessage.id,
        personId: alice.id,
        roomId: directRoom.id,
        inputs: { text: 'typed' },
      });
      expect((await webex.attachmentActions.get(action.id)).inputs).to.deep.equal({ text: 'typed' });
      const event = await log.waitFor('attachment-action');
      expect(event.action.id).to.equal(action.id);
      const plain = await emulator.say({ personId: alice.id, roomId: directRoom.id, text: 'no card' });
      expect(await rejection(emulator.submitCard({ personId: alice.id, messageId: plain.id, inputs: {} }))).to.include({
        statusCode: 400,
      });
    });

    it('tells listeners about every new message, from any author, until unsubscribed', async () => {
      const seen: Message[] = [];
      const off = emulator.onMessage((m) => seen.push(m));
      const webex = await sdkFor(emulator, emulator.botToken);
      const fromBot = await webex.messages.create({ roomId: emulator.seed!.directRoom.id, text: 'from the bot' });
      const fromAlice = await emulator.say({
        personId: emulator.seed!.alice.id,
        roomId: emulator.seed!.directRoom.id,
        text: 'from Alice',
      });
      off();
      await emulator.say({ personId: emulator.seed!.alice.id, roomId: emulator.seed!.directRoom.id, text: 'unseen' });
      expect(seen.map((m) => m.id)).to.deep.equal([fromBot.id, fromAlice.id]);
      const kinds = new Set(log.events.map((e: EmulatorEvent) => e.kind));
      expect([...kinds]).to.include.members(['message', 'api-call']);
    });

    it('waits for the first new matching message, ignoring earlier ones', async () => {
      const { alice, directRoom, groupRoom } = emulator.seed!;
      await emulator.say({ personId: alice.id, roomId: directRoom.id, text: 'before the wait' });
      const webex = await sdkFor(emulator, emulator.botToken);
      const waiting = emulator.waitForMessage({
        roomId: directRoom.id,
        personId: emulator.bot.id,
        predicate: (m) => m.text !== 'skip me',
      });
      await webex.messages.create({ roomId: groupRoom.id, text: 'other space' });
      await emulator.say({ personId: alice.id, roomId: directRoom.id, text: 'other person' });
      await webex.messages.create({ roomId: directRoom.id, text: 'skip me' });
      const wanted = await webex.messages.create({ roomId: directRoom.id, text: 'the reply' });
      expect((await waiting).id).to.equal(wanted.id);
      const threaded = emulator.waitForMessage({ parentId: wanted.id });
      const reply = await emulator.say({
        personId: alice.id,
        roomId: directRoom.id,
        text: 'in thread',
        parentId: wanted.id,
      });
      expect((await threaded).id).to.equal(reply.id);
    });

    it('rejects a wait that times out, or that is pending when the emulator stops', async () => {
      const timedOut = await rejection(
        emulator.waitForMessage({ roomId: emulator.seed!.directRoom.id, timeoutMs: 30 }),
      );
      expect(timedOut.message).to.match(/no message matching roomId=.* within 30 ms/);
      const pending = emulator.waitForMessage({ personId: emulator.bot.id });
      await emulator.stop();
      expect((await rejection(pending)).message).to.match(/stopped/);
    });

    it('lists every webhook with its status', async () => {
      const webex = await sdkFor(emulator, emulator.botToken);
      const hook = await createHook(webex, 'http://127.0.0.1:9/x', { secret: 's' });
      expect(emulator.webhooks().map((w) => [w.id, w.status, w.createdBy])).to.deep.equal([
        [hook.id, 'active', emulator.bot.id],
      ]);
    });
  });
});
