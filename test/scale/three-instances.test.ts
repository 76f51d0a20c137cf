/**
 * The first "must show": three bot processes behind a round-robin proxy on one Redis,
 * 2,000 events over 50 spaces, a fifth of them delivered twice (half of those twins at the same
 * moment, so to another instance), and one instance killed with SIGKILL midway.
 */
import { expect } from 'chai';
import { answeredNumbers, answersIn, createDirectSpaces, sendLoad, waitForAnswers } from './support/load.js';
import { waitUntil } from './support/wait.js';
import { startScaleWorld, type ScaleWorld } from './support/world.js';

const SPACES = 50;
const PER_SPACE = 40;

describe('several instances: 3 bot processes behind a round-robin proxy on one Redis', function () {
  // The copy of the project that new-skill's test runs has nothing of its own to prove here.
  if (process.env['NEW_SKILL_TEST_NESTED']) return;
  this.timeout(240_000);
  let world: ScaleWorld;
  before(async () => {
    // Deliveries cut by the kill are delivered again (retries up to 8 s apart), as Webex does.
    world = await startScaleWorld({
      instances: 3,
      emulator: {
        delivery: {
          duplicates: { rate: 0.2, concurrent: 0.5, seed: 11 },
          retryDelaysMs: [250, 500, 1000, 2000, 4000, 8000],
        },
      },
    });
  });
  after(async () => {
    await world?.stop();
  });

  it('2,000 events over 50 spaces, 20 % delivered twice, one instance SIGKILLed midway: exactly 2,000 replies, none twice, per-space order kept, both webhooks registered once', async () => {
    const { emulator, cluster, view } = world;
    const spaces = createDirectSpaces(emulator, SPACES);
    await view.settled(emulator); // the bot's memberships of the new spaces: not counted
    // The instance that registers the webhooks is the one killed: its work and its lock are taken over.
    const victim = (await view.reconcilerHolder(cluster.bots))!;
    expect(victim, 'one instance holds the reconciler lock').to.not.equal(undefined);
    let killed = false;
    await sendLoad(emulator, spaces, PER_SPACE, {
      waitForAnswer: true,
      onSent: (total) => {
        if (total >= (SPACES * PER_SPACE) / 2 && !killed) {
          killed = true;
          victim.process.child.kill('SIGKILL');
        }
      },
    });
    await waitForAnswers(emulator, spaces, PER_SPACE, 120_000);
    await view.settled(emulator);

    expect(victim.process.child.signalCode).to.equal('SIGKILL');
    // Exactly 2,000 replies, each message answered once, in the order written, in every space.
    const replies = spaces.reduce((n, s) => n + answersIn(emulator, s).length, 0);
    const wrong = spaces.filter((s) => answeredNumbers(emulator, s).join() !== [...Array(PER_SPACE).keys()].join());
    const why = wrong
      .map(
        (s) =>
          `space ${s.index}: ${answersIn(emulator, s)
            .map((m) => (m.markdown ?? m.text ?? '').slice(0, 60))
            .join(' | ')}`,
      )
      .join('\n');
    const logs = cluster.bots
      .map((b) =>
        b
          .logLines()
          .filter((l) => l['level'] !== 'info' || /taken over/.test(String(l['message'])))
          .map((l) => `${b.name} ${JSON.stringify(l)}`)
          .join('\n'),
      )
      .join('\n');
    expect(replies, `${why}\n${logs.slice(0, 6000)}`).to.equal(SPACES * PER_SPACE);
    expect(why, logs.slice(0, 6000)).to.equal('');
    // The deliveries did what the test says: twins (some concurrent, so to another instance), and retries after the kill.
    const twins = emulator.deliveries().filter((d) => d.redeliveryCause === 'duplicate' && d.resource === 'messages');
    expect(twins.length).to.be.within(0.15 * SPACES * PER_SPACE, 0.25 * SPACES * PER_SPACE);
    expect(twins.filter((d) => d.concurrent).length).to.be.greaterThan(0.3 * twins.length);
    const survivors = cluster.bots.filter((b) => b !== victim);
    for (const b of survivors)
      expect(cluster.proxy.forwarded[cluster.bots.indexOf(b)]).to.be.greaterThan((SPACES * PER_SPACE) / 4);
    // Both webhooks were created once, by one instance, and never deleted or re-created; a survivor holds the lock now.
    const calls = emulator.calls();
    expect(calls['POST /v1/webhooks']).to.equal(2);
    expect(calls['DELETE /v1/webhooks/{id}'] ?? 0).to.equal(0);
    expect(
      emulator
        .webhooks()
        .map((w) => `${w.resource}/${w.event}`)
        .sort(),
    ).to.deep.equal(['all/all', 'attachmentActions/created']);
    await waitUntil('a survivor holds the reconciler lock', async () =>
      survivors.includes((await view.reconcilerHolder(cluster.bots))!),
    );
    // The survivors stayed ready throughout (they answer /readyz now).
    for (const b of survivors) expect(await b.readyz()).to.equal(200);
  });
});
