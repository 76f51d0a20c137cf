/**
 * The chat playground with a bot that reads and sends files, edits its messages and greets
 * people (headless Chromium, fixture skills in test/fixtures/skills/space-life): a person
 * attaches a file and the bot reads it; a file the bot sends shows as a link with its name and
 * size, and downloads; the bot's message edited over and over shows its last text, marked
 * edited; the bot added to a new space, a person added and removed from the members panel.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { startTestBot, type TestBot } from '../../src/testing/test-bot.js';
import { launchChromium, snap } from './support/browser.js';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('chat playground: files, edits and members (headless Chromium)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let page: Page;
  let t: TestBot;
  const pageErrors: string[] = [];

  before(async () => {
    browser = await launchChromium();
    t = await startTestBot({
      skillsDir: path.join(here, '../fixtures/skills/space-life'),
      cardsDir: mkdtempSync(path.join(tmpdir(), 'playground-files-cards-')),
    });
    page = await (
      await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true })
    ).newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(`${t.emulator.url}/`);
    await page.locator('body[data-ready="true"]').waitFor();
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  const log = () => page.locator('.room-log:not([hidden])');
  const fromBot = (text: string) => log().locator('article.msg.from-bot', { hasText: text });
  const type = async (text: string): Promise<void> => {
    await page.locator('#composer-input').fill(text);
    await page.locator('#composer-input').press('Enter');
  };

  it('attaches a file to a message: it shows as a link with name and size, and the bot reads it', async () => {
    await page.locator('#composer-file').setInputFiles({
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('twelve bytes'),
    });
    expect(await page.locator('#attachment-name').textContent()).to.equal('Attached: notes.txt (12 bytes)');
    await page.locator('#send').click();
    await fromBot('downloaded notes.txt: 12 bytes').waitFor();
    const mine = log().locator('article.msg:not(.from-bot)').last();
    await mine.locator('a.msg-file', { hasText: 'notes.txt' }).waitFor();
    expect(await mine.locator('.msg-file-size').textContent()).to.equal(' (12 bytes, text/plain)');
    expect(await page.locator('#attachment').isHidden()).to.equal(true);
    await snap(page, 'files-1-attached');
  });

  it("shows a file the bot sends as a link with its name and size, which downloads the file's bytes", async () => {
    await type('report');
    const sent = fromBot('The report');
    const link = sent.locator('a.msg-file', { hasText: 'report.csv' });
    await link.waitFor();
    await sent.locator('.msg-file-size', { hasText: '25 bytes' }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).to.equal('report.csv');
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString('utf8')).to.equal('name,score\nada,3\ngrace,5\n');
    await snap(page, 'files-2-bot-file');
  });

  it("shows the bot's edited message with its last text, marked edited", async () => {
    await type('countdown 3');
    await fromBot('countdown done: same message').waitFor();
    const edited = fromBot('liftoff');
    await edited.locator('.edited', { hasText: '(edited)' }).waitFor();
    expect(await edited.locator('.edited').count()).to.equal(1);
    expect(
      await log()
        .locator('article.msg.from-bot', { hasText: /\d left/ })
        .count(),
    ).to.equal(0);
    await snap(page, 'files-3-edited');
  });

  it('adds the bot to a new space, then adds and removes a person from the members panel', async () => {
    await page.locator('#new-space').click();
    await page.locator('#space-title', { hasText: 'New space' }).waitFor();
    await fromBot('recorder: added to New space').waitFor();
    await page.locator('#space-tools summary').click();
    await page.locator('#member-add-select').selectOption({ label: 'Bob Example' });
    await page.locator('#member-add').click();
    await fromBot('Welcome, Bob Example!').waitFor();
    await page.locator('#member-list li', { hasText: 'Bob Example' }).getByRole('button').click();
    await fromBot('Goodbye, Bob Example.').waitFor();
    await page.locator('#space-members', { hasText: /^Group space: Alice Example, Skill Bot$/ }).waitFor();
    await snap(page, 'files-4-members');
    expect(pageErrors).to.deep.equal([]);
  });
});
