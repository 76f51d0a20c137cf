import { expect } from 'chai';
import { startTestBot, type TestBot } from '../../src/testing/test-bot.js';

describe('skill: help', () => {
  let t: TestBot;
  before(async () => { t = await startTestBot(); });
  after(() => t.stop());

  it("lists every skill's commands and examples from their metadata", async () => {
    const reply = await t.direct.say('help');
    expect(reply.markdown).to.include('**echo** — Shows what Webex sends a bot');
    expect(reply.markdown).to.include('- `echo <text...>` — Reply with the webhook Webex sent for this message and the values decoded from it (e.g. `echo hello`)');
    expect(reply.markdown).to.include('**feedback**').and.include('`feedback <topic...>`').and.include('**help**');
    expect(reply.markdown).to.not.include('@mention me');
  });

  it('reminds group spaces to mention the bot', async () => {
    expect((await t.group.say('help')).markdown).to.include('@mention me at the start of each message');
  });

  it('describes one skill', async () => {
    const reply = await t.direct.say('help feedback');
    expect(reply.markdown).to.match(/^\*\*feedback\*\* — Collects feedback with a card\n- `feedback <topic\.\.\.>`/);
    expect(reply.markdown).to.not.include('**echo**');
  });

  it('names the skills when asked about an unknown one', async () => {
    expect((await t.direct.say('help nothing')).markdown).to.equal('I have no skill called "nothing". My skills: `echo`, `feedback`, `help`.');
  });
});
