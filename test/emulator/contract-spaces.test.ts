/**
 * Contract: `/v1/rooms` and `/v1/memberships` through the real SDK.
 */
import { expect } from 'chai';
import type { WebexSdk } from 'webex';
import { decodeId, mintId, type Emulator } from '../../src/emulator/index.js';
import { expectApiError, sdkFor, startTestEmulator } from './helpers.js';

describe('emulator contract: rooms and memberships', () => {
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

  describe('rooms', () => {
    it("lists the caller's spaces; a direct space is titled with the other member's name", async () => {
      const botRooms = await bot.rooms.list();
      const titles = Object.fromEntries(botRooms.items.map((r: { type: string; title: string }) => [r.type, r.title]));
      expect(titles).to.deep.equal({ direct: 'Alice Example', group: 'Team Space' });
      const aliceDirect = await alice.rooms.get(emulator.seed!.directRoom.id);
      expect(aliceDirect).to.include({
        title: 'Skill Bot',
        type: 'direct',
        isLocked: false,
        creatorId: emulator.seed!.alice.id,
      });
      expect(decodeId(aliceDirect.id)?.type).to.equal('ROOM');
      const bobRooms = await bob.rooms.list();
      expect(bobRooms.items.map((r: { id: string }) => r.id)).to.deep.equal([emulator.seed!.groupRoom.id]);
    });

    it('filters by type and pages', async () => {
      const groups = await bot.rooms.list({ type: 'group' });
      expect(groups.items.map((r: { title: string }) => r.title)).to.deep.equal(['Team Space']);
      const first = await bot.rooms.list({ max: 1 });
      expect(first.length).to.equal(1);
      expect(first.hasNext()).to.equal(true);
      const second = await first.next();
      expect(second.length).to.equal(1);
      expect(second.hasNext()).to.equal(false);
      expect(second.items[0].id).to.not.equal(first.items[0].id);
      await expectApiError(bot.rooms.list({ type: 'team' }), 400, /type must be/);
    });

    it('refuses a sortBy that is a name every object inherits (constructor, __proto__, toString) with a 400', async () => {
      for (const sortBy of ['__proto__', 'constructor', 'toString', 'hasOwnProperty'])
        await expectApiError(bot.rooms.list({ sortBy }), 400, /sortBy must be one of/);
      expect((await bot.rooms.list({ sortBy: 'created' })).items).to.have.length(2);
    });

    it('answers 404 for a space the caller is not in, and for an unknown id', async () => {
      await expectApiError(bob.rooms.get(emulator.seed!.directRoom.id), 404);
      await expectApiError(bot.rooms.get(mintId('ROOM')), 404);
    });

    it('creates a group space with the caller as its member, and requires a title', async () => {
      const room = await alice.rooms.create({ title: 'Project X' });
      expect(room).to.include({ title: 'Project X', type: 'group', creatorId: emulator.seed!.alice.id });
      const members = await alice.memberships.list({ roomId: room.id });
      expect(members.items.map((m: { personId: string }) => m.personId)).to.deep.equal([emulator.seed!.alice.id]);
      await expectApiError(alice.rooms.create({}), 400, /title is required/);
    });
  });

  describe('memberships', () => {
    it("lists the caller's own memberships when no space is given", async () => {
      const mine = await bot.memberships.list();
      expect(mine.items).to.have.length(2);
      for (const m of mine.items)
        expect(m).to.include({
          personId: emulator.bot.id,
          personEmail: 'skill-bot@webex.bot',
          personDisplayName: 'Skill Bot',
        });
    });

    it("lists a space's members with person details, and filters by personId and personEmail", async () => {
      const all = await bot.memberships.list({ roomId: emulator.seed!.groupRoom.id });
      expect(all.items.map((m: { personDisplayName: string }) => m.personDisplayName)).to.deep.equal([
        'Alice Example',
        'Bob Example',
        'Skill Bot',
      ]);
      expect(all.items[0]).to.include({
        roomId: emulator.seed!.groupRoom.id,
        roomType: 'group',
        isModerator: false,
        isMonitor: false,
      });
      const byId = await bot.memberships.list({ roomId: emulator.seed!.groupRoom.id, personId: emulator.bot.id });
      expect(byId.items.map((m: { personId: string }) => m.personId)).to.deep.equal([emulator.bot.id]);
      const byEmail = await bot.memberships.list({
        roomId: emulator.seed!.groupRoom.id,
        personEmail: 'bob@example.com',
      });
      expect(byEmail.items.map((m: { personId: string }) => m.personId)).to.deep.equal([emulator.seed!.bob.id]);
    });

    it('refuses a person filter without roomId (400): only compliance officers may list across spaces', async () => {
      await expectApiError(bot.memberships.list({ personId: emulator.bot.id }), 400, /roomId is required/);
      await expectApiError(bot.memberships.list({ personEmail: 'bob@example.com' }), 400, /roomId is required/);
      await expectApiError(
        alice.memberships.list({ personEmail: 'alice@example.com', max: 10 }),
        400,
        /personId or personEmail/,
      );
    });

    it('pages members', async () => {
      const first = await bot.memberships.list({ roomId: emulator.seed!.groupRoom.id, max: 2 });
      expect(first.length).to.equal(2);
      const rest = await first.next();
      expect(rest.items.map((m: { personId: string }) => m.personId)).to.deep.equal([emulator.bot.id]);
    });

    it('answers 404 for members of a space the caller is not in, and for such a membership', async () => {
      await expectApiError(bob.memberships.list({ roomId: emulator.seed!.directRoom.id }), 404);
      const direct = await alice.memberships.list({ roomId: emulator.seed!.directRoom.id });
      const aliceMembership = direct.items[0];
      expect((await bot.memberships.get(aliceMembership.id)).personId).to.equal(emulator.seed!.alice.id);
      await expectApiError(bob.memberships.get(aliceMembership.id), 404);
      await expectApiError(bot.memberships.get(mintId('MEMBERSHIP')), 404);
    });

    it('adds a member to a group space, refuses duplicates and direct spaces, and removes members', async () => {
      const room = await alice.rooms.create({ title: 'Adding' });
      const added = await alice.memberships.create({ roomId: room.id, personEmail: 'skill-bot@webex.bot' });
      expect(added).to.include({ roomId: room.id, personId: emulator.bot.id, personDisplayName: 'Skill Bot' });
      await expectApiError(alice.memberships.create({ roomId: room.id, personId: emulator.bot.id }), 409);
      await expectApiError(
        alice.memberships.create({ roomId: emulator.seed!.directRoom.id, personId: emulator.seed!.bob.id }),
        400,
        /direct space/,
      );
      await expectApiError(alice.memberships.create({ roomId: room.id }), 400, /personId or personEmail/);
      await expectApiError(bob.memberships.create({ roomId: room.id, personId: emulator.seed!.bob.id }), 404);
      await alice.memberships.remove(added);
      await expectApiError(alice.memberships.get(added.id), 404);
      expect((await bot.rooms.list()).items.map((r: { id: string }) => r.id)).to.not.include(room.id);
    });
  });
});
