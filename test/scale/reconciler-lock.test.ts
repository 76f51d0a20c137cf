/**
 * One reconciler: of several instances, only the holder of the reconciler lock registers the
 * webhooks and runs the watchdog; the others wait for the webhooks, become ready, and take the
 * lock over when the holder dies.
 */
import { expect } from 'chai';
import type { Webhook } from '../../src/emulator/index.js';
import type { BotInstance } from './support/bot-cluster.js';
import { waitUntil } from './support/wait.js';
import { startScaleWorld, type ScaleWorld } from './support/world.js';

describe('several instances: one reconciler (a Redis lock for webhook registration and the watchdog)', function () {
  if (process.env['NEW_SKILL_TEST_NESTED']) return;
  this.timeout(90_000);
  let world: ScaleWorld;
  // The watchdog checks every second here, so that a deactivated webhook is noticed soon.
  before(async () => {
    world = await startScaleWorld({ instances: 3, env: { WEBHOOK_CHECK_INTERVAL: '1' } });
  });
  after(async () => {
    await world?.stop();
  });
  const emulator = () => world.emulator;

  /** Marks the firehose webhook inactive, as Webex does after failed deliveries (its owner cannot). */
  async function deactivate(): Promise<Webhook> {
    const hook = emulator()
      .webhooks()
      .find((w) => w.resource === 'all')!;
    expect(emulator().alterWebhook(hook.id, { status: 'inactive' }).status).to.equal('inactive');
    return hook;
  }
  const isActive = (hook: Webhook): boolean =>
    emulator()
      .webhooks()
      .find((w) => w.id === hook.id)?.status === 'active';
  const restoredBy = (bot: BotInstance): number =>
    bot.logLines().filter((l) => /re-activated/.test(String(l['message']))).length;
  const callsTo = (endpoint: string): number => emulator().calls()[endpoint] ?? 0;
  /**
   * Waits until `bot` has logged restoring `hook` (the emulator flips the status before the bot's
   * log line crosses the pipe, so the status alone would race the log), then until two more
   * watchdog rounds have run — each lists the webhooks once per webhook it keeps (two), so five
   * more lists are the rest of this round and two whole rounds — so that a restore repeated by
   * anybody would show: the emulator counts one PUT, the restore itself.
   */
  async function restoredOnceBy(bot: BotInstance, hook: Webhook, before: number, putsBefore: number): Promise<void> {
    await waitUntil('the holder logs restoring the webhook', () => restoredBy(bot) > before);
    expect(isActive(hook)).to.equal(true);
    const lists = callsTo('GET /v1/webhooks');
    await waitUntil('two more watchdog rounds have run', () => callsTo('GET /v1/webhooks') >= lists + 5);
    expect(callsTo('PUT /v1/webhooks/{id}')).to.equal(putsBefore + 1);
    expect(restoredBy(bot)).to.equal(before + 1);
  }

  it('three instances started together: the webhooks are created once, by the lock holder, and every instance becomes ready', async () => {
    expect(emulator().calls()['POST /v1/webhooks']).to.equal(2);
    expect(emulator().webhooks()).to.have.length(2);
    for (const bot of world.cluster.bots) expect(await bot.readyz()).to.equal(200);
    const holder = await world.view.reconcilerHolder(world.cluster.bots);
    expect(holder).to.not.equal(undefined);
    const createdBy = (b: BotInstance): number => b.logLines().filter((l) => l['message'] === 'webhook created').length;
    // Log lines cross a pipe: wait for the holder's two, then count everyone's.
    await waitUntil('the holder logged both webhooks created', () => createdBy(holder!) === 2);
    const created = world.cluster.bots.map(createdBy);
    expect(created[world.cluster.bots.indexOf(holder!)]).to.equal(2);
    expect(created.reduce((x, y) => x + y, 0)).to.equal(2);
  });

  it('the watchdog runs on the holder alone: a deactivated webhook is restored once', async () => {
    const holder = (await world.view.reconcilerHolder(world.cluster.bots))!;
    const puts = callsTo('PUT /v1/webhooks/{id}');
    await restoredOnceBy(holder, await deactivate(), 0, puts); // the holder's restore alone
    for (const other of world.cluster.bots.filter((b) => b !== holder)) expect(restoredBy(other)).to.equal(0);
  });

  it('the holder killed: another instance takes the lock over and restores the webhooks from then on; none is created again', async () => {
    const holder = (await world.view.reconcilerHolder(world.cluster.bots))!;
    holder.process.child.kill('SIGKILL');
    let next: BotInstance | undefined;
    await waitUntil('another instance holds the reconciler lock', async () => {
      next = await world.view.reconcilerHolder(world.cluster.bots);
      return next !== undefined && next !== holder;
    });
    if (!next) throw new Error('unreachable');
    // The lock is taken in Redis just before the new holder logs it.
    const holder2 = next;
    await waitUntil('the new holder logs taking the lock', () =>
      holder2.logLines().some((l) => /now registers and watches the webhooks/.test(String(l['message']))),
    );
    await restoredOnceBy(next, await deactivate(), 0, callsTo('PUT /v1/webhooks/{id}'));
    expect(emulator().calls()['POST /v1/webhooks']).to.equal(2);
    expect(emulator().webhooks()).to.have.length(2);
  });
});
