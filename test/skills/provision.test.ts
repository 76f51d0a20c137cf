import { expect } from 'chai';
import MarkdownIt from 'markdown-it';
import sinon from 'sinon';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Message } from '../../src/emulator/index.js';
import {
  buttonsShown,
  cardOf,
  errorsShown,
  inputsShown,
  startTestBot,
  textShown,
  type Conversation,
  type TestBot,
} from '../../src/testing/test-bot.js';
import { earliestStartDate } from '../../skills/provision.js';
import { stateFs } from '../../src/store/state-fs.js';
import { postToBot } from '../e2e/support/settle.js';

const START = '2099-03-01';
const form = (over: Record<string, string> = {}) => ({
  'Full name': 'Ada Lovelace',
  'E-mail': 'ada@example.com',
  Department: 'engineering',
  'Start date': START,
  ...over,
});
const requestIdOf = (summary: Message): string => /Request (PRV-[0-9A-Z]{6})/.exec(textShown(summary))![1]!;

async function request(
  c: Conversation,
  over: Record<string, string> = {},
  as?: 'alice' | 'bob',
): Promise<{ card: Message; reply: Message }> {
  const card = await c.say('provision', as ? { as } : {});
  return { card, reply: await c.submit(card, form(over), as ? { as } : {}) };
}

