import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { startTestBot, type TestBot } from '../../src/testing/test-bot.js';

const seedCard = JSON.parse(readFileSync(new URL('../fixtures/seed-card.json', import.meta.url), 'utf8')) as Record<
  string,
  unknown
>;

describe('skill: echo', () => {
  let t: TestBot;
  before(async () => {
    t = await startTestBot();
  });
  after(() => t.stop());

  it('echoes the webhook and the decoded values', async () => {
    const reply = await t.direct.say('echo hi there');
    expect(reply.markdown)
      .to.include('"resource": "messages"')
      .and.include('- Message: echo hi there')
      .and.include('- Sender: Alice Example (alice@example.com)');
  });

  it('escapes user text, so it cannot format or @mention', async () => {
    const reply = await t.direct.say('echo <@all> **bold**');
    expect(reply.markdown).to.include('- Message: echo &lt;@all&gt; \\*\\*bold\\*\\*');
  });

  it('works in the group space when mentioned', async () => {
    const reply = await t.group.say('echo from the group', { as: 'bob' });
    expect(reply.markdown)
      .to.include('- Message: echo from the group')
      .and.include('(group)')
      .and.include('Bob Example');
  });

  it('sends pasted card JSON back as a card and echoes its submission in thread', async () => {
    const card = await t.direct.say(JSON.stringify(seedCard));
    expect(card.attachments?.[0]?.content).to.deep.equal(seedCard);
    const echoed = await t.direct.submit(card, { input_text: 'hello card', input_toggle: 'false' });
    expect(echoed.parentId).to.equal(card.id);
    expect(echoed.markdown).to.include('- input\\_text: hello card').and.include('- input\\_toggle: false');
  });

  it('explains JSON that does not parse or is not a card', async () => {
    expect((await t.direct.say('{"type": "AdaptiveCard", ')).markdown).to.match(/^Sorry, I don't know/);
    expect((await t.direct.say('{"type": "AdaptiveCard" oops}')).markdown).to.match(
      /^That looks like JSON, but it does not parse/,
    );
    expect((await t.direct.say('{"hello": "world"}')).markdown).to.match(/^That JSON is not an Adaptive Card/);
  });

  it('lists what is wrong with a card Webex would refuse', async () => {
    const reply = await t.direct.say(
      JSON.stringify({ type: 'AdaptiveCard', version: '1.3', body: [{ type: 'Table' }] }),
    );
    expect(reply.markdown).to.include("I can't send that card back").and.include('Unknown element type "Table"');
  });

  it('a pasted card whose own regex backtracks catastrophically: its submission is answered, and others are served meanwhile', async () => {
    // Webex clients check a card's regex before sending; the API does not, so anyone can submit this.
    const evil = {
      type: 'AdaptiveCard',
      version: '1.3',
      body: [{ type: 'Input.Text', id: 'code', label: 'Code', regex: '^(a+)+$' }],
      actions: [{ type: 'Action.Submit', title: 'Send' }],
    };
    const card = await t.direct.say(JSON.stringify(evil));
    const [refused, other] = await Promise.all([
      t.direct.submit(card, { code: `${'a'.repeat(40)}!` }),
      t.group.say('echo still here', { as: 'bob' }),
    ]);
    expect(JSON.stringify(refused.attachments?.[0]?.content ?? refused.markdown)).to.include(
      'not in the expected format',
    );
    expect(other.markdown).to.include('- Message: echo still here');
  });
});
