/**
 * Redis connections cut again and again while three instances are under load (as a flaky
 * network does): every command in flight fails, some after Redis ran it. Each step the queue
 * takes again must then be harmless to repeat — and the answers stay exactly once, in order.
 */
import { expect } from 'chai';
import { answeredNumbers, answersIn, createDirectSpaces, sendLoad, waitForAnswers } from './support/load.js';
import { startScaleWorld, type ScaleWorld } from './support/world.js';

const SPACES = 30;
const PER_SPACE = 30;

describe('several instances: Redis connections cut every 300 ms under load', function () {
  if (process.env['NEW_SKILL_TEST_NESTED']) return;
  this.timeout(180_000);
  let world: ScaleWorld;
  before(async () => {
    world = await startScaleWorld({
      instances: 3,
      emulator: {
        delivery: {
          duplicates: { rate: 0.2, concurrent: 0.5, seed: 3 },
          retryDelaysMs: [250, 500, 1000, 2000, 4000, 8000],
        },
      },
    });
  });
  after(async () => {
    await world?.stop();
  });

  it("900 events, 20 % delivered twice, every instance's connection cut again and again: each answered once, in order", async () => {
    const { emulator, cluster, view } = world;
    const spaces = createDirectSpaces(emulator, SPACES);
    await view.settled(emulator);
    let cuts = 0;
    const timer = setInterval(() => {
      void view.client.sendCommand(['CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes']).then(
        (n) => {
          cuts += Number(n);
        },
        () => undefined,
      );
    }, 300);
    try {
      await sendLoad(emulator, spaces, PER_SPACE, { waitForAnswer: true });
    } finally {
      clearInterval(timer);
    }
    await waitForAnswers(emulator, spaces, PER_SPACE, 120_000);
    await view.settled(emulator);
    expect(cuts).to.be.greaterThan(10);
    const wrong = spaces.filter((s) => answeredNumbers(emulator, s).join() !== [...Array(PER_SPACE).keys()].join());
    const why = wrong
      .map(
        (s) =>
          `space ${s.index}: ${answersIn(emulator, s)
            .map((m) => (m.markdown ?? '').slice(0, 50))
            .join(' | ')}`,
      )
      .join('\n');
    const logs = cluster.bots
      .map((b) =>
        b
          .logLines()
          .filter((l) => l['level'] === 'error')
          .map((l) => `${b.name} ${JSON.stringify(l)}`)
          .join('\n'),
      )
      .join('\n');
    expect(why, logs.slice(0, 6000)).to.equal('');
    expect(spaces.reduce((n, s) => n + answersIn(emulator, s).length, 0)).to.equal(SPACES * PER_SPACE);
  });
});