describe('skill: provision', () => {
  let t: TestBot;
  before(async () => {
    t = await startTestBot();
  });
  after(() => t.stop());

  it('sends the request form: the fields, the departments, no start date before today', async () => {
    const card = await t.direct.say('provision');
    expect(inputsShown(card).map((i) => [i.id, i.label])).to.deep.equal([
      ['fullName', 'Full name'],
      ['email', 'E-mail'],
      ['department', 'Department'],
      ['startDate', 'Start date'],
      ['managerEmail', "Manager's e-mail (optional)"],
    ]);
    const content = JSON.stringify(cardOf(card));
    expect(content)
      .to.include('"value":"engineering"')
      .and.include('"title":"People & HR"')
      .and.include(`"min":"${earliestStartDate()}"`);
  });

  it('a valid form becomes a request, confirmed with a summary card carrying its id, and stored', async () => {
    const { card, reply } = await request(t.direct, {
      'E-mail': 'Ada@Example.com',
      "Manager's e-mail (optional)": 'grace@example.com',
    });
    // The summary took the form's place: the form is gone, nothing is left to press.
    expect(reply.parentId).to.equal(undefined);
    await t.settled();
    expect(t.direct.transcript().map((m) => m.id)).to.not.include(card.id);
    const id = requestIdOf(reply);
    expect(textShown(reply))
      .to.include('Account requested')
      .and.include('Full name: Ada Lovelace')
      .and.include('E-mail: ada@example.com')
      .and.include('Department: Engineering')
      .and.include(`Start date: ${START}`)
      .and.include('Manager: grace@example.com')
      .and.include('Requested by: Alice Example');
    const stored = await t.state('provision').skill.get<Record<string, unknown>>(`request:${id}`);
    expect(stored).to.deep.include({
      id,
      fullName: 'Ada Lovelace',
      email: 'ada@example.com',
      department: 'engineering',
      startDate: START,
      managerEmail: 'grace@example.com',
      status: 'pending',
    });
    expect(await t.state('provision').space.get('requests')).to.deep.equal([id]);
    expect(await t.state('provision', { card }).card.get('submitted')).to.equal(id);
  });

  it("provision list shows this space's requests, and only this space's", async () => {
    const list = await t.direct.say('provision list');
    expect(list.markdown).to.match(
      /^Account requests in this space:\n- `PRV-[0-9A-Z]{6}` Ada Lovelace \(ada@example\.com\), Engineering, starts 2099-03-01 — requested by Alice Example$/,
    );
    expect((await t.group.say('provision list')).markdown).to.equal(
      'No account requests in this space yet. Type `provision` to make one.',
    );
  });

  it('an accepted form cannot be sent again: it was replaced by its summary', async () => {
    const { card, reply } = await request(t.direct, { 'E-mail': 'ben@example.com', 'Full name': 'Ben' });
    expect(requestIdOf(reply)).to.match(/^PRV-/);
    await t.settled();
    let refused: unknown;
    try {
      await t.direct.submit(card, form({ 'E-mail': 'other@example.com', 'Full name': 'Other' }));
    } catch (err) {
      refused = err;
    }
    expect((refused as Error).message).to.match(/Could not find a message/);
    expect((await t.direct.say('provision list')).markdown).to.not.include('other@example.com');
  });

  it('a duplicate e-mail gets the card back with the error next to the e-mail, and no second request', async () => {
    const before = (await t.state('provision').space.get<string[]>('requests'))!.length;
    const { reply } = await request(t.direct, { 'E-mail': 'ADA@example.com', 'Full name': 'Ada Again' });
    expect(errorsShown(reply).fields).to.deep.equal({
      email:
        'ada@example.com already has a pending request (' +
        (await t.state('provision').skill.get<string>('email:ada@example.com')) +
        ', by Alice Example)',
    });
    expect(inputsShown(reply).find((i) => i.id === 'fullName')?.value).to.equal('Ada Again');
    expect((await t.state('provision').space.get<string[]>('requests'))!.length).to.equal(before);
    // Fixed on the card sent back, the same form goes through.
    const fixed = await t.direct.submit(reply, { 'E-mail': 'ada.again@example.com' });
    expect(textShown(fixed)).to.include('Account requested').and.include('E-mail: ada.again@example.com');
  });

  it("a start date in the past: refused by the card's own minimum, the card sent back with the error", async () => {
    const { reply } = await request(t.direct, { 'Start date': '2020-01-01', 'E-mail': 'past@example.com' });
    expect(errorsShown(reply)).to.deep.equal({
      banner: 'Please fix the field marked below, then send again.',
      fields: { startDate: `Start date must be on or after ${earliestStartDate()}` },
    });
    expect(inputsShown(reply).find((i) => i.id === 'startDate')?.value).to.equal('2020-01-01');
  });

  it('a start date that has passed since the form was sent: refused by the skill, next to the field', async () => {
    // A form the bot sent long ago, whose minimum date was then still in the future.
    const old = structuredClone(cardOf(await t.direct.say('provision')));
    const text = JSON.stringify(old).replace(`"min":"${earliestStartDate()}"`, '"min":"2000-01-01"');
    const sent = await t.emulator.say({
      personId: t.emulator.bot.id,
      roomId: t.direct.roomId,
      text: 'form',
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: JSON.parse(text) }],
    });
    const reply = await t.direct.submit(sent, form({ 'Start date': '2001-01-01', 'E-mail': 'old@example.com' }));
    expect(errorsShown(reply).fields).to.deep.equal({ startDate: '2001-01-01 has passed: pick today or a later date' });
  });

  it('each validation rule of the card reaches the user as errors on the card; the handler does not run', async () => {
    const card = await t.direct.say('provision');
    const reply = await t.direct.submit(card, {
      'Full name': '',
      'E-mail': 'not-an-email',
      Department: 'astronauts',
      'Start date': 'soon',
      "Manager's e-mail (optional)": 'x'.repeat(255),
    });
    expect(errorsShown(reply).fields).to.deep.equal({
      fullName: "Enter the person's full name",
      email: 'Enter an e-mail address, like ada@example.com',
      department: 'Department: pick one of: Engineering, Sales, Marketing, Finance, People & HR, Operations',
      startDate: 'Start date must be a date (YYYY-MM-DD)',
      managerEmail: "Manager's e-mail (optional): at most 254 characters (this has 255)",
    });
    expect(errorsShown(reply).banner).to.equal('Please fix the 5 fields marked below, then send again.');
    expect(await t.state('provision', { card }).card.get('submitted')).to.equal(undefined);
  });

  it('provision cancel: only by its requester, after a Yes; then the e-mail can be requested again', async () => {
    const { reply } = await request(t.group, { 'E-mail': 'cara@example.com', 'Full name': 'Cara' });
    const id = requestIdOf(reply);
    expect((await t.group.say(`provision cancel ${id}`, { as: 'bob' })).markdown).to.equal(
      `Only Alice Example, who requested \`${id}\`, or an admin can cancel it.`,
    );
    expect((await t.direct.say(`provision cancel ${id}`)).markdown).to.equal(
      `There is no request \`${id}\` in this space. \`provision list\` shows them.`,
    );
    const confirm = await t.group.say(`provision cancel ${id.toLowerCase()}`);
    expect(textShown(confirm)).to.include('Are you sure?').and.include(`Cancel request ${id}: the account for Cara`);
    expect(buttonsShown(confirm).map((b) => b.title)).to.deep.equal(['Yes', 'No']);
    expect((await t.state('provision').skill.get<{ status: string }>(`request:${id}`))?.status).to.equal('pending');
    expect((await t.group.press(confirm, 'Yes')).markdown).to.equal(
      `Cancelled \`${id}\`: the account for Cara (cara@example.com) will not be created.`,
    );
    expect((await t.group.say(`provision cancel ${id}`)).markdown).to.equal(`\`${id}\` is already cancelled.`);
    expect((await t.group.say('provision list')).markdown)
      .to.include(`\`${id}\` Cara (cara@example.com)`)
      .and.include('— **cancelled**');
    expect(textShown((await request(t.group, { 'E-mail': 'cara@example.com', 'Full name': 'Cara' })).reply)).to.include(
      'Account requested',
    );
  });

  it("the summary card's buttons cancel (as whoever presses, after a Yes) and list", async () => {
    const { reply } = await request(t.group, { 'E-mail': 'dan@example.com', 'Full name': 'Dan' });
    const id = requestIdOf(reply);
    expect(buttonsShown(reply).map((b) => b.title)).to.deep.equal(['Cancel this request', 'List requests']);
    expect((await t.group.press(reply, 'List requests', { as: 'bob' })).markdown).to.include(`\`${id}\` Dan`);
    expect((await t.group.press(reply, 'Cancel this request', { as: 'bob' })).markdown).to.equal(
      `Only Alice Example, who requested \`${id}\`, or an admin can cancel it.`,
    );
    const confirm = await t.group.press(reply, 'Cancel this request');
    expect((await t.group.press(confirm, 'Yes')).markdown).to.match(new RegExp(`^Cancelled \`${id}\``));
  });

  it('answers a provision card that no longer matches the form as out of date, storing nothing', async () => {
    const old = cardOf(await t.direct.say('provision'));
    (old['body'] as Array<Record<string, unknown>>).push({ type: 'Input.Text', id: 'phone', label: 'Phone' });
    const sent = await t.emulator.say({
      personId: t.emulator.bot.id,
      roomId: t.direct.roomId,
      text: 'form',
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: old }],
    });
    const reply = await t.direct.submit(sent, form({ 'E-mail': 'stale@example.com' }));
    expect(reply.markdown).to.match(/^This card is from an older version of me and can no longer be sent/);
    expect(await t.state('provision').skill.get('email:stale@example.com')).to.equal(undefined);
  });

  it("a requester's markdown stays text on the summary card shown to the space (no link, no bold)", async () => {
    const typed = '**urgent** [Verify](https://evil.example)';
    const { reply } = await request(t.group, { 'Full name': typed, 'E-mail': 'md@example.com' });
    const facts = (cardOf(reply)['body'] as Array<Record<string, unknown>>).find((o) => o['type'] === 'FactSet')!;
    expect(facts['facts']).to.deep.include({
      title: 'Full name',
      value: '\\*\\*urgent\\*\\* \\[Verify\\](https://evil.example)',
    });
    expect(textShown(reply)).to.include(`Full name: ${typed}`);
    // Rendered as card markdown (CommonMark), it is the text typed: no link, no bold.
    const value = (facts['facts'] as Array<Record<string, string>>)[0]!['value']!;
    expect(new MarkdownIt({ html: false }).renderInline(value)).to.equal(typed);
    // The request itself keeps the name as typed, and the card's buttons their commands.
    const id = requestIdOf(reply);
    expect((await t.state('provision').skill.get<{ fullName: string }>(`request:${id}`))?.fullName).to.equal(typed);
    expect(buttonsShown(reply)[0]!.data['_command']).to.equal(`provision cancel ${id}`);
  });
});

