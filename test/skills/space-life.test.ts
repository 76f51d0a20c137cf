/**
 * Skills and the life of a space, through the emulator (fixture skills in
 * test/fixtures/skills/space-life): the bot added to a new space (its handlers run once, one that
 * throws is logged with the event id and the others still run), people joining and leaving, the
 * bot removed (the space's state forgotten); members listed page by page; a message edited past
 * Webex's limit (reposted, never an error); a card replaced by text; files sent three ways.
 */
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestBot, type Conversation, type TestBot } from '../../src/testing/test-bot.js';
import { capturedLog, type LogLine } from '../e2e/support/captured-log.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const skillsDir = path.join(here, '../fixtures/skills/space-life');

describe('skills and the life of a space (lifecycle, members, edits, files)', () => {
  let t: TestBot;
  let lines: LogLine[];
  before(async () => {
    const captured = capturedLog('info');
    lines = captured.lines;
    // No card templates: the fixture skills send ready-made cards only.
    const cardsDir = mkdtempSync(path.join(tmpdir(), 'space-life-cards-'));
    t = await startTestBot({ skillsDir, cardsDir, log: captured.log });
  });
  after(() => t.stop());

  const events = async (): Promise<string[]> => (await t.state('recorder').skill.get<string[]>('events')) ?? [];
  const botSaid = (c: Conversation): string[] =>
    c
      .transcript()
      .filter((m) => m.personId === t.emulator.bot.id)
      .map((m) => m.text ?? '');

  describe('the bot added to a new space', () => {
    let team: Conversation;
    before(async () => {
      const greeting = t.emulator.waitForMessage({ personId: t.emulator.bot.id });
      team = await t.addBotToNewSpace({ title: 'Launch', others: ['bob'] });
      expect((await greeting).roomId).to.equal(team.roomId);
      await t.settled();
    });

    it("runs every skill's botAdded once, with the space and who added it", async () => {
      expect(botSaid(team)).to.deep.equal(['recorder: added to Launch by Alice Example']);
      expect(await events()).to.deep.equal(['botAdded Launch by Alice Example']);
    });

    it('logs a handler that throws with the event id, and the other skills are not affected', () => {
      const failed = lines.find((l) => l.message === 'lifecycle handler failed' && l['skill'] === 'boom');
      expect(failed, 'the failure is logged').to.not.equal(undefined);
      expect(failed!['eventId']).to.be.a('string').and.not.equal('');
      expect(failed!['hook']).to.equal('botAdded');
      const done = lines.find((l) => l.message === 'lifecycle: bot-added');
      expect(done).to.deep.include({ ran: ['boom', 'recorder'], failed: ['boom'] });
      expect(done!['eventId']).to.equal(failed!['eventId']);
      // No apology in the space: nobody asked for anything.
      expect(botSaid(team).some((text) => text.includes('went wrong'))).to.equal(false);
    });

    it('greets a person who joins and says goodbye to one who leaves, naming who did it', async () => {
      const carol = t.emulator.createPerson({ displayName: 'Carol Example', email: 'carol@example.com' });
      const welcome = t.emulator.waitForMessage({ roomId: team.roomId, personId: t.emulator.bot.id });
      await team.addMember(carol, { as: 'bob' });
      expect((await welcome).text).to.equal('Welcome, Carol Example!');
      const goodbye = t.emulator.waitForMessage({ roomId: team.roomId, personId: t.emulator.bot.id });
      await team.removeMember(carol);
      expect((await goodbye).text).to.equal('Goodbye, Carol Example.');
      await t.settled();
      expect((await events()).slice(-2)).to.deep.equal([
        'memberAdded Carol Example by Bob Example',
        'memberRemoved Carol Example by Carol Example',
      ]);
    });

    it('lists the members a page at a time: people only, or with bots; stops fetching when the loop stops', async () => {
      expect((await team.say('roll call')).text).to.equal('members: Alice Example, Bob Example');
      expect((await team.say('roll call all')).text).to.equal('members: Alice Example, Bob Example, Skill Bot (bot)');
      t.emulator.resetCalls();
      expect((await team.say('roll call first')).text).to.equal('members: Alice Example');
      // Pages of one member: the loop stopped after the first, so the second page was never asked for.
      expect(t.emulator.calls()['GET /v1/memberships']).to.equal(1);
    });

    it('greets nobody when the bot finds the space again after a restart', async () => {
      const before = await events();
      await t.restart();
      expect((await team.say('recall')).text).to.equal('note: none');
      await t.settled();
      expect(await events()).to.deep.equal(before);
      expect(botSaid(team).filter((x) => x.startsWith('recorder: added'))).to.have.length(1);
    });

    it('forgets the space when the bot is removed, after the handlers have seen it', async () => {
      expect((await team.say('note ship on friday')).text).to.equal('noted: ship on friday');
      expect(await t.state('recorder', { space: team }).space.get('note')).to.equal('ship on friday');
      await team.removeMember('bot', { as: 'alice' });
      await t.settled();
      expect((await events()).at(-1)).to.equal(`botRemoved ${team.roomId} by Alice Example, note was ship on friday`);
      expect(await t.state('recorder', { space: team }).space.get('note')).to.equal(undefined);
      // The direct space's state is not touched.
      expect((await t.direct.say('note keep me')).text).to.equal('noted: keep me');
      expect((await t.direct.say('recall')).text).to.equal('note: keep me');
    });
  });

  describe('editing what the bot sent', () => {
    it("edits a message in place up to Webex's 10 edits, then posts it anew: the user never sees an error", async () => {
      t.emulator.resetCalls();
      const done = t.emulator.waitForMessage({
        roomId: t.direct.roomId,
        predicate: (m) => m.text?.startsWith('countdown done') === true,
      });
      await t.direct.send('countdown 12');
      expect((await done).text).to.equal('countdown done: reposted');
      await t.settled();
      // 12 edits: 10 in place, the 11th a repost (a new message), the 12th in place on that one.
      expect(t.emulator.calls()['PUT /v1/messages/{id}']).to.equal(11);
      const said = botSaid(t.direct);
      expect(said.slice(-2)).to.deep.equal(['liftoff', 'countdown done: reposted']);
      expect(said.filter((x) => /^\d+ left$/.test(x))).to.deep.equal([]);
      expect(said.some((x) => x.includes('went wrong'))).to.equal(false);
    });

    it('replaces a card with text by deleting and reposting it (Webex cannot edit a card)', async () => {
      const deleted: string[] = [];
      const off = t.emulator.onEvent((e) => {
        if (e.kind === 'message-deleted') deleted.push(e.messageId);
      });
      t.emulator.resetCalls();
      const card = await t.direct.say('card then text');
      expect(card.attachments).to.have.length(1);
      await t.settled();
      off();
      expect(deleted).to.deep.equal([card.id]);
      expect(botSaid(t.direct).at(-1)).to.equal('no longer a card');
      expect(t.emulator.calls()['PUT /v1/messages/{id}']).to.equal(undefined);
    });
  });

  describe('sending files', () => {
    for (const [how, name, text] of [
      ['buffer', 'report.csv', 'The **report**'],
      ['stream', 'streamed.csv', undefined],
      ['path', 'from-disk.csv', undefined],
    ] as const) {
      it(`posts a file from a ${how}: it appears in the space with its name, type and size`, async () => {
        const sent = await t.direct.say(`report ${how}`);
        expect(sent.files).to.have.length(1);
        const file = t.emulator.file(sent.files![0]!)!;
        expect(file).to.deep.include({ name, type: 'text/csv', size: 25, messageId: sent.id });
        expect(file.bytes.toString('utf8')).to.equal('name,score\nada,3\ngrace,5\n');
        expect(sent.markdown).to.equal(text);
      });
    }
  });
});
