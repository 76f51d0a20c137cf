/**
 * The playground shows "Notify from a script" when the bot serves POST /notify (as `npm start`
 * sets it up against the emulator): the commands name the open space, and the curl line, run as
 * shown, posts into it through the bot.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { startTestBot, type TestBot } from '../../src/testing/test-bot.js';
import { launchChromium, snap } from './support/browser.js';

const TOKEN = 'playground-notify-0123456789';

describe('chat playground: notify from a script (headless Chromium)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let page: Page;
  let t: TestBot;

  before(async () => {
    t = await startTestBot({ config: { notifyToken: TOKEN } });
    t.emulator.showNotify({ url: t.bot.notifyUrl!, token: TOKEN });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${t.emulator.url}/`);
    await page.locator('body[data-ready="true"]').waitFor();
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('offers the curl line and the npm command for the open space; the curl line posts there', async () => {
    await page.locator('#notify summary').click();
    const curl = (await page.locator('#notify-curl').textContent())!;
    expect(curl)
      .to.include(`curl -s -X POST ${t.bot.notifyUrl}`)
      .and.include(`Authorization: Bearer ${TOKEN}`)
      .and.include(`"roomId":"${t.direct.roomId}"`);
    expect(await page.locator('#notify-npm').textContent()).to.include(`npm run notify -- --room ${t.direct.roomId}`);
    await page.locator('#space-list button.space', { hasText: 'Team Space' }).click();
    await page.locator('#notify-curl', { hasText: t.group.roomId }).waitFor();
    await snap(page, 'notify-box');
    const shown = (await page.locator('#notify-curl').textContent())!;
    const { stdout } = await promisify(execFile)('bash', ['-c', shown]);
    expect(JSON.parse(stdout)).to.have.property('id');
    await page.locator('.room-log:not([hidden]) article.msg', { hasText: 'Build green' }).waitFor();
  });

  it('hides the box when the bot does not serve POST /notify', async () => {
    t.emulator.showNotify(undefined);
    await page.reload();
    await page.locator('body[data-ready="true"]').waitFor();
    expect(await page.locator('#notify').isHidden()).to.equal(true);
  });
});
