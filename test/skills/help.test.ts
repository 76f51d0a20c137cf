import { expect } from 'chai';
import { buttonsShown, cardOf, startTestBot, textShown, type TestBot } from '../../src/testing/test-bot.js';

describe('skill: help', () => {
  let t: TestBot;
  before(async () => {
    t = await startTestBot();
  });
  after(() => t.stop());

  it('answers with a card: a section per skill with its commands, from their metadata', async () => {
    const reply = await t.direct.say('help');
    const shown = textShown(reply);
    expect(shown).to.match(/^Here is what I can do\n/);
    for (const skill of t.bot.skills) expect(shown, skill).to.include(`\n${skill}\n`);
    expect(shown)
      .to.include('Shows what Webex sends a bot')
      .and.include(
        'echo <text...>: Reply with the webhook Webex sent for this message and the values decoded from it (e.g. echo hello)',
      );
    expect(shown).to.include('feedback <topic...>: Send a feedback form about a topic (e.g. feedback the new release)');
    expect(shown).to.not.include('@mention me');
  });

  it('greets a group space the bot is added to, once, with the help card naming who added it', async () => {
    const greeting = t.emulator.waitForMessage({ personId: t.emulator.bot.id });
    const team = await t.addBotToNewSpace({ title: 'Launch', as: 'bob', others: ['alice'] });
    const card = await greeting;
    expect(card.roomId).to.equal(team.roomId);
    const shown = textShown(card);
    expect(shown).to.match(/^Hello Bob Example, and everyone here! Thanks for adding me/);
    expect(shown).to.include('@mention me at the start of each message');
    expect(card.markdown).to.match(/^Hello, and thanks for adding me!/);
    await t.settled();
    expect(team.transcript().filter((m) => m.personId === t.emulator.bot.id)).to.have.length(1);
    // Found again by a message (no greeting for a space the bot already was in).
    await t.restart();
    await team.say('help');
    await t.settled();
    expect(team.transcript().filter((m) => m.personId === t.emulator.bot.id)).to.have.length(2);
  });

  it('says nothing when added to a direct space (the person writes first there)', async () => {
    const carol = t.emulator.createPerson({ displayName: 'Carol Example', email: 'carol@example.com' });
    const room = t.emulator.createRoom({ type: 'direct', memberIds: [carol.id, t.emulator.bot.id] });
    await t.settled();
    expect(t.emulator.deliveries().some((d) => d.resource === 'memberships' && d.body.includes(room.id))).to.equal(
      true,
    );
    expect(t.emulator.transcript(room.id)).to.deep.equal([]);
  });

  it('has a button for each command that needs no argument, and none for those that do', async () => {
    const buttons = buttonsShown(await t.direct.say('help'));
    const titles = buttons.map((b) => b.title);
    expect(titles).to.include.members(['help', 'help text']);
    expect(titles.some((b) => b.startsWith('echo') || b.startsWith('feedback'))).to.equal(false);
    expect(buttons.find((b) => b.title === 'help text')!.data).to.deep.equal({ _command: 'help text', _card: 'help' });
  });

  it('pressing a button runs its command, as the person who pressed it, in the card thread', async () => {
    const card = await t.group.say('help');
    const reply = await t.group.press(card, 'help text', { as: 'bob' });
    expect(reply.parentId).to.equal(card.id);
    expect(reply.markdown)
      .to.match(/^Here is what I can do:\n\n/)
      .and.include('**echo** — Shows what Webex sends a bot');
  });

  it('does not run a command the card does not offer, even if the submission names one', async () => {
    const card = await t.direct.say('help');
    const reply = await t.direct.submit(card, { _command: 'feedback forged', _card: 'help' }, { raw: true });
    expect(reply.markdown).to.match(/nothing here handles that card/);
  });

  it("keeps the plain-text list for clients without cards: as the card's fallback text, and with `help text`", async () => {
    const card = await t.direct.say('help');
    expect(card.markdown)
      .to.match(/^Here is what I can do:\n\n\*\*/)
      .and.include('**echo** — Shows what Webex sends a bot')
      .and.include('- `feedback <topic...>` — Send a feedback form about a topic (e.g. `feedback the new release`)');
    const text = await t.direct.say('help text');
    expect(text.attachments ?? []).to.have.length(0);
    expect(text.markdown).to.include(
      '- `echo <text...>` — Reply with the webhook Webex sent for this message and the values decoded from it (e.g. `echo hello`)',
    );
  });

  it('reminds group spaces to mention the bot', async () => {
    expect(textShown(await t.group.say('help'))).to.include('In this space, @mention me at the start of each message.');
    expect((await t.group.say('help text')).markdown).to.include('@mention me at the start of each message');
  });

  it('describes one skill', async () => {
    const reply = await t.direct.say('help feedback');
    expect(textShown(reply)).to.match(
      /^The feedback skill\nfeedback\nCollects feedback with a card\nfeedback <topic\.\.\.>: /,
    );
    expect(textShown(reply)).to.not.include('echo');
    expect(reply.markdown).to.match(/^\*\*feedback\*\* — Collects feedback with a card\n- `feedback <topic\.\.\.>`/);
    expect(cardOf(reply)['version']).to.equal('1.3');
  });

  it('names the skills when asked about an unknown one', async () => {
    const names = t.bot.skills
      .filter((s) => s !== 'nothing')
      .map((s) => `\`${s}\``)
      .join(', ');
    expect((await t.direct.say('help nothing')).markdown).to.equal(
      `I have no skill called "nothing". My skills: ${names}.`,
    );
  });
});