describe('skill: provision, across a restart (file store in STATE_DIR)', () => {
  let t: TestBot;
  const stateDir = mkdtempSync(path.join(tmpdir(), 'provision-state-'));
  before(async () => {
    t = await startTestBot({ stateDir });
  });
  after(() => t.stop());

  it('keeps requests, and a form sent before the restart is still one request', async () => {
    const { card, reply } = await request(t.direct, { 'E-mail': 'eve@example.com', 'Full name': 'Eve' });
    const id = requestIdOf(reply);
    const unsent = await t.direct.say('provision');
    await t.restart();
    expect((await t.direct.say('provision list')).markdown).to.include(`\`${id}\` Eve (eve@example.com)`);
    expect(t.direct.transcript().map((m) => m.id)).to.not.include(card.id);
    const later = await t.direct.submit(unsent, form({ 'E-mail': 'eve@example.com' }));
    expect(errorsShown(later).fields['email']).to.equal(
      `eve@example.com already has a pending request (${id}, by Alice Example)`,
    );
    const ok = await t.direct.submit(later, { 'E-mail': 'frank@example.com' });
    expect(textShown(ok)).to.include('E-mail: frank@example.com');
  });
});

describe('skill: provision, the same submission handled twice (a crash or a takeover)', () => {
  let t: TestBot;
  before(async () => {
    // Claims in memory only (no event journal): the repeat reaches the handler again, as when an
    // instance takes over an event whose first holder died after the side effect.
    t = await startTestBot({
      stateDir: mkdtempSync(path.join(tmpdir(), 'provision-twice-')),
      tuning: { eventJournal: false },
    });
  });
  after(() => t.stop());

  it('makes one request, and the repeat (its form already replaced) makes none and says nothing more', async () => {
    const { card, reply } = await request(t.direct, { 'E-mail': 'twice@example.com', 'Full name': 'Tom' });
    const id = requestIdOf(reply);
    const delivery = t.emulator
      .deliveries()
      .find((d) => d.resource === 'attachmentActions' && d.state === 'delivered')!;
    // A new process (its memory of handled events gone, the state file kept) gets the same event again.
    await t.restart();
    const res = await postToBot(t, delivery.body);
    expect(res.status).to.equal(200);
    // The form was replaced by its summary the first time: the repeat finds no form, and does nothing.
    await t.settled();
    expect(t.direct.transcript().map((m) => m.id)).to.not.include(card.id);
    expect(
      t.direct.transcript().filter((m) => m.personId === t.emulator.bot.id && textShown(m).includes(id)),
    ).to.have.length(1);
    expect(await t.state('provision').space.get('requests')).to.deep.equal([id]);
    expect(await t.state('provision').skill.get('email:twice@example.com')).to.equal(id);
  });
});

