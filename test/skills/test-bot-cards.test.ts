/**
 * What the chat test harness gives a card author: submitting by input label or id (keeping the
 * values the card shows, as a person would), pressing a named button, reading the errors shown
 * on a card sent back, and looking at what a skill stored.
 */
import { expect } from 'chai';
import { errorsShown, inputsShown, startTestBot, type TestBot } from '../../src/testing/test-bot.js';

describe('startTestBot for card authors', () => {
  let t: TestBot;
  before(async () => {
    t = await startTestBot();
  });
  after(() => t.stop());

  it('submits by label or by id, case-insensitively for labels, and says which inputs exist when one is unknown', async () => {
    const card = await t.direct.say('provision');
    const byId = await t.direct.submit(card, {
      fullName: 'A',
      email: 'bad',
      department: 'sales',
      startDate: '2099-01-01',
    });
    expect(errorsShown(byId).fields).to.have.keys(['email']);
    // The card sent back with errors took the first one's place: it is the one to submit now.
    const byLabel = await t.direct.submit(byId, {
      'FULL NAME': 'A',
      'e-mail': 'bad',
      Department: 'sales',
      'Start date': '2099-01-01',
    });
    expect(errorsShown(byLabel).fields).to.have.keys(['email']);
    let err: unknown;
    try {
      await t.direct.submit(byLabel, { Phone: '1' });
    } catch (e) {
      err = e;
    }
    expect((err as Error).message).to.equal(
      'the card has no input "Phone" (inputs: fullName "Full name", email "E-mail", department "Department", startDate "Start date", managerEmail "Manager\'s e-mail (optional)")',
    );
  });

  it('keeps the values a card shows (a card sent back keeps what was typed), changing only those given', async () => {
    const card = await t.direct.say('provision');
    const again = await t.direct.submit(card, {
      'Full name': 'Grace',
      'E-mail': 'grace@',
      Department: 'sales',
      'Start date': '2099-01-01',
    });
    expect(inputsShown(again).map((i) => [i.id, i.value])).to.deep.equal([
      ['fullName', 'Grace'],
      ['email', 'grace@'],
      ['department', 'sales'],
      ['startDate', '2099-01-01'],
      ['managerEmail', undefined],
    ]);
    const fixed = await t.direct.submit(again, { 'E-mail': 'grace@example.com' });
    expect(errorsShown(fixed)).to.deep.equal({ banner: undefined, fields: {} });
  });

  it('presses a button by its title, and names the buttons when there is no such one', async () => {
    const card = await t.direct.say('help');
    expect((await t.direct.press(card, 'help text')).markdown).to.match(/^Here is what I can do:/);
    let err: unknown;
    try {
      await t.direct.press(card, 'Nope');
    } catch (e) {
      err = e;
    }
    expect((err as Error).message).to.match(/^the card has no submit button "Nope" \(buttons: .*"help", "help text"/);
  });

  it('shows what a skill stored, per skill, space, person and form', async () => {
    const card = await t.group.say('provision', { as: 'bob' });
    const done = await t.group.submit(
      card,
      { 'Full name': 'Hal', 'E-mail': 'hal@example.com', Department: 'sales', 'Start date': '2099-01-01' },
      { as: 'bob' },
    );
    const id = /PRV-[0-9A-Z]{6}/.exec(JSON.stringify(done.attachments))![0];
    expect(await t.state('provision').skill.get('email:hal@example.com')).to.equal(id);
    expect(await t.state('provision', { space: t.group }).space.get('requests')).to.deep.equal([id]);
    expect(await t.state('provision', { space: t.group, as: 'bob', card }).card.get('submitted')).to.equal(id);
    expect(await t.state('provision', { space: t.direct }).space.get('requests')).to.not.deep.include(id);
  });
});
