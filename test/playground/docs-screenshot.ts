/**
 * Takes the README's screenshot of the playground (docs/playground.png) with real headless
 * Chromium at 1280×800: a conversation with the bot, the seed card rendered and submitted, and
 * the webhooks and API calls of that submission in the side panel.
 *
 *   node --import tsx test/playground/docs-screenshot.ts [output.png]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestBot } from '../../src/testing/test-bot.js';
import { launchChromium } from './support/browser.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Drives the playground through a short conversation and saves a 1280×800 screenshot to `file`. */
export async function takeDocsScreenshot(file: string): Promise<void> {
  const seedCard = readFileSync(path.join(here, '../fixtures/seed-card.json'), 'utf8');
  const t = await startTestBot();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${t.emulator.url}/`);
    await page.locator('body[data-ready="true"]').waitFor();
    const say = async (text: string): Promise<void> => {
      const replies = await page.locator('article.msg.from-bot').count();
      await page.fill('#composer-input', text);
      await page.press('#composer-input', 'Enter');
      await page.locator('article.msg.from-bot').nth(replies).waitFor();
    };
    await say('help');
    await say(seedCard);
    const card = page.locator('article.msg.from-bot', { has: page.locator('.ac-adaptiveCard') });
    await card.locator('input.ac-textInput').fill('Hello from the playground');
    await card.locator('button[aria-label="Submit"]').click();
    const echo = card.locator('.thread article.from-bot');
    await echo.waitFor();
    await echo.getByRole('button', { name: /Webhooks and API calls/ }).click();
    await page.locator('#activity .exchange.highlight').waitFor();
    // Alice's pasted JSON at the top, then the card and the start of its thread.
    await card.evaluate((el) => {
      const log = el.closest('#transcript')!;
      const pasted = el.previousElementSibling ?? el;
      log.scrollTop += pasted.getBoundingClientRect().top - log.getBoundingClientRect().top - 4;
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
