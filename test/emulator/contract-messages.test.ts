/**
 * Contract: `/v1/messages` through the real SDK — shapes, mentions, listing, edit and delete,
 * and a 400 for each of Webex's content rules.
 */
import { expect } from 'chai';
import type { WebexSdk } from 'webex';
import {
  ADAPTIVE_CARD_CONTENT_TYPE,
  decodeId,
  MAX_MESSAGE_BYTES,
  mintId,
  type Emulator,
} from '../../src/emulator/index.js';
import { expectApiError, sdkFor, startTestEmulator } from './helpers.js';

const card = (version = '1.3'): Record<string, unknown> => ({
  contentType: ADAPTIVE_CARD_CONTENT_TYPE,
  content: {
    type: 'AdaptiveCard',
    version,
    body: [{ type: 'TextBlock', text: 'Hi' }],
    actions: [{ type: 'Action.Submit', title: 'OK' }],
  },
});

describe('emulator contract: messages', () => {
  let emulator: Emulator;
  let bot: WebexSdk;
  let alice: WebexSdk;
  let bob: WebexSdk;
  let direct: string;
  let group: string;

  before(async () => {
    emulator = await startTestEmulator();
    [bot, alice, bob] = await Promise.all([
      sdkFor(emulator, emulator.botToken),
      sdkFor(emulator, emulator.seed!.alice.token),
      sdkFor(emulator, emulator.seed!.bob.token),
    ]);
    direct = emulator.seed!.directRoom.id;
    group = emulator.seed!.groupRoom.id;
  });
  after(async () => {
    await emulator.stop();
  });

  it('posts a text message and reads it back in Webex shape', async () => {
    const sent = await alice.messages.create({ roomId: direct, text: 'hello bot' });
    expect(decodeId(sent.id)?.type).to.equal('MESSAGE');
    expect(sent).to.include({
      roomId: direct,
      roomType: 'direct',
      text: 'hello bot',
      personId: emulator.seed!.alice.id,
      personEmail: 'alice@example.com',
    });
    expect(sent).to.not.have.any.keys('markdown', 'html', 'mentionedPeople', 'parentId');
    expect(new Date(sent.created).toISOString()).to.equal(sent.created);
    expect(await bot.messages.get(sent.id)).to.deep.equal(sent);
  });

  it('turns a <@personId:ID|Label> markdown mention into text, <spark-mention> html and mentionedPeople', async () => {
    const sent = await alice.messages.create({
      roomId: group,
      markdown: `<@personId:${emulator.bot.id}|Skill Bot> **help** me`,
    });
    expect(sent.text).to.equal('Skill Bot **help** me');
    expect(sent.markdown).to.equal(`<@personId:${emulator.bot.id}|Skill Bot> **help** me`);
    expect(sent.html).to.equal(
      `<p><spark-mention data-object-type="person" data-object-id="${emulator.bot.id}">Skill Bot</spark-mention> <strong>help</strong> me</p>`,
    );
    expect(sent.mentionedPeople).to.deep.equal([emulator.bot.id]);
  });

  it('resolves <@personEmail:EMAIL|Label> mentions too', async () => {
    const sent = await alice.messages.create({ roomId: group, markdown: '<@personEmail:bob@example.com|Bob> look' });
    expect(sent.text).to.equal('Bob look');
    expect(sent.mentionedPeople).to.deep.equal([emulator.seed!.bob.id]);
    expect(sent.html).to.contain(`data-object-id="${emulator.seed!.bob.id}">Bob</spark-mention>`);
  });

  it('sends to a person by toPersonEmail or toPersonId through one direct space', async () => {
    const first = await bot.messages.create({ toPersonEmail: 'bob@example.com', text: 'hi Bob' });
    const second = await bot.messages.create({ toPersonId: emulator.seed!.bob.id, text: 'again' });
    expect(first.roomType).to.equal('direct');
    expect(second.roomId).to.equal(first.roomId);
    expect((await bob.rooms.get(first.roomId)).title).to.equal('Skill Bot');
    await expectApiError(bot.messages.create({ toPersonEmail: 'nobody@example.com', text: 'x' }), 404);
  });

  it('lists a space newest first, pages, and honours before, beforeMessage and parentId', async () => {
    const room = await alice.rooms.create({ title: 'Listing' });
    const ids: string[] = [];
    for (const text of ['one', 'two', 'three', 'four'])
      ids.push((await alice.messages.create({ roomId: room.id, text })).id);
    const reply = await alice.messages.create({ roomId: room.id, text: 'reply', parentId: ids[0] });
    const all = await alice.messages.list({ roomId: room.id });
    expect(all.items.map((m: { text: string }) => m.text)).to.deep.equal(['reply', 'four', 'three', 'two', 'one']);
    const p1 = await alice.messages.list({ roomId: room.id, max: 2 });
    const p2 = await p1.next();
    const p3 = await p2.next();
    expect([...p1.items, ...p2.items, ...p3.items].map((m: { text: string }) => m.text)).to.deep.equal([
      'reply',
      'four',
      'three',
      'two',
      'one',
    ]);
    expect(p3.hasNext()).to.equal(false);
    const before = await alice.messages.list({ roomId: room.id, beforeMessage: ids[2] });
    expect(before.items.map((m: { text: string }) => m.text)).to.deep.equal(['two', 'one']);
    const third = await alice.messages.get(ids[2]!);
    const beforeTime = await alice.messages.list({ roomId: room.id, before: third.created });
    expect(beforeTime.items.map((m: { text: string }) => m.text)).to.deep.equal(['two', 'one']);
    const thread = await alice.messages.list({ roomId: room.id, parentId: ids[0] });
    expect(thread.items.map((m: { id: string }) => m.id)).to.deep.equal([reply.id]);
    await expectApiError(alice.messages.list({}), 400, /roomId is required/);
  });

  it('lets a bot list and read group messages only when they mention it (or are its own)', async () => {
    const quiet = await alice.messages.create({ roomId: group, text: 'not for the bot' });
    const mention = await alice.messages.create({
      roomId: group,
      markdown: `<@personId:${emulator.bot.id}|Skill Bot> ping`,
    });
    const own = await bot.messages.create({ roomId: group, text: 'bot speaking' });
    await expectApiError(bot.messages.list({ roomId: group }), 403, /mentionedPeople=me/);
    const mentioned = await bot.messages.list({ roomId: group, mentionedPeople: 'me' });
    const ids = mentioned.items.map((m: { id: string }) => m.id);
    expect(ids).to.include(mention.id);
    expect(ids).to.not.include(quiet.id);
    await expectApiError(bot.messages.get(quiet.id), 404);
    expect((await bot.messages.get(own.id)).text).to.equal('bot speaking');
    expect((await bob.messages.get(quiet.id)).text).to.equal('not for the bot');
    await expectApiError(
      alice.messages.list({ roomId: group, mentionedPeople: emulator.seed!.bob.id }),
      400,
      /mentionedPeople/,
    );
  });

  it('answers 404 to posting into, listing or reading a space the caller is not in', async () => {
    await expectApiError(bob.messages.create({ roomId: direct, text: 'intruder' }), 404);
    await expectApiError(bob.messages.list({ roomId: direct }), 404);
    const m = await alice.messages.create({ roomId: direct, text: 'private' });
    await expectApiError(bob.messages.get(m.id), 404);
    await expectApiError(bot.messages.get(mintId('MESSAGE')), 404);
  });

  describe('rules (400 each, with a message naming the rule)', () => {
    it(`accepts ${MAX_MESSAGE_BYTES} bytes of text and refuses one byte more, counting UTF-8 bytes`, async () => {
      const ok = await alice.messages.create({ roomId: direct, text: 'a'.repeat(MAX_MESSAGE_BYTES) });
      expect(ok.text).to.have.length(MAX_MESSAGE_BYTES);
      await expectApiError(
        alice.messages.create({ roomId: direct, text: 'a'.repeat(MAX_MESSAGE_BYTES + 1) }),
        400,
        /text is 7440 bytes long.*at most 7439 bytes/,
      );
      // 3720 two-byte characters: under the limit in characters, over it in bytes.
      await expectApiError(alice.messages.create({ roomId: direct, text: 'é'.repeat(3720) }), 400, /7440 bytes/);
    });

    it('refuses markdown and html over the limit', async () => {
      await expectApiError(
        alice.messages.create({ roomId: direct, markdown: '*'.repeat(MAX_MESSAGE_BYTES + 1) }),
        400,
        /markdown is 7440 bytes/,
      );
      await expectApiError(
        alice.messages.create({ roomId: direct, text: 'x', html: '<p>'.repeat(2480) }),
        400,
        /html is 7440 bytes/,
      );
    });

    it('accepts one Adaptive Card attachment and refuses two', async () => {
      const sent = await bot.messages.create({ roomId: direct, markdown: 'fallback', attachments: [card()] });
      expect(sent.attachments).to.deep.equal([card()]);
      await expectApiError(
        bot.messages.create({ roomId: direct, text: 'x', attachments: [card(), card()] }),
        400,
        /Only one attachment/,
      );
    });

    it('refuses attachments that are not Adaptive Cards with type and version', async () => {
      await expectApiError(
        bot.messages.create({ roomId: direct, text: 'x', attachments: [{ contentType: 'text/plain', content: {} }] }),
        400,
        /Unsupported attachment contentType "text\/plain"/,
      );
      await expectApiError(
        bot.messages.create({
          roomId: direct,
          text: 'x',
          attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: { type: 'Card', version: '1.3' } }],
        }),
        400,
        /"type": "AdaptiveCard"/,
      );
      await expectApiError(
        bot.messages.create({
          roomId: direct,
          text: 'x',
          attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: { type: 'AdaptiveCard' } }],
        }),
        400,
        /"version"/,
      );
      await expectApiError(
        bot.messages.create({ roomId: direct, text: 'x', attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE }] }),
        400,
        /Adaptive Card object/,
      );
      await expectApiError(
        bot.messages.create({ roomId: direct, text: 'x', attachments: card() }),
        400,
        /attachments must be an array/,
      );
    });

    it('requires parentId to be a thread root in the same space', async () => {
      const root = await alice.messages.create({ roomId: direct, text: 'root' });
      const reply = await bot.messages.create({ roomId: direct, text: 'reply', parentId: root.id });
      expect(reply.parentId).to.equal(root.id);
      await expectApiError(
        bot.messages.create({ roomId: direct, text: 'nested', parentId: reply.id }),
        400,
        /thread root/,
      );
      const elsewhere = await alice.messages.create({ roomId: group, text: 'elsewhere' });
      await expectApiError(
        bot.messages.create({ roomId: direct, text: 'x', parentId: elsewhere.id }),
        400,
        /same space/,
      );
      await expectApiError(
        bot.messages.create({ roomId: direct, text: 'x', parentId: mintId('MESSAGE') }),
        400,
        /same space/,
      );
    });

    it('requires content, exactly one destination, and no files as URLs', async () => {
      await expectApiError(
        alice.messages.create({ roomId: direct }),
        400,
        /needs text, markdown, a file or an attachment/,
      );
      await expectApiError(
        alice.messages.create({ text: 'nowhere' }),
        400,
        /Exactly one of roomId, toPersonId or toPersonEmail/,
      );
      await expectApiError(
        alice.messages.create({ roomId: direct, toPersonId: emulator.bot.id, text: 'x' }),
        400,
        /Exactly one/,
      );
      await expectApiError(
        alice.messages.create({ roomId: direct, text: 'x', files: ['http://example.com/a.png'] }),
        400,
        /files as URLs are not supported/,
      );
      await expectApiError(alice.messages.create({ roomId: direct, text: 42 }), 400, /text must be a string/);
      await expectApiError(alice.messages.create({ toPersonId: emulator.seed!.alice.id, text: 'me' }), 400, /yourself/);
    });
  });

  describe('edit (PUT /v1/messages/{id}) and delete', () => {
    const put = (
      webex: WebexSdk,
      id: string,
      body: Record<string, unknown>,
    ): Promise<{ body: Record<string, unknown> }> =>
      webex.request({ method: 'PUT', uri: `${emulator.apiUrl}/messages/${id}`, body }) as Promise<{
        body: Record<string, unknown>;
      }>;

    it("edits the author's own message and marks it updated", async () => {
      const m = await alice.messages.create({ roomId: direct, text: 'typo' });
      const res = await put(alice, m.id, { roomId: direct, markdown: 'fixed **now**' });
      expect(res.body).to.include({ id: m.id, text: 'fixed **now**', markdown: 'fixed **now**', created: m.created });
      expect(String(res.body['updated']) > m.created).to.equal(true);
      expect((await bot.messages.get(m.id)).text).to.equal('fixed **now**');
    });

    it('refuses to edit a card message, another person’s message, or without roomId', async () => {
      const cardMessage = await bot.messages.create({ roomId: direct, markdown: 'card', attachments: [card()] });
      // Webex: editing a message with files or attachments is a 400 "feature currently unsupported".
      await expectApiError(
        put(bot, cardMessage.id, { roomId: direct, text: 'edited' }),
        400,
        /attachments .*currently unsupported/,
      );
      expect((await bot.messages.get(cardMessage.id)).text).to.equal('card');
      const m = await alice.messages.create({ roomId: direct, text: 'mine' });
      await expectApiError(put(bot, m.id, { roomId: direct, text: 'hijack' }), 403, /author/);
      await expectApiError(put(alice, m.id, { text: 'no room' }), 400, /roomId is required/);
      await expectApiError(
        put(alice, m.id, { roomId: direct, text: 'x'.repeat(MAX_MESSAGE_BYTES + 1) }),
        400,
        /at most 7439 bytes/,
      );
    });

    it('allows 10 edits of a message; the 11th is a 400 saying the edit limit has been reached', async () => {
      const m = await alice.messages.create({ roomId: direct, text: 'edit 0' });
      for (let n = 1; n <= 10; n++) {
        const res = await put(alice, m.id, { roomId: direct, text: `edit ${n}` });
        expect(res.body['text']).to.equal(`edit ${n}`);
      }
      await expectApiError(put(alice, m.id, { roomId: direct, text: 'edit 11' }), 400, /edit limit has been reached/);
      expect((await alice.messages.get(m.id)).text).to.equal('edit 10');
      // A refused edit (bad input) does not use up an edit.
      const other = await alice.messages.create({ roomId: direct, text: 'other' });
      await expectApiError(put(alice, other.id, { text: 'no room' }), 400, /roomId is required/);
      for (let n = 1; n <= 10; n++) await put(alice, other.id, { roomId: direct, text: `other ${n}` });
      await expectApiError(put(alice, other.id, { roomId: direct, text: 'one more' }), 400, /edit limit/);
    });

    it("deletes the author's own message only", async () => {
      const m = await alice.messages.create({ roomId: direct, text: 'to delete' });
      await expectApiError(bot.messages.remove(m.id), 403, /own messages/);
      await alice.messages.remove(m.id);
      await expectApiError(alice.messages.get(m.id), 404);
      expect(emulator.transcript(direct).map((x) => x.id)).to.not.include(m.id);
    });
  });
});
