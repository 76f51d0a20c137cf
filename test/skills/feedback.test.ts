import { expect } from 'chai';
import { errorsShown, inputsShown, startTestBot, textShown, type TestBot } from '../../src/testing/test-bot.js';

describe('skill: feedback', () => {
  let t: TestBot;
  before(async () => {
    t = await startTestBot();
  });
  after(() => t.stop());

  it('sends its card with the user data filled in as data, its markdown escaped (shown as typed)', async () => {
    const card = await t.direct.say('feedback ${$root.name} **launch**');
    const content = JSON.stringify(card.attachments![0]!.content);
    expect(content)
      .to.include('How is it going, Alice Example?')
      .and.include('"${$root.name} \\\\*\\\\*launch\\\\*\\\\*"');
    expect(textShown(card)).to.include('${$root.name} **launch**');
    expect(card.text).to.equal('Feedback form: ${$root.name} **launch**');
  });

  it('thanks the person who submits it, in the card thread', async () => {
    const card = await t.direct.say('feedback the release');
    const reply = await t.direct.submit(card, { rating: 'ok', comment: 'line one\nline two' });
    expect(reply.parentId).to.equal(card.id);
    expect(reply.markdown).to.equal('Thanks Alice Example, you rated it 🙂 OK.\n\n> line one\n> line two');
  });

  it('sends the card again with the error next to the rating when none was picked, keeping the comment', async () => {
    const card = await t.direct.say('feedback the release');
    const again = await t.direct.submit(card, { 'Anything to add?': 'no rating' });
    // In the card's place, not stacked under it: the first card is gone.
    expect(again.parentId).to.equal(undefined);
    await t.settled();
    expect(t.direct.transcript().map((m) => m.id)).to.not.include(card.id);
    expect(errorsShown(again)).to.deep.equal({
      banner: 'Please fix the field marked below, then send again.',
      fields: { rating: 'Pick a rating' },
    });
    expect(inputsShown(again).find((i) => i.id === 'comment')?.value).to.equal('no rating');
    const thanks = await t.direct.submit(again, { 'Your rating': 'great' });
    expect(thanks.markdown).to.equal('Thanks Alice Example, you rated it 😀 great.\n\n> no rating');
  });

  it('refuses a rating that is not one of the choices, and a comment over 500 characters', async () => {
    const card = await t.direct.say('feedback the release');
    const again = await t.direct.submit(card, { rating: 'superb', comment: 'x'.repeat(501) });
    expect(errorsShown(again).fields).to.deep.equal({
      rating: 'Your rating: pick one of: 😀 Great, 🙂 OK, 🙁 Not good',
      comment: 'Anything to add?: at most 500 characters (this has 501)',
    });
  });

  it('shows usage when the topic is missing', async () => {
    const reply = await t.direct.say('feedback');
    expect(reply.markdown).to.include('&lt;topic...&gt; is missing').and.include('Usage: `feedback <topic...>`');
  });
});
