/**
 * Scheduled jobs with several instances on one real redis-server: three bots (in this process, so
 * that they share one controllable clock) each see the 09:30 tick, and the job runs on exactly one
 * of them — its message is posted once. Also the claim itself, from two connections at once.
 */
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type RunningBot, startBot } from '../../src/bot.js';
import { loadConfig } from '../../src/config.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { createLogger } from '../../src/logging.js';
import { connectRedis } from '../../src/scale/redis-client.js';
import { RedisStore } from '../../src/store/redis-store.js';
import { ManualClock } from '../../src/testing/manual-clock.js';
import { capturedLog, type LogLine } from '../e2e/support/captured-log.js';
import { freePort } from '../e2e/support/processes.js';
import { startRedis, type TestRedis } from './support/redis-server.js';
import { waitUntil } from './support/wait.js';

const skillsDir = path.resolve('test/fixtures/skills/jobs');

describe('several instances: a job runs once per tick', function () {
  this.timeout(60_000);
  let redis: TestRedis;
  let emulator: Emulator;
  const bots: Array<{ bot: RunningBot; lines: LogLine[] }> = [];
  const clock = new ManualClock('2030-03-04T09:29:00Z');

  before(async () => {
    redis = await startRedis();
    emulator = await startEmulator({ delivery: { retryDelaysMs: [50, 100] } });
    const cardsDir = mkdtempSync(path.join(tmpdir(), 'wsb-cards-'));
    // One webhook URL for all (as behind a load balancer): the first instance's.
    const ports = [await freePort(), await freePort(), await freePort()];
    for (let i = 0; i < 3; i++) {
      const { log, lines } = capturedLog('debug');
      const config = {
        ...loadConfig({}),
        stateDir: mkdtempSync(path.join(tmpdir(), 'wsb-state-')),
        transport: 'webhook' as const,
        webhookSecret: 'jobs-cluster-secret-0123456789',
        apiUrl: emulator.apiUrl,
        port: ports[i]!,
        host: '127.0.0.1',
        webhookUrl: `http://127.0.0.1:${ports[0]}/webhook`,
        skillsDir,
        cardsDir,
        redisUrl: redis.url,
        redisLeaseMs: 2000,
      };
      bots.push({ bot: await startBot({ config, token: emulator.botToken, log, tuning: { clock } }), lines });
    }
  });
  after(async () => {
    for (const b of bots) await b.bot.stop(2000);
    await emulator?.stop();
    await redis?.stop();
  });

  it('the 09:30 job posts once, though three instances see the tick; the next day once again', async () => {
    const greetings = () =>
      emulator.transcript(emulator.seed!.directRoom.id).filter((m) => m.text?.startsWith('Good morning'));
    for (const [tick, expected] of [
      ['2030-03-04T09:30:00.000Z', 1],
      ['2030-03-05T09:30:00.000Z', 2],
    ] as const) {
      clock.set(tick);
      await waitUntil('each instance settled the tick', () =>
        bots.every(({ lines }) =>
          lines.some(
            (l) => l['tick'] === tick && (l.message === 'job done' || l.message === 'another instance runs this tick'),
          ),
        ),
      );
      expect(greetings().map((m) => m.text)).to.have.length(expected);
      expect(greetings().at(-1)?.text).to.equal(`Good morning (${tick})`);
      const ran = bots.filter(({ lines }) => lines.some((l) => l['tick'] === tick && l.message === 'job done'));
      expect(ran).to.have.length(1);
    }
  });

  it('the claim on the Redis store: of many concurrent claims of one tick from two connections, one wins', async () => {
    const log = createLogger({ silent: true });
    const one = await connectRedis({ url: redis.url, log });
    const two = await connectRedis({ url: redis.url, log });
    try {
      const stores = [new RedisStore(one.client, 'test:claim:'), new RedisStore(two.client, 'test:claim:')];
      const wins = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          stores[i % 2]!.claim('job:standup:prompt:2030-03-04T09:30:00.000Z', i, { ttlMs: 60_000 }),
        ),
      );
      expect(wins.filter(Boolean)).to.have.length(1);
    } finally {
      await one.close();
      await two.close();
    }
  });
});
