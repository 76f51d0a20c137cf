/**
 * The control API adds and removes members (the bot too), and each change reaches the bot's
 * webhook as Webex sends it: `memberships/created` and `/deleted` with the actor, and the bot
 * added with a new space hears of its own membership only.
 */
import { expect } from 'chai';
import type { WebexSdk } from 'webex';
import type { Emulator, Membership } from '../../src/emulator/index.js';
import { createHook, Receiver, sdkFor, startTestEmulator } from './helpers.js';

describe('emulator control: members', () => {
  let emulator: Emulator;
  let bot: WebexSdk;
  let receiver: Receiver;
  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${emulator.url}/_emulator${path}`, {
      method,
      headers: body === undefined && method !== 'POST' ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  before(async () => {
    emulator = await startTestEmulator();
    bot = await sdkFor(emulator, emulator.botToken);
    receiver = await Receiver.start();
    await createHook(bot, receiver.url);
  });
  after(async () => {
    await receiver.close();
    await emulator.stop();
  });

  it('adds the bot to a new space, then a person; removes the person, then the bot, each with the actor', async () => {
    const { alice, bob } = emulator.seed!;
    const created = await control('POST', '/rooms', {
      type: 'group',
      title: 'Launch',
      memberIds: [alice.id, emulator.bot.id],
    });
    expect(created.status).to.equal(201);
    const room = (await created.json()) as { id: string; memberIds: string[] };
    const [added] = await receiver.waitFor(
      (r) => r.json?.resource === 'memberships' && r.json?.event === 'created' && r.json?.data?.roomId === room.id,
    );
    expect(added!.json).to.deep.include({ actorId: alice.id });
    expect(added!.json!.data).to.include({ personId: emulator.bot.id, personDisplayName: emulator.bot.displayName });

    const res = await control('POST', `/rooms/${room.id}/members`, { personId: bob.id, actorId: alice.id });
    expect(res.status).to.equal(201);
    const membership = (await res.json()) as Membership;
    expect(membership).to.include({ personId: bob.id, roomId: room.id });
    await receiver.waitFor((r) => r.json?.event === 'created' && r.json?.data?.id === membership.id);
    expect((await bot.memberships.list({ roomId: room.id })).items.map((m) => m.personId)).to.deep.equal([
      alice.id,
      emulator.bot.id,
      bob.id,
    ]);

    expect((await control('DELETE', `/rooms/${room.id}/members/${bob.id}?actorId=${alice.id}`)).status).to.equal(204);
    const [bobLeft] = await receiver.waitFor((r) => r.json?.event === 'deleted' && r.json?.data?.personId === bob.id);
    expect(bobLeft!.json!.actorId).to.equal(alice.id);
    expect(
      (await control('DELETE', `/rooms/${room.id}/members/${emulator.bot.id}?actorId=${alice.id}`)).status,
    ).to.equal(204);
    const [botLeft] = await receiver.waitFor(
      (r) =>
        r.json?.event === 'deleted' && r.json?.data?.personId === emulator.bot.id && r.json?.data?.roomId === room.id,
    );
    expect(botLeft!.json!.actorId).to.equal(alice.id);
    expect(emulator.state().rooms.find((r) => r.id === room.id)!.memberIds).to.deep.equal([alice.id]);
  });

  it('answers bad member changes with the reason', async () => {
    const { alice, bob } = emulator.seed!;
    const group = emulator.seed!.groupRoom.id;
    const again = await control('POST', `/rooms/${group}/members`, { personId: bob.id, actorId: alice.id });
    expect(again.status).to.equal(409);
    const noActor = await control('DELETE', `/rooms/${group}/members/${bob.id}`);
    expect(noActor.status).to.equal(400);
    expect(((await noActor.json()) as { error: string }).error).to.match(/actorId is required/);
    const direct = await control('POST', `/rooms/${emulator.seed!.directRoom.id}/members`, {
      personId: bob.id,
      actorId: alice.id,
    });
    expect(direct.status).to.equal(400);
    const missing = await control('POST', `/rooms/${group}/members`, { actorId: alice.id });
    expect(missing.status).to.equal(400);
  });
});
