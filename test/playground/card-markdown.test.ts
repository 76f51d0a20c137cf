/**
 * User text in a card, as the playground draws it (real headless Chromium, real bot): a topic
 * typed with markdown shows on the feedback card as typed — no bold, no link — while the card's
 * own text keeps its formatting.
 */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { startTestBot, type TestBot } from '../../src/testing/test-bot.js';
import { launchChromium } from './support/browser.js';

describe('user text in a card, in the playground (headless Chromium)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let page: Page;
  let t: TestBot;

  before(async () => {
    browser = await launchChromium();
    t = await startTestBot();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${t.emulator.url}/`);
    await page.locator('body[data-ready="true"]').waitFor();
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('shows a typed **bold** and [link](…) literally on the card', async () => {
    const typed = '**launch** [Verify](https://evil.example)';
    await page.locator('#composer-input').fill(`feedback ${typed}`);
    await page.locator('#composer-input').press('Enter');
    const card = page.locator('.room-log:not([hidden]) article.msg.from-bot .ac-adaptiveCard', {
      hasText: 'How is it going',
    });
    await card.waitFor();
    const topic = card.locator('.ac-textBlock', { hasText: 'Verify' });
    expect(await topic.textContent()).to.equal(typed);
    expect(await card.locator('a[href="https://evil.example"]').count()).to.equal(0);
    expect(await topic.locator('strong').count()).to.equal(0);
  });
});
