/**
 * The provision form in the chat playground, in real headless Chromium against a real bot: a bad
 * e-mail shows the errors on the card (the card's own rule, checked as Webex clients do, before
 * anything is sent); an e-mail that already has a request is refused by the bot, which sends the
 * card back with the error next to the field and what was typed kept, in the place of the card sent
 * (which shows as deleted); fixing it replaces the form with the summary card. Each step leaves a
 * screenshot in test-artifacts/playground/.
 */
import { expect } from 'chai';
import type { Browser, Locator, Page } from 'playwright-core';
import type { AttachmentAction, EmulatorEvent } from '../../src/emulator/index.js';
import { startTestBot, type TestBot } from '../../src/testing/test-bot.js';
import { launchChromium, snap } from './support/browser.js';

describe('provision form in the playground (headless Chromium)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let page: Page;
  let t: TestBot;
  let firstForm: Locator;
  const actions: AttachmentAction[] = [];
  const pageErrors: string[] = [];

  before(async () => {
    browser = await launchChromium();
    t = await startTestBot();
    t.emulator.onEvent((e: EmulatorEvent) => {
      if (e.kind === 'attachment-action') actions.push(e.action);
    });
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(`${t.emulator.url}/`);
    await page.locator('body[data-ready="true"]').waitFor();
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  const botMessages = (): Locator => page.locator('.room-log:not([hidden]) article.msg.from-bot');

  /** Asks for a form and returns the newest card message holding it. */
  async function openForm(): Promise<Locator> {
    const count = await botMessages().count();
    await page.locator('#composer-input').fill('provision');
    await page.locator('#composer-input').press('Enter');
    await botMessages().nth(count).waitFor();
    const form = botMessages().nth(count);
    await form.locator('.ac-adaptiveCard', { hasText: 'Request an account' }).waitFor();
    return form;
  }

  async function fill(
    form: Locator,
    values: { name: string; email: string; department: string; start: string },
  ): Promise<void> {
    await form.getByLabel('Full name').fill(values.name);
    await form.getByLabel(/^E-mail/).fill(values.email);
    await form.locator('select').selectOption({ label: values.department });
    await form.locator('input[type="date"]').fill(values.start);
  }

  const submit = (form: Locator): Promise<void> => form.locator('button[aria-label="Request account"]').click();

  it('a bad e-mail shows the error on the card, and nothing is sent', async () => {
    const form = await openForm();
    firstForm = form;
    await fill(form, { name: 'Ada Lovelace', email: 'ada-at-example', department: 'Engineering', start: '2099-03-01' });
    const before = actions.length;
    await submit(form);
    expect(await form.textContent()).to.include('Enter an e-mail address, like ada@example.com');
    expect(await form.locator('.ac-input-validation-failed').count()).to.equal(1);
    expect(await form.locator('.card-status').textContent()).to.equal(
      'Not sent: fill in the highlighted fields first.',
    );
    expect(actions.length).to.equal(before);
    await snap(page, 'provision-1-bad-email');
  });

  it('fixing it confirms, with the summary card carrying the request id', async () => {
    const form = firstForm;
    await form.getByLabel(/^E-mail/).fill('ada@example.com');
    await submit(form);
    // The form gives way to the summary: it shows as deleted, and the summary is the newest message.
    const summary = botMessages().filter({ hasText: 'Account requested' }).last();
    await summary.waitFor();
    await form.locator('.msg-deleted').waitFor();
    const text = (await summary.textContent())!;
    expect(text)
      .to.match(/Request PRV-[0-9A-Z]{6}/)
      .and.include('Ada Lovelace')
      .and.include('ada@example.com')
      .and.include('Engineering')
      .and.include('2099-03-01');
    expect(actions.at(-1)!.inputs).to.include({
      fullName: 'Ada Lovelace',
      email: 'ada@example.com',
      department: 'engineering',
      startDate: '2099-03-01',
    });
    await summary.scrollIntoViewIfNeeded();
    await snap(page, 'provision-2-confirmed');
  });

  it('an e-mail that already has a request: the bot sends the card back with the error next to the field, keeping what was typed', async () => {
    const form = await openForm();
    await fill(form, { name: 'Ada Again', email: 'ADA@example.com', department: 'Sales', start: '2099-04-01' });
    await submit(form);
    const again = botMessages()
      .filter({ has: page.locator('.ac-adaptiveCard', { hasText: 'Please fix the field marked below' }) })
      .last();
    await again.waitFor();
    // In the place of the card sent: that one shows as deleted, not a second card stacked under it.
    await form.locator('.msg-deleted').waitFor();
    const card = again.locator('.ac-adaptiveCard');
    expect(await card.textContent()).to.match(
      /ada@example\.com already has a pending request \(PRV-[0-9A-Z]{6}, by Alice Example\)/,
    );
    expect(await card.getByLabel('Full name').inputValue()).to.equal('Ada Again');
    expect(await card.getByLabel(/^E-mail/).inputValue()).to.equal('ADA@example.com');
    expect(await card.locator('select').inputValue()).to.equal('sales');
    expect(await card.locator('.ac-textBlock', { hasText: 'already has a pending request' }).isVisible()).to.equal(
      true,
    );
    await again.scrollIntoViewIfNeeded();
    await snap(page, 'provision-3-duplicate-shown-on-card');

    const againId = await again.getAttribute('data-message-id');
    await card.getByLabel(/^E-mail/).fill('ada.again@example.com');
    await card.locator('button[aria-label="Request account"]').click();
    const summary = botMessages().filter({ hasText: 'ada.again@example.com' }).last();
    await summary.waitFor();
    await page.locator(`article[data-message-id="${againId}"] .msg-deleted`).waitFor();
    expect(await summary.textContent())
      .to.include('ada.again@example.com')
      .and.include('Sales');
    await summary.scrollIntoViewIfNeeded();
    await snap(page, 'provision-4-fixed-confirmed');
    expect(pageErrors).to.deep.equal([]);
  });
});
