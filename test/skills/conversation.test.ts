/**
 * Conversation verbs of the skill kit, chat-like against the emulator: confirmation before a side
 * effect (only the asker's Yes, once, in time), permissions (roles, checks, skill-wide; typed or on
 * a card button; help lists only what each person may run), proactive sends to a person or a
 * space, a question's answer, and a two-step form whose second step sees the first's answers.
 */
import { expect } from 'chai';
import path from 'node:path';
import { ManualClock } from '../../src/testing/manual-clock.js';
import { buttonsShown, startTestBot, textShown, type TestBot } from '../../src/testing/test-bot.js';

const fixtures = path.resolve('test/fixtures');

describe('skill kit: confirm, permissions, send, ask, multi-step forms', () => {
  let t: TestBot;
  let clock: ManualClock;
  before(async () => {
    clock = new ManualClock('2030-03-04T09:00:00Z');
    t = await startTestBot({
      skillsDir: path.join(fixtures, 'skills/conversation'),
      cardsDir: path.join(fixtures, 'cards/conversation'),
      config: { adminEmails: ['alice@example.com'] },
      tuning: { clock },
    });
  });
  after(() => t.stop());

  const wiped = (env: string) => t.state('ops').skill.get<number>(`wiped:${env}`);

  it('confirm: a Yes/No card naming what will happen; nothing runs before the Yes', async () => {
    const card = await t.group.say('wipe staging');
    expect(textShown(card)).to.include('Are you sure?').and.include('Wipe the staging environment');
    expect(textShown(card)).to.include('Only Alice Example can answer, within 5 minutes.');
    expect(buttonsShown(card).map((b) => b.title)).to.deep.equal(['Yes', 'No']);
    expect(await wiped('staging')).to.equal(undefined);
    expect((await t.group.press(card, 'Yes')).markdown).to.equal('Wiped staging (1)');
  });

  it("confirm: someone else's Yes is refused and runs nothing; the asker's then runs it once; a second Yes runs nothing", async () => {
    const card = await t.group.say('wipe prod');
    expect((await t.group.press(card, 'Yes', { as: 'bob' })).markdown).to.equal(
      'Only Alice Example, who asked for it, can answer this. Nothing was done.',
    );
    expect(await wiped('prod')).to.equal(undefined);
    expect((await t.group.press(card, 'Yes')).markdown).to.equal('Wiped prod (1)');
    expect((await t.group.press(card, 'Yes')).markdown).to.equal(
      'This was already answered, or it expired: nothing more was done.',
    );
    expect(await wiped('prod')).to.equal(1);
  });

  it('confirm: No runs nothing; a Yes after 5 minutes is too late', async () => {
    const no = await t.direct.say('wipe qa');
    expect((await t.direct.press(no, 'No')).markdown).to.equal('OK, not done: Wipe the qa environment');
    const late = await t.direct.say('wipe qa');
    clock.set('2030-03-04T09:06:00Z');
    expect((await t.direct.press(late, 'Yes')).markdown).to.equal(
      'Too late: this confirmation expired, and nothing was done. Type the command again.',
    );
    expect(await wiped('qa')).to.equal(undefined);
  });

  it('roles: an admin-only command refuses others with a clear answer; a skill for admins refuses each command', async () => {
    expect((await t.group.say('secrets', { as: 'bob' })).markdown).to.equal(
      "Sorry, `secrets` is for admins only. Ask one of the bot's admins if you need it.",
    );
    expect((await t.group.say('secrets')).markdown).to.equal('the secrets');
    expect((await t.group.say('vault open', { as: 'bob' })).markdown).to.include('is for admins only');
    expect((await t.group.say('vault open')).markdown).to.equal('open');
  });

  it('allow: a check of the skill decides; a throwing check refuses', async () => {
    expect((await t.group.say('vip', { as: 'bob' })).markdown).to.equal('welcome, Bob');
    expect((await t.group.say('vip')).markdown).to.equal('Sorry, you may not use `vip`.');
    expect((await t.group.say('fragile')).markdown).to.equal('Sorry, you may not use `fragile`.');
  });

  it('card buttons that run commands are checked the same way', async () => {
    const menu = await t.group.say('menu');
    expect((await t.group.press(menu, 'Secrets', { as: 'bob' })).markdown).to.include('is for admins only');
    expect((await t.group.press(menu, 'Secrets')).markdown).to.equal('the secrets');
  });

  it('each person sees only what they may run (what help lists)', async () => {
    const bob = (await t.group.say('my commands', { as: 'bob' })).markdown!;
    expect(bob).to.include('vip').and.not.include('secrets').and.not.include('vault');
    const alice = (await t.group.say('my commands')).markdown!;
    expect(alice).to.include('secrets').and.include('vault open').and.not.include('vip');
  });

  it('send: a direct message to a person by e-mail (their direct space), through the outbox', async () => {
    const dm = t.emulator.waitForMessage({
      personId: t.emulator.bot.id,
      predicate: (m) => m.markdown === 'Deploy done',
    });
    const said = await t.group.say('tell bob@example.com Deploy done');
    const message = await dm;
    expect(said.markdown).to.equal(`Sent ${message.id} to bob@example.com in ${message.roomId}`);
    const state = await (await fetch(`${t.emulator.url}/_emulator/state`)).json();
    const room = (state as { rooms: Array<{ id: string; type: string; memberIds: string[] }> }).rooms.find(
      (r) => r.id === message.roomId,
    )!;
    expect(room.type).to.equal('direct');
    expect(room.memberIds).to.include(t.emulator.seed!.bob.id);
  });

  it('send: to another space by id, from a direct conversation', async () => {
    const posted = t.emulator.waitForMessage({ roomId: t.group.roomId, personId: t.emulator.bot.id });
    expect((await t.direct.say(`post ${t.group.roomId} Lunch is here`)).markdown).to.equal('Posted');
    expect((await posted).markdown).to.equal('Lunch is here');
  });

  it('ask: the next message goes to the answer handler with the data given to ask', async () => {
    expect((await t.direct.say('name')).markdown).to.equal('What is your name?');
    expect((await t.direct.say('secrets')).markdown).to.equal('Hello secrets ({"asked":"name"})');
    expect((await t.direct.say('secrets')).markdown).to.equal('the secrets');
  });

  it("multi-step form: step 2's card belongs to the same form and its handler sees step 1's answers", async () => {
    const first = await t.direct.say('trip');
    const second = await t.direct.submit(first, { city: 'Oslo' });
    expect(textShown(second)).to.include('Trip to Oslo, step 2 of 2');
    expect(buttonsShown(second)[0]!.data['_form']).to.equal(first.id);
    const booked = await t.direct.submit(second, { nights: '3' });
    expect(booked.markdown).to.equal(`Booked 3 nights in Oslo (form ${first.id}, started: true)`);
  });
});

describe('help shows each person only what they may run (the shipped skills, ADMIN_EMAILS)', () => {
  let t: TestBot;
  before(async () => {
    t = await startTestBot({ config: { adminEmails: ['alice@example.com'] } });
  });
  after(() => t.stop());

  it('provision all is listed for the admin only, and refused to others', async () => {
    expect((await t.group.say('help text')).markdown).to.include('`provision all`');
    expect((await t.group.say('help text', { as: 'bob' })).markdown).to.not.include('provision all');
    expect((await t.group.say('provision all', { as: 'bob' })).markdown).to.include('is for admins only');
    expect((await t.group.say('provision all')).markdown).to.include('No account requests yet.');
  });
});
