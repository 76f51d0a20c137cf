/**
 * "Access": with ALLOWED_DOMAINS / ALLOWED_EMAILS set, each sender is checked — for messages and
 * for card submissions. An outsider gets at most one polite refusal per space (per hour) and
 * nothing from any skill; an allowed sender in the same group space is still served. Card
 * submissions reach the skill of the card the bot sent, whatever the inputs claim.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REFUSAL_TEXT } from '../../../src/policy/refusals.js';
import { startTestBot, type TestBot } from '../../../src/testing/test-bot.js';
import { capturedLog } from '../support/captured-log.js';
import { projectRoot } from '../support/processes.js';
import { botMessages, settled } from '../support/settle.js';

const seedCard = readFileSync(path.join(projectRoot, 'test/fixtures/seed-card.json'), 'utf8');

describe('Access', function () {
  this.timeout(30_000);
  let t: TestBot;
  const captured = capturedLog();
  before(async () => {
    t = await startTestBot({
      log: captured.log,
      config: { access: { domains: ['example.com'], emails: ['guest@partner.example'] } },
    });
  });
  after(() => t.stop());

  const person = (displayName: string, email: string) => t.emulator.createPerson({ displayName, email });
  const groupWith = (...ids: string[]) =>
    t.emulator.createRoom({
      type: 'group',
      title: 'Mixed',
      memberIds: [t.emulator.seed!.alice.id, ...ids, t.emulator.bot.id],
    });

  it("an outsider's messages get one polite refusal per space and nothing from any skill", async () => {
    const mallory = person('Mallory Outsider', 'mallory@elsewhere.example');
    const room = groupWith(mallory.id);
    await settled(t);
    // Alice (allowed) added the bot: its welcome is for her, and comes before anything else.
    const welcome = botMessages(t, room.id).length;
    expect(welcome).to.equal(1);
    for (const text of ['echo let me in', 'help', 'feedback please'])
      await t.emulator.say({ personId: mallory.id, roomId: room.id, text, mention: true });
    await settled(t);
    expect(
      botMessages(t, room.id)
        .slice(welcome)
        .map((m) => m.markdown),
    ).to.deep.equal([REFUSAL_TEXT]);
    const logged = captured.lines.filter((l) => l.message === 'sender not allowed to use the bot');
    expect(logged.map((l) => l['domain'])).to.deep.equal([
      'elsewhere.example',
      'elsewhere.example',
      'elsewhere.example',
    ]);
  });

  it('an allowed sender in the same group space is still served, and so is a guest on ALLOWED_EMAILS', async () => {
    const mallory = person('Mallory Two', 'mallory2@elsewhere.example');
    const guest = person('Gus Guest', 'Guest@Partner.example');
    const room = groupWith(mallory.id, guest.id);
    await settled(t);
    await t.emulator.say({ personId: mallory.id, roomId: room.id, text: 'echo outsider first', mention: true });
    const wait = (text: string) =>
      t.emulator.waitForMessage({
        roomId: room.id,
        personId: t.emulator.bot.id,
        predicate: (m) => m.markdown?.includes(`- Message: ${text}`) ?? false,
      });
    let reply = wait('echo inside');
    await t.emulator.say({ personId: t.emulator.seed!.alice.id, roomId: room.id, text: 'echo inside', mention: true });
    expect((await reply).markdown).to.include('Alice Example');
    reply = wait('echo guest');
    await t.emulator.say({ personId: guest.id, roomId: room.id, text: 'echo guest', mention: true });
    expect((await reply).markdown).to.include('Gus Guest');
  });

  it("an outsider's card submission is refused, and the card's skill does not run", async () => {
    const mallory = person('Mallory Three', 'mallory3@elsewhere.example');
    const room = groupWith(mallory.id);
    await settled(t);
    const welcome = botMessages(t, room.id).length; // Alice's welcome
    const card = t.emulator.waitForMessage({ roomId: room.id, personId: t.emulator.bot.id });
    await t.emulator.say({
      personId: t.emulator.seed!.alice.id,
      roomId: room.id,
      text: 'feedback the release',
      mention: true,
    });
    const cardMessage = await card;
    await t.emulator.submitCard({ personId: mallory.id, messageId: cardMessage.id, inputs: { rating: 'great' } });
    await settled(t);
    expect(
      botMessages(t, room.id)
        .slice(welcome + 1)
        .map((m) => m.markdown),
    ).to.deep.equal([REFUSAL_TEXT]);
  });

  it('a crafted submission with a forged routing key reaches no skill it names', async () => {
    // Alice pastes a card; the bot sends it back; a submission claims the feedback card's routing key.
    const pasted = await t.direct.say(seedCard);
    expect(JSON.stringify(pasted.attachments?.[0]?.content)).not.to.include('"_card":');
    // Sent as a crafted attachment action: inputs the card does not have, naming another card.
    const reply = t.emulator.waitForMessage({ roomId: t.direct.roomId, personId: t.emulator.bot.id });
    await t.emulator.submitCard({
      personId: t.emulator.seed!.alice.id,
      messageId: pasted.id,
      inputs: { input_text: 'forged', _card: 'feedback', rating: 'great' },
    });
    const echoed = await reply;
    // The echo skill (owner of cards no skill owns) answers, not feedback; and the key is not among the inputs.
    expect(echoed.markdown).to.include('**Card submitted**').and.include('- input\\_text: forged');
    expect(echoed.markdown).not.to.include('Thanks').and.not.to.include('- \\_card');
  });
});
