/**
 * The chat playground in real headless Chromium, against a real bot and an in-process emulator:
 * talk to the bot, see its replies and cards, submit cards, watch webhooks and API calls.
 * Each step leaves a screenshot in test-artifacts/playground/.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import type { AttachmentAction, EmulatorEvent } from '../../src/emulator/index.js';
import { startTestBot, type TestBot } from '../../src/testing/test-bot.js';
import { launchChromium, snap } from './support/browser.js';

const seedCardJson = readFileSync(new URL('../fixtures/seed-card.json', import.meta.url), 'utf8');
const CARD_TYPE = 'application/vnd.microsoft.card.adaptive';

/** A card with a required input and one checked by a regex. */
const requiredCard = {
  type: 'AdaptiveCard',
  version: '1.3',
  body: [
    { type: 'Input.Text', id: 'name', label: 'Your name', isRequired: true, errorMessage: 'Please enter your name' },
    {
      type: 'Input.Text',
      id: 'code',
      label: 'Code (3 digits)',
      regex: '^\\d{3}$',
      errorMessage: 'Three digits, please',
    },
  ],
  actions: [{ type: 'Action.Submit', title: 'Send form', data: { form: 'required-test' } }],
};

describe('chat playground (headless Chromium)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let t: TestBot;
  const requested: string[] = [];
  const pageErrors: string[] = [];
  const actions: AttachmentAction[] = [];

  before(async () => {
    browser = await launchChromium();
    t = await startTestBot();
    t.emulator.onEvent((e: EmulatorEvent) => {
      if (e.kind === 'attachment-action') actions.push(e.action);
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.on('request', (r) => requested.push(r.url()));
    page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(`${t.emulator.url}/`);
    await page.locator('body[data-ready="true"]').waitFor();
  });

  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  const composer = (): Locator => page.locator('#composer-input');
  const room = (): Locator => page.locator('.room-log:not([hidden])');
  const botMessages = (): Locator => room().locator('article.msg.from-bot');

  async function send(text: string): Promise<void> {
    await composer().fill(text);
    await composer().press('Enter');
  }

  async function selectSpace(title: string): Promise<void> {
    await page.locator('#space-list button.space', { hasText: title }).click();
    await expect(await page.locator('#space-title').textContent()).to.equal(title);
  }

  it('opens on the direct space, with both spaces listed and Alice writing', async () => {
    expect(await page.locator('#space-title').textContent()).to.equal('Alice Example');
    expect(await page.locator('#space-list .space-title').allTextContents()).to.deep.equal([
      'Alice Example',
      'Team Space',
    ]);
    expect(await page.locator('#space-list button[aria-current="true"] .space-title').textContent()).to.equal(
      'Alice Example',
    );
    expect(await page.locator('#typist label').allTextContents()).to.deep.equal(['Alice Example']);
    expect(await page.locator('#mention-toggle').isVisible()).to.equal(false);
    await page.locator('#connection[data-status="open"]').waitFor(); // the page is ready at the event stream's first news
    expect(await page.locator('#connection').textContent()).to.equal('Live');
    await snap(page, '01-opened');
  });

  it('sends "help" with Enter and shows the help reply', async () => {
    await send('help');
    const reply = botMessages().filter({ hasText: 'Here is what I can do' });
    await reply.waitFor();
    expect(await room().locator('article.msg:not(.from-bot) .msg-body').first().textContent()).to.equal('help\n');
    expect(await reply.locator('.ac-adaptiveCard .ac-textBlock', { hasText: /^help$/ }).count()).to.equal(1); // help is a card, a section per skill
    expect(await composer().inputValue()).to.equal('');
    await room().locator('article.msg:not(.from-bot) .transport[data-transport="webhook"]').first().waitFor();
    await snap(page, '02-help');
  });

  it('renders the seed card pasted as JSON with the Adaptive Cards renderer', async () => {
    await send(seedCardJson);
    const card = botMessages().filter({ hasText: 'My Adaptive Card' }).locator('.ac-container.ac-adaptiveCard');
    await card.waitFor();
    expect(await card.locator('.ac-textBlock').first().textContent()).to.equal('My Adaptive Card');
    expect(await card.locator('input.ac-textInput').getAttribute('placeholder')).to.equal('Enter text');
    expect(await card.locator('button[aria-label="Submit"]').count()).to.equal(1);
    await snap(page, '03-card');
  });

  it('submits the card as Alice and shows the echoed inputs in the card thread', async () => {
    const cardMessage = botMessages().filter({
      has: page.locator('.ac-adaptiveCard', { hasText: 'My Adaptive Card' }),
    });
    await cardMessage.locator('input.ac-textInput').fill('hello from the playground');
    await cardMessage.locator('button[aria-label="Submit"]').click();
    const echo = cardMessage.locator('.thread article.from-bot').filter({ hasText: 'Card submitted' });
    await echo.waitFor();
    const echoText = await echo.locator('.msg-body').textContent();
    expect(echoText)
      .to.include('input_text: hello from the playground')
      .and.include('input_toggle: true')
      .and.include('Submitted by: Alice Example');
    expect(await cardMessage.locator('.card-status').textContent()).to.equal('Submitted as Alice Example.');
    const action = actions.at(-1)!;
    expect(action.personId).to.equal(t.emulator.seed!.alice.id);
    expect(action.inputs).to.deep.equal({ input_text: 'hello from the playground', input_toggle: 'true' });
    await echo.scrollIntoViewIfNeeded();
    await snap(page, '04-card-submitted');
  });

  it('shows the webhooks and API calls behind a bot reply in the side panel', async () => {
    const helpReply = botMessages().filter({ hasText: 'Here is what I can do' });
    await helpReply.getByRole('button', { name: /Webhooks and API calls/ }).click();
    const section = page.locator('#activity .exchange.highlight');
    await section.waitFor();
    expect(await section.locator('h3 .title').textContent()).to.equal('Alice Example: “help”');
    const deliveries = section.locator('li.delivery');
    expect(await deliveries.count()).to.equal(2); // the message, then the bot's own reply coming back
    const first = deliveries.first();
    expect(await first.locator('.event').textContent()).to.equal('messages/created');
    expect(await first.locator('.target').textContent()).to.match(/^http:\/\/127\.0\.0\.1:\d+\/webhook$/);
    expect(await first.locator('.chip').allTextContents()).to.include.members([
      '200',
      '1 attempt',
      'signed',
      'delivered',
    ]);
    await first.locator('summary', { hasText: 'JSON body' }).click();
    const body = JSON.parse((await first.locator('pre').textContent())!) as {
      resource: string;
      event: string;
      data: { personId: string };
    };
    expect(body).to.include({ resource: 'messages', event: 'created' });
    expect(body.data.personId).to.equal(t.emulator.seed!.alice.id);
    const calls = await section
      .locator('table.calls tbody tr')
      .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].slice(0, 3).map((td) => td.textContent)));
    expect(calls).to.deep.include(['GET', '/v1/messages/{id}', '200']);
    expect(calls.filter(([method, route]) => method === 'POST' && route === '/v1/messages')).to.have.length(1); // its one reply, nobody else's
    await snap(page, '05-activity');
  });

  it('in the group space, a message without the @mention gets no reply; with it, the bot answers', async () => {
    await selectSpace('Team Space');
    expect(await page.locator('#typist label').allTextContents()).to.deep.equal(['Alice Example', 'Bob Example']);
    await page.getByLabel('Bob Example').check();
    const mention = page.locator('#mention-toggle');
    expect(await mention.getAttribute('aria-pressed')).to.equal('true');
    expect(await mention.textContent()).to.equal('@Skill Bot');
    await mention.click();
    expect(await mention.getAttribute('aria-pressed')).to.equal('false');
    expect(await page.locator('#composer-hint').textContent()).to.include('does not receive this message');

    const groupId = t.emulator.seed!.groupRoom.id;
    await send('echo not mentioned');
    const unheard = room().locator('article.msg', { hasText: 'echo not mentioned' });
    await unheard.waitFor();
    const first = t.emulator.transcript(groupId).find((m) => m.text === 'echo not mentioned')!;
    expect(first.personId).to.equal(t.emulator.seed!.bob.id);
    expect(first.mentionedPeople ?? []).to.deep.equal([]);
    // Deliveries are created when the message is stored: none exists for it.
    expect(t.emulator.deliveries().filter((d) => d.dataId === first.id)).to.deep.equal([]);
    await page.locator('#activity .exchange .note.not-heard').waitFor();
    await snap(page, '06-group-not-mentioned');

    await mention.click();
    await send('echo with the mention');
    const reply = botMessages().filter({ hasText: 'Message: echo with the mention' });
    await reply.waitFor();
    expect(
      await room()
        .locator('article.msg', { hasText: 'echo with the mention' })
        .first()
        .locator('.mention')
        .textContent(),
    ).to.equal('Skill Bot');
    const botReplies = t.emulator.transcript(groupId).filter((m) => m.personId === t.emulator.bot.id);
    expect(botReplies).to.have.length(1);
    expect(botReplies[0]!.markdown).to.include('- Message: echo with the mention').and.not.include('not mentioned');
    expect(await botMessages().count()).to.equal(1);
    await snap(page, '07-group-mentioned');
    await selectSpace('Alice Example');
  });

  it("blocks a submission while a required input is empty or a value misses the card's regex", async () => {
    await send(JSON.stringify(requiredCard));
    const cardMessage = botMessages().filter({ has: page.locator('button[aria-label="Send form"]') });
    await cardMessage.waitFor();
    const submit = cardMessage.locator('button[aria-label="Send form"]');
    const before = actions.length;

    await submit.click();
    expect(await cardMessage.locator('.ac-input-validation-failed').count()).to.equal(1);
    expect(await cardMessage.textContent()).to.include('Please enter your name');
    expect(await cardMessage.locator('.card-status').textContent()).to.equal(
      'Not sent: fill in the highlighted fields first.',
    );
    await snap(page, '08-required-blocked');

    const [name, code] = [
      cardMessage.locator('input.ac-textInput').nth(0),
      cardMessage.locator('input.ac-textInput').nth(1),
    ];
    await name.fill('Alice');
    await code.fill('12a');
    await submit.click();
    expect(await cardMessage.textContent()).to.include('Three digits, please');

    await code.fill('123');
    await submit.click();
    await cardMessage.locator('.thread article.from-bot', { hasText: 'Card submitted' }).waitFor();
    // Had a blocked press been sent, its action would have been stored before this one.
    const sent = actions.slice(before);
    expect(sent).to.have.length(1);
    expect(sent[0]!.inputs).to.deep.equal({ form: 'required-test', name: 'Alice', code: '123' });
    await snap(page, '09-required-sent');
  });

  it('never re-renders a card: what is typed into it survives new messages', async () => {
    const cardMessage = botMessages().filter({ has: page.locator('button[aria-label="Send form"]') });
    const input = cardMessage.locator('input.ac-textInput').nth(0);
    await input.fill('typed, not sent');
    await cardMessage.locator('.ac-adaptiveCard').evaluate((el) => {
      (el as unknown as { marker?: string }).marker = 'original';
    });
    const replies = await botMessages().count();
    await send('help');
    await botMessages().nth(replies).waitFor();
    expect(
      await cardMessage.locator('.ac-adaptiveCard').evaluate((el) => (el as unknown as { marker?: string }).marker),
    ).to.equal('original');
    expect(await input.inputValue()).to.equal('typed, not sent');
  });

  it('flags a card newer than Webex supports (1.3) instead of rendering it', async () => {
    const directId = t.emulator.seed!.directRoom.id;
    await t.emulator.say({
      personId: t.emulator.bot.id,
      roomId: directId,
      text: 'Fallback: a 1.5 card',
      attachments: [
        {
          contentType: CARD_TYPE,
          content: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Too new' }] },
        },
      ],
    });
    const flagged = botMessages().filter({ hasText: 'Fallback: a 1.5 card' });
    await flagged.waitFor();
    expect(await flagged.locator('.card-flag').textContent())
      .to.include('version 1.5')
      .and.include('up to 1.3');
    expect(await flagged.locator('.ac-adaptiveCard').count()).to.equal(0);

    await t.emulator.say({
      personId: t.emulator.bot.id,
      roomId: directId,
      text: 'A 1.3 card with a 1.5 element',
      attachments: [
        {
          contentType: CARD_TYPE,
          content: {
            type: 'AdaptiveCard',
            version: '1.3',
            body: [
              { type: 'TextBlock', text: 'Shown' },
              { type: 'Table', columns: [] },
            ],
          },
        },
      ],
    });
    const partial = botMessages().filter({ has: page.locator('.ac-textBlock', { hasText: 'Shown' }) });
    await partial.waitFor();
    expect(await partial.locator('.card-notes summary').textContent()).to.match(/^Renderer notes \(1\)/);
  });

  it('renders markdown without raw HTML or unsafe links', async () => {
    const text =
      '**bold** <img src=x onerror="window.pwned=1"> [bad](javascript:alert(1)) [good](https://example.com/docs)';
    await send(text);
    const msg = room().locator('article.msg:not(.from-bot)', { hasText: 'bold' }).last();
    await msg.waitFor();
    const body = msg.locator('.msg-body');
    expect(await body.locator('strong').textContent()).to.equal('bold');
    expect(await body.locator('img').count()).to.equal(0);
    expect(await body.textContent()).to.include('<img src=x onerror="window.pwned=1">');
    expect(
      await body
        .locator('a')
        .evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.getAttribute('target'), a.getAttribute('rel')])),
    ).to.deep.equal([['https://example.com/docs', '_blank', 'noopener noreferrer nofollow']]);
    expect(await page.evaluate('typeof window.pwned')).to.equal('undefined');
  });

  it('adds a line with Shift+Enter and sends with Enter', async () => {
    const count = await room().locator('article.msg:not(.from-bot)').count();
    await composer().fill('line one');
    await composer().press('Shift+Enter');
    await composer().pressSequentially('line two');
    expect(await composer().inputValue()).to.equal('line one\nline two');
    expect(await room().locator('article.msg:not(.from-bot)').count()).to.equal(count);
    await composer().press('Enter');
    const sent = room().locator('article.msg:not(.from-bot)').nth(count);
    await sent.waitFor();
    expect(await sent.locator('.msg-body').innerHTML()).to.equal('<p>line one<br>\nline two</p>\n');
  });

  it('is usable from the keyboard: skip link to the message box, labelled controls, visible focus', async () => {
    const fresh = await context.newPage();
    try {
      await fresh.goto(`${t.emulator.url}/`);
      await fresh.locator('body[data-ready="true"]').waitFor();
      await fresh.keyboard.press('Tab');
      expect(await fresh.evaluate('document.activeElement.textContent')).to.equal('Skip to the message box');
      await fresh.keyboard.press('Enter');
      expect(await fresh.evaluate('document.activeElement.id')).to.equal('composer-input');
      expect(await fresh.getByLabel('Message', { exact: true }).getAttribute('id')).to.equal('composer-input');
      await fresh.keyboard.press('Shift+Tab');
      const focused = await fresh.evaluate(
        '(() => { const el = document.activeElement; return { name: el.name, label: el.closest("label")?.textContent, outline: getComputedStyle(el).outlineStyle }; })()',
      );
      expect(focused).to.deep.equal({ name: 'typist', label: 'Alice Example', outline: 'solid' });
      await fresh.keyboard.press('Tab');
      await fresh.keyboard.type('help');
      await fresh.keyboard.press('Enter');
      await fresh
        .locator('.room-log:not([hidden]) article.from-bot')
        .last()
        .filter({ hasText: 'Here is what I can do' })
        .waitFor();
    } finally {
      await fresh.close();
    }
  });

  it('collapses the side panel on a narrow window and opens it from the top bar', async () => {
    const narrow = await context.newPage();
    try {
      await narrow.setViewportSize({ width: 420, height: 800 });
      await narrow.goto(`${t.emulator.url}/`);
      await narrow.locator('body[data-ready="true"]').waitFor();
      expect(await narrow.locator('#activity').isVisible()).to.equal(false);
      expect(await narrow.evaluate('document.documentElement.scrollWidth')).to.be.at.most(420);
      await snap(narrow, '10-narrow');
      await narrow.locator('#activity-toggle').click();
      await narrow.locator('#activity').waitFor({ state: 'visible' });
      expect(await narrow.locator('#activity-toggle').getAttribute('aria-expanded')).to.equal('true');
      await snap(narrow, '11-narrow-panel');
      await narrow.keyboard.press('Escape');
      await narrow.locator('#activity').waitFor({ state: 'hidden' });
    } finally {
      await narrow.close();
    }
  });

  it('loaded everything from the emulator itself (no CDN) and raised no page errors', () => {
    const origin = new URL(t.emulator.url).origin;
    expect(requested.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('data:'))).to.deep.equal([]);
    expect(requested).to.include.members([`${origin}/vendor/adaptivecards.min.js`, `${origin}/vendor/markdown-it.mjs`]);
    expect(pageErrors).to.deep.equal([]);
  });
});
