/**
 * The chat playground keeps up with the emulator while it is open (headless Chromium, no bot):
 * spaces and people created meanwhile, messages in other spaces, edits and deletions, and a
 * restarted emulator (the page reconnects and starts over).
 */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { launchChromium } from './support/browser.js';

describe('chat playground: live updates (headless Chromium)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let page: Page;
  let emulator: Emulator;
  const pageErrors: string[] = [];

  before(async () => {
    browser = await launchChromium();
    emulator = await startEmulator({ playground: true });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(`${emulator.url}/`);
    await page.locator('body[data-ready="true"]').waitFor();
  });

  after(async () => {
    await browser?.close();
    await emulator?.stop();
  });

  const spaceButton = (title: string) => page.locator('#space-list button.space', { hasText: title });
  const visibleLog = () => page.locator('.room-log:not([hidden])');

  it('lists a space created while it is open, with its new member as a writer', async () => {
    const carol = emulator.createPerson({ displayName: 'Carol New', email: 'carol@example.com' });
    emulator.createRoom({ type: 'group', title: 'Late Space', memberIds: [carol.id, emulator.bot.id] });
    await spaceButton('Late Space').waitFor();
    await spaceButton('Late Space').click();
    await page.locator('#space-title', { hasText: 'Late Space' }).waitFor();
    expect(await page.locator('#space-members').textContent()).to.equal('Group space: Carol New, Skill Bot');
    await page.locator('#typist', { hasText: 'Carol New' }).waitFor();
  });

  it('counts a message in a space not on screen, and shows it there', async () => {
    await spaceButton('Alice Example').click();
    await emulator.say({ personId: emulator.seed!.bob.id, roomId: emulator.seed!.groupRoom.id, text: 'psst' });
    await spaceButton('Team Space').locator('.unread', { hasText: '1' }).waitFor();
    await spaceButton('Team Space').click();
    await visibleLog().locator('article.msg', { hasText: 'psst' }).waitFor();
    expect(await spaceButton('Team Space').locator('.unread').count()).to.equal(0);
  });

  it('shows an edit and removes a deleted message', async () => {
    const sent = await emulator.say({
      personId: emulator.seed!.alice.id,
      roomId: emulator.seed!.groupRoom.id,
      text: 'tpyo',
    });
    const article = page.locator(`article[data-message-id="${sent.id}"]`);
    await article.waitFor();
    const token = emulator.seed!.alice.token;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const edit = await fetch(`${emulator.apiUrl}/messages/${sent.id}`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ roomId: sent.roomId, text: 'typo fixed' }),
    });
    expect(edit.status).to.equal(200);
    await article.locator('.msg-body', { hasText: 'typo fixed' }).waitFor();
    await article.locator('.edited').waitFor();
    const removed = await fetch(`${emulator.apiUrl}/messages/${sent.id}`, { method: 'DELETE', headers });
    expect(removed.status).to.equal(204);
    await article.locator('.msg-deleted', { hasText: 'This message was deleted.' }).waitFor();
    expect(await article.locator('.msg-body').count()).to.equal(0);
  });

  it('starts over when the emulator restarts (a new Webex: new ids), once its event stream is back', async () => {
    const port = Number(new URL(emulator.url).port);
    const oldBot = emulator.bot.id;
    await emulator.stop();
    await page.locator('#connection:not([data-status="open"])').waitFor();
    const reloaded = page.waitForEvent('load');
    emulator = await startEmulator({ playground: true, port });
    expect(emulator.bot.id).to.not.equal(oldBot);
    await reloaded;
    await page.locator('body[data-ready="true"]').waitFor();
    await page.locator('#connection[data-status="open"]').waitFor();
    await emulator.say({
      personId: emulator.seed!.alice.id,
      roomId: emulator.seed!.directRoom.id,
      text: 'fresh start',
    });
    await visibleLog().locator('article.msg', { hasText: 'fresh start' }).waitFor();
    expect(await page.locator('#space-list .space-title').allTextContents()).to.deep.equal([
      'Alice Example',
      'Team Space',
    ]);
    expect(pageErrors).to.deep.equal([]);
  });
});
