/**
 * Contract: `/v1/people` through the real SDK.
 */
import { expect } from 'chai';
import type { WebexSdk } from 'webex';
import { mintId, type Emulator } from '../../src/emulator/index.js';
import { expectApiError, sdkFor, startTestEmulator } from './helpers.js';

describe('emulator contract: people', () => {
  let emulator: Emulator;
  let bot: WebexSdk;

  before(async () => {
    emulator = await startTestEmulator();
    bot = await sdkFor(emulator, emulator.botToken);
  });
  after(async () => {
    await emulator.stop();
  });

  it("gets a person by id through the SDK's batched lookup (GET /v1/people/?id=...)", async () => {
    emulator.resetCalls();
    const [alice, bob] = await Promise.all([
      bot.people.get(emulator.seed!.alice.id),
      bot.people.get(emulator.seed!.bob.id),
    ]);
    expect(alice).to.include({ id: emulator.seed!.alice.id, displayName: 'Alice Example' });
    expect(alice.emails).to.deep.equal(['alice@example.com']);
    expect(bob).to.include({ displayName: 'Bob Example' });
    expect(emulator.calls()['GET /v1/people']).to.be.at.least(1);
  });

  it('lists people by a list of ids, naming those not found in notFoundIds', async () => {
    const unknown = mintId('PEOPLE');
    const res = await bot.request({ uri: `${emulator.apiUrl}/people?id=${emulator.seed!.bob.id},${unknown}` });
    const body = res.body as { items: Array<{ id: string }>; notFoundIds: string[] };
    expect(body.items.map((p) => p.id)).to.deep.equal([emulator.seed!.bob.id]);
    expect(body.notFoundIds).to.deep.equal([unknown]);
  });

  it('refuses more than 85 ids at once', async () => {
    const ids = Array.from({ length: 86 }, () => mintId('PEOPLE')).join(',');
    await expectApiError(bot.request({ uri: `${emulator.apiUrl}/people?id=${ids}` }), 400, /At most 85 ids/);
  });

  it('finds people by email (exact, case-insensitive) and by display name prefix', async () => {
    const byEmail = await bot.people.list({ email: 'ALICE@example.com' });
    expect(byEmail.items.map((p: { id: string }) => p.id)).to.deep.equal([emulator.seed!.alice.id]);
    const none = await bot.people.list({ email: 'nobody@example.com' });
    expect(none.items).to.deep.equal([]);
    const byName = await bot.people.list({ displayName: 'bob' });
    expect(byName.items.map((p: { displayName: string }) => p.displayName)).to.deep.equal(['Bob Example']);
  });

  it('answers 400 to a people list without email, displayName or id', async () => {
    await expectApiError(bot.people.list({}), 400, /Email, displayName, or id list should be specified/);
  });

  it('gets GET /v1/people/{id}, and 404 for an unknown id', async () => {
    const res = await bot.request({ uri: `${emulator.apiUrl}/people/${emulator.seed!.bob.id}` });
    expect((res.body as { displayName: string }).displayName).to.equal('Bob Example');
    await expectApiError(bot.request({ uri: `${emulator.apiUrl}/people/${mintId('PEOPLE')}` }), 404);
  });

  it('pages a long list with max and an absolute Link rel="next" that page.next() follows', async () => {
    for (let i = 1; i <= 5; i++) emulator.createPerson({ displayName: `Pager ${i}`, email: `pager${i}@example.com` });
    let page = await bot.people.list({ displayName: 'Pager', max: 2 });
    const names: string[] = page.items.map((p: { displayName: string }) => p.displayName);
    const sizes = [page.length];
    while (page.hasNext()) {
      page = await page.next();
      sizes.push(page.length);
      names.push(...page.items.map((p: { displayName: string }) => p.displayName));
    }
    expect(sizes).to.deep.equal([2, 2, 1]);
    expect(names).to.deep.equal(['Pager 1', 'Pager 2', 'Pager 3', 'Pager 4', 'Pager 5']);
    const raw = await fetch(`${emulator.apiUrl}/people?displayName=Pager&max=2`, {
      headers: { Authorization: `Bearer ${emulator.botToken}` },
    });
    expect(raw.headers.get('link')).to.match(
      new RegExp(`^<${emulator.apiUrl}/people\\?displayName=Pager&max=2&cursor=[\\w-]+>; rel="next"$`),
    );
  });
});
