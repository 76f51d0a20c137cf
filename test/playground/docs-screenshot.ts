/**
 * Takes the README's screenshot of the playground (docs/playground.png) with real headless
 * Chromium at 1280×800, against the shipped skills: in "Team Space", Alice attaches a file to a
 * reminder for the space, and Bob joins the space's stand-up; the members panel is open, and the
 * side panel shows the webhooks and API calls of Bob's message.
 *
 *   node --import tsx test/playground/docs-screenshot.ts [output.png]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { startTestBot } from '../../src/testing/test-bot.js';
import { launchChromium } from './support/browser.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Sends what is in the composer (text, and a file if one is attached) and waits for the bot's next message. */
async function send(page: Page, text: string): Promise<void> {
  const fromBot = page.locator('.room-log:not([hidden]) article.msg.from-bot');
  const replies = await fromBot.count();
  await page.fill('#composer-input', text);
  await page.click('#send');
  await fromBot.nth(replies).waitFor();
}

/** Drives the playground through a short conversation and saves a 1280×800 screenshot to `file`. */
export async function takeDocsScreenshot(file: string): Promise<void> {
  const t = await startTestBot();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${t.emulator.url}/`);
    await page.locator('body[data-ready="true"]').waitFor();
    await page.locator('#space-list button.space', { hasText: 'Team Space' }).click();
    await page.locator('#space-title', { hasText: 'Team Space' }).waitFor();

    await page.locator('#composer-file').setInputFiles({
      name: 'release-notes.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from('# Release 0.3\n\n- Typed cards\n- npm test -- <file>\n'),
    });
    await send(page, 'remind here in 10 minutes to review the release notes');

    await page.locator('#typist').getByLabel('Bob Example').check();
    await send(page, 'standup join');
    const last = page.locator('.room-log:not([hidden]) article.msg.from-bot').last();
    await last.getByRole('button', { name: /Webhooks and API calls/ }).click();
    await page.locator('#activity .exchange.highlight').waitFor();

    await page.locator('#space-tools summary').click();
    await page.locator('#member-list li', { hasText: 'Bob Example' }).waitFor();
    // The open panel shrank the transcript: show its end again, the newest message at the bottom.
    await page.locator('.room-log:not([hidden])').evaluate((log) => {
      log.scrollTop = log.scrollHeight;
    });
    await page.screenshot({ path: file });
  } finally {
    await browser.close();
    await t.stop();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = path.resolve(process.argv[2] ?? path.join(here, '../../docs/playground.png'));
  await takeDocsScreenshot(out);
  process.stdout.write(`saved ${out}\n`);
}