describe('skill: provision, when the state file cannot be written (a full disk)', () => {
  let t: TestBot;
  before(async () => {
    // The failed submission's apology is what this test looks at.
    t = await startTestBot({ stateDir: mkdtempSync(path.join(tmpdir(), 'provision-full-')), apologies: 'return' });
  });
  after(async () => {
    sinon.restore();
    await t.stop();
  });

  it('the form is not taken as sent: once the disk has room, the same form makes the request', async () => {
    const card = await t.direct.say('provision');
    const rename = stateFs.rename;
    const full = sinon
      .stub(stateFs, 'rename')
      .callsFake((from, to) =>
        path.basename(to) === 'state.json'
          ? Promise.reject(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }))
          : rename(from, to),
      );
    const failed = await t.direct.submit(card, form({ 'E-mail': 'full@example.com', 'Full name': 'Fay' }));
    expect(full.called).to.equal(true);
    expect(failed.markdown).to.match(/^Sorry, something went wrong while handling that/);
    full.restore();
    expect(await t.state('provision', { card }).card.get('submitted')).to.equal(undefined);
    const again = await t.direct.submit(card, form({ 'E-mail': 'full@example.com', 'Full name': 'Fay' }));
    expect(textShown(again)).to.include('Account requested').and.include('Full name: Fay');
    expect((await t.direct.say('provision list')).markdown).to.include('Fay (full@example.com)');
  });
});
