/**
 * Several bot processes (`node --import tsx src/main.ts`, what `npm start` runs) on one Redis,
 * behind a round-robin proxy, against one emulator: the set-up of the several-instances tests
 * and of the scale-out benchmark.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Emulator } from '../../../src/emulator/index.js';
import { freePort, projectRoot, startNodeScript, type RunningProcess } from '../../e2e/support/processes.js';
import { startRoundRobinProxy, type RoundRobinProxy } from './round-robin-proxy.js';

/** The webhook secret of cluster bots. */
export const CLUSTER_SECRET = 'cluster-webhook-secret-0123456789';
/** The fixture skill `relay` (say / hold / reply-then-hold). */
export const RELAY_SKILLS = path.join(projectRoot, 'test/fixtures/skills/scale');

/** One bot process. */
export interface BotInstance {
  /** `a`, `b`, `c`...: also its `INSTANCE_NAME`, which the relay skill puts in its answers. */
  readonly name: string;
  readonly port: number;
  readonly process: RunningProcess;
  /** The status of `GET /readyz`, or 0 when it does not answer. */
  readyz(): Promise<number>;
  /** Its JSON log lines so far. */
  logLines(): Array<Record<string, unknown>>;
}

/** Options of {@link startCluster}. */
export interface ClusterOptions {
  readonly emulator: Emulator;
  readonly redisUrl: string;
  readonly instances: number;
  readonly skillsDir?: string;
  /** `REDIS_LEASE_TIMEOUT` in seconds (default 2: quick takeovers in tests). */
  readonly leaseSeconds?: number;
  /** More environment for every instance. */
  readonly env?: Record<string, string>;
}

/** Bot processes behind a proxy. */
export interface Cluster {
  readonly proxy: RoundRobinProxy;
  readonly bots: BotInstance[];
  /** Waits until every instance still running answers `/readyz` with 200. */
  ready(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function status(url: string): Promise<number> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2000) })).status;
  } catch {
    return 0;
  }
}

/** Waits until `bot` answers `/readyz` with 200 (fails with its output if it exits first). */
export async function waitReady(bot: BotInstance, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await bot.readyz()) !== 200) {
    if (bot.process.child.exitCode !== null)
      throw new Error(`bot ${bot.name} exited (${bot.process.child.exitCode}):\n${bot.process.output}`);
    if (Date.now() > deadline)
      throw new Error(`bot ${bot.name} not ready within ${timeoutMs} ms:\n${bot.process.output.slice(-4000)}`);
    await pause(100);
  }
}

/** Starts the proxy and `instances` bots (all at once, as a deployment does), and waits until all are ready. */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const ports = await Promise.all(Array.from({ length: options.instances }, () => freePort()));
  const proxy = await startRoundRobinProxy(ports);
  const bots = ports.map((port, i): BotInstance => {
    const name = String.fromCharCode(97 + i);
    const process = startNodeScript(`bot ${name}`, 'src/main.ts', {
      WEBEX_BOT_TOKEN: options.emulator.botToken,
      WEBEX_API_URL: options.emulator.apiUrl,
      WEBHOOK_URL: `${proxy.url}/webhook`,
      WEBHOOK_SECRET: CLUSTER_SECRET,
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_URL: options.redisUrl,
      REDIS_LEASE_TIMEOUT: String(options.leaseSeconds ?? 2),
      REPLY_RATE_LIMIT: '1000000',
      SKILLS_DIR: options.skillsDir ?? RELAY_SKILLS,
      // The relay skill sends no cards: an empty card folder (the project's cards need their skills).
      ...(options.skillsDir === undefined ? { CARDS_DIR: mkdtempSync(path.join(tmpdir(), 'wsb-cards-')) } : {}),
      STATE_DIR: mkdtempSync(path.join(tmpdir(), 'wsb-state-')),
      NODE_ENV: 'production',
      LOG_LEVEL: globalThis.process.env['DBG_LEVEL'] ?? 'info',
      INSTANCE_NAME: name,
      ...options.env,
    });
    return {
      name,
      port,
      process,
      readyz: () => status(`http://127.0.0.1:${port}/readyz`),
      logLines: () =>
        process.output
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as Record<string, unknown>),
    };
  });
  const cluster: Cluster = {
    proxy,
    bots,
    async ready(timeoutMs) {
      await Promise.all(
        bots
          .filter((b) => b.process.child.exitCode === null && b.process.child.signalCode === null)
          .map((b) => waitReady(b, timeoutMs)),
      );
    },
    async stop() {
      await Promise.all(bots.map((b) => b.process.stop(5000)));
      await proxy.stop();
    },
  };
  try {
    await cluster.ready();
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}
