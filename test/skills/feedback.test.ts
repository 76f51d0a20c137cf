import { expect } from 'chai';
import { startTestBot, type TestBot } from '../../src/testing/test-bot.js';

describe('skill: feedback', () => {
  let t: TestBot;
  before(async () => { t = await startTestBot(); });
  after(() => t.stop());

  it('sends its card with the user data filled in as data', async () => {
    const card = await t.direct.say('feedback ${$root.name} **launch**');
    const content = JSON.stringify(card.attachments![0]!.content);
    expect(content).to.include('How is it going, Alice Example?').and.include('${$root.name} **launch**');
    expect(card.text).to.equal('Feedback form: ${$root.name} **launch**');
  });

  it('thanks the person who submits it, in the card thread', async () => {
    const card = await t.direct.say('feedback the release');
    const reply = await t.direct.submit(card, { rating: 'ok', comment: 'line one\nline two' });
    expect(reply.parentId).to.equal(card.id);
    expect(reply.markdown).to.equal('Thanks Alice Example, you rated it 🙂 OK.\n\n> line one\n> line two');
  });

  it('asks for a rating when the submission has none', async () => {
    const card = await t.direct.say('feedback the release');
    expect((await t.direct.submit(card, { comment: 'no rating' })).markdown).to.equal('Please pick a rating before sending the form.');
  });

  it('shows usage when the topic is missing', async () => {
    const reply = await t.direct.say('feedback');
    expect(reply.markdown).to.include('&lt;topic...&gt; is missing').and.include('Usage: `feedback <topic...>`');
  });
});
