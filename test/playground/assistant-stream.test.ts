/**
 * The playground shows the assistant's streamed answer live (headless Chromium): a bot whose
 * scripted model answers slowly, and the page showing the bot's message edited as the text
 * arrives — its text growing, marked "(edited)" — until the final text. The page records every
 * text it rendered (a MutationObserver), so the test reads what was shown, whatever its pace.
 */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { ScriptedProvider } from '../../src/assistant/scripted-provider.js';
import { startTestBot, type TestBot } from '../../src/testing/test-bot.js';
import { launchChromium } from './support/browser.js';

const PARTS = ['Once upon a time, ', 'a bot learned to stream its answers, ', 'one edit at a time. ', 'The end.'];

describe('chat playground: the assistant streams its answer live (headless Chromium)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let page: Page;
  let t: TestBot;
  const pageErrors: string[] = [];

  before(async () => {
    // A slow model: a pause after each part, long enough for an edit to show each.
    const model = new ScriptedProvider([PARTS.flatMap((text) => [{ text }, { delayMs: 400 }])]);
    t = await startTestBot({
      assistant: model,
      tuning: { assistant: { writer: { minIntervalMs: 50, minGrowthBytes: 1 } } },
      replyTimeoutMs: 20_000,
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(`${t.emulator.url}/`);
    await page.locator('body[data-ready="true"]').waitFor();
  });

  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('shows the message edited as the text arrives, until the final text', async () => {
    await page.locator('#space-list button.space', { hasText: 'Alice Example' }).click();
    // Every text each message's body shows, in order, as the page renders it.
    // (A string: the test runner's compiled functions would not run in the page.)
    await page.evaluate(`
      window.seen = {};
      new MutationObserver(() => {
        for (const article of document.querySelectorAll('article[data-message-id]')) {
          const id = article.getAttribute('data-message-id');
          const text = article.querySelector('.msg-body')?.textContent ?? '';
          const texts = (window.seen[id] ??= []);
          if (texts.at(-1) !== text) texts.push(text);
        }
      }).observe(document.body, { childList: true, subtree: true, characterData: true });
    `);
    const placeholder = t.emulator.waitForMessage({
      roomId: t.direct.roomId,
      personId: t.emulator.bot.id,
      timeoutMs: 20_000,
    });
    await t.direct.send('tell me a story');
    const { id } = await placeholder;
    const article = page.locator(`article[data-message-id="${id}"]`);
    await article.locator('.msg-body', { hasText: 'The end.' }).waitFor();
    await article.locator('.edited').waitFor();
    const shown = (await page.evaluate(`window.seen[${JSON.stringify(id)}] ?? []`)) as string[];
    const final = PARTS.join('').trim();
    expect(shown.at(-1)?.trim()).to.equal(final);
    const partial = shown.filter((text) => text.trim() !== '…' && text.trim() !== final);
    expect(partial.length, `texts shown: ${JSON.stringify(shown)}`).to.be.at.least(2);
    // Each text shown grows on the one before: the answer streamed, never went back.
    for (let i = 1; i < shown.length; i++) {
      if (shown[i - 1]!.trim() === '…') continue;
      expect(shown[i]!.startsWith(shown[i - 1]!.trim()), `${shown[i - 1]} → ${shown[i]}`).to.equal(true);
    }
    expect(pageErrors).to.deep.equal([]);
  });
});
