/**
 * Redis failures: unreachable at start → the bot refuses to start, saying so; lost while running
 * → not ready, webhooks answered 503 (Webex delivers them again later) rather than risking a
 * double answer; back → ready again by itself, and the refused event is answered once.
 */
import { expect } from 'chai';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { freePort, startNodeScript } from '../e2e/support/processes.js';
import { CLUSTER_SECRET, type BotInstance } from './support/bot-cluster.js';
import { answersIn, createDirectSpaces, trackAnswered, type LoadSpace } from './support/load.js';
import { waitUntil } from './support/wait.js';
import { startScaleWorld, type ScaleWorld } from './support/world.js';

describe('several instances: Redis failures', function () {
  if (process.env['NEW_SKILL_TEST_NESTED']) return;
  this.timeout(90_000);
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator();
  });
  after(async () => {
    await emulator?.stop();
  });

  it('Redis unreachable at start: the bot refuses to start with a clear message (exit 1), the password hidden', async () => {
    const redisPort = await freePort(); // nothing listens there
    const bot = startNodeScript('bot', 'src/main.ts', {
      WEBEX_BOT_TOKEN: emulator.botToken,
      WEBEX_API_URL: emulator.apiUrl,
      WEBHOOK_URL: 'http://127.0.0.1:9/webhook',
      WEBHOOK_SECRET: CLUSTER_SECRET,
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      REDIS_URL: `redis://:not-for-logs-123@127.0.0.1:${redisPort}`,
    });
    expect(await bot.exitCode()).to.equal(1);
    expect(bot.output).to.include(
      `Could not start the bot: Could not connect to Redis at redis://:***@127.0.0.1:${redisPort} (REDIS_URL): `,
    );
    expect(bot.output).to.include('ECONNREFUSED').and.include('unset REDIS_URL to run a single instance');
    expect(bot.output).to.not.include('not-for-logs-123').and.not.include('    at ');
    expect(emulator.webhooks()).to.deep.equal([]); // it stopped before touching Webex's webhooks
  });

  describe('Redis lost while running, then back', () => {
    let world: ScaleWorld;
    let emulator: Emulator;
    let bot: BotInstance;
    let space: LoadSpace;
    // Refused deliveries are retried twice, then given up: Webex "delivers them again later" is a redeliver below.
    before(async () => {
      world = await startScaleWorld({ instances: 1, emulator: { delivery: { retryDelaysMs: [250, 500] } } });
      ({ emulator } = world);
      bot = world.cluster.bots[0]!;
      space = createDirectSpaces(emulator, 1, 'outage')[0]!;
      await world.view.settled(emulator);
    });
    after(async () => {
      await world?.stop();
    });

    const say = (text: string) => emulator.say({ personId: space.person.id, roomId: space.room.id, text });
    const answers = (): string[] => answersIn(emulator, space).map((m) => m.markdown ?? '');
    const readyz = async (): Promise<{ status: number; body: { unmet?: Array<{ condition: string }> } }> => {
      const res = await fetch(`http://127.0.0.1:${bot.port}/readyz`);
      return { status: res.status, body: (await res.json()) as { unmet?: Array<{ condition: string }> } };
    };

    it('/readyz fails and a webhook is answered 503 while Redis is gone; back, the bot is ready by itself and the event, delivered again, is answered once', async () => {
      const tracker = trackAnswered(emulator);
      await tracker.waitFor((await say('say before')).id);
      await waitUntil('the first message is answered', () => answers().length === 1);

      await world.redis.kill();
      await waitUntil('/readyz reports Redis', async () => {
        const r = await readyz();
        return r.status === 503 && (r.body.unmet ?? []).some((u) => u.condition === 'redis');
      });
      const during = await say('say during');
      await waitUntil('the delivery during the outage has ended', () =>
        emulator.deliveries().some((d) => d.dataId === during.id && d.state !== 'pending'),
      );
      const refused = emulator.deliveries().find((d) => d.dataId === during.id)!;
      expect(refused.state).to.equal('failed');
      expect(refused.attempts.map((x) => x.status)).to.deep.equal([503, 503, 503]);
      expect(answers()).to.have.length(1);

      await world.redis.restart(); // empty, as a Redis without persistence comes back
      await waitUntil('the bot is ready again', async () => (await readyz()).status === 200);
      // Webex delivers the refused event again later; the emulator does it now.
      const [again] = await emulator.redeliver(refused.id);
      expect(again!.attempts.at(-1)!.status).to.equal(200);
      await tracker.waitFor((await say('say after')).id);
      await waitUntil('both are answered', () => answers().length >= 3);
      tracker.stop();
      await world.view.settled(emulator);
      expect(answers()).to.deep.equal(['got before (a)', 'got during (a)', 'got after (a)']);
      const messages = (): string[] => bot.logLines().map((l) => String(l['message']));
      // Log lines cross a pipe and may trail what the emulator saw.
      await waitUntil('the bot logged losing Redis', () =>
        messages().includes('lost the connection to Redis: events are refused (503) until it is back'),
      );
      await waitUntil('the bot logged Redis back', () => messages().includes('connected to Redis again'));
    });
  });
});
