/**
 * The chat playground in websocket mode, in real headless Chromium: the same page and the same
 * conversation, with the bot hearing over its event socket — each message says so, and the side
 * panel shows the socket frames instead of webhooks.
 */
import { expect } from 'chai';
import type { Browser, Locator, Page } from 'playwright-core';
import { startTestBot, type TestBot } from '../../src/testing/test-bot.js';
import { launchChromium, snap } from './support/browser.js';

describe('chat playground in websocket mode (headless Chromium)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let page: Page;
  let t: TestBot;
  const pageErrors: string[] = [];

  before(async () => {
    browser = await launchChromium();
    t = await startTestBot({ transport: 'websocket' });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(`${t.emulator.url}/`);
    await page.locator('body[data-ready="true"]').waitFor();
  });

  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  const room = (): Locator => page.locator('.room-log:not([hidden])');

  async function send(text: string): Promise<void> {
    await page.locator('#composer-input').fill(text);
    await page.locator('#composer-input').press('Enter');
  }

  it('answers "help" the same way, and marks the message as heard over the socket', async () => {
    await send('help');
    await room().locator('article.msg.from-bot').filter({ hasText: 'Here is what I can do' }).waitFor();
    const mine = room().locator('article.msg:not(.from-bot)').first();
    await mine.locator('.transport[data-transport="socket"]').waitFor();
    expect(await mine.locator('.transport').textContent()).to.equal('via socket');
    await snap(page, 'ws-01-help');
  });

  it('shows the socket frames, not webhooks, behind the reply in the side panel', async () => {
    const reply = room().locator('article.msg.from-bot').filter({ hasText: 'Here is what I can do' });
    await reply.getByRole('button', { name: /Webhooks and API calls/ }).click();
    const section = page.locator('#activity .exchange.highlight');
    await section.waitFor();
    await section.locator('li.frame').nth(1).waitFor(); // the message, then the bot's own reply coming back
    expect(await section.locator('h4').allTextContents())
      .to.include('Over the event socket (2)')
      .and.not.include('Webhooks delivered (0)');
    const first = section.locator('li.frame').first();
    expect(await first.locator('.event').textContent()).to.equal('messages/created');
    expect(await first.locator('.chip').allTextContents()).to.include.members(['post', 'sent']);
    await first.locator('summary', { hasText: 'Frame JSON' }).click();
    const frame = JSON.parse((await first.locator('pre').textContent())!) as {
      data: { eventType: string; activity: { verb: string } };
    };
    expect(frame.data.eventType).to.equal('conversation.activity');
    expect(t.emulator.webhooks()).to.deep.equal([]);
    const calls = await section
      .locator('table.calls tbody tr')
      .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent)));
    expect(calls).to.deep.include(['GET', '/v1/messages/{id}']);
    await snap(page, 'ws-02-activity');
    expect(pageErrors).to.deep.equal([]);
  });
});
