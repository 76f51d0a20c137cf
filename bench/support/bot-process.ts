/**
 * The two bots the benchmarks compare, as separate processes against an emulator the benchmark
 * runs: ours (the command behind `npm start`, without npm's wrapper process, so that its CPU and
 * memory are the bot's alone) and the baseline (`bench/baseline/framework-bot.cjs`, the framework
 * used as its README shows). Also the process's own accounting: CPU time and RSS from `/proc`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import type { Emulator } from '../../src/emulator/index.js';
import { cleanEnv, freePort, projectRoot, RunningProcess } from '../../test/e2e/support/processes.js';

/** The webhook secret both bots verify signatures with. */
export const BENCH_SECRET = 'bench-webhook-secret-0123456789abcdef';

/** Which bot. */
export type BotKind = 'ours' | 'framework';

/** A running bot process. */
export interface BenchBot {
  readonly kind: BotKind;
  readonly port: number;
  /** Where its webhook listens (POST). */
  readonly webhookUrl: string;
  readonly process: RunningProcess;
  /** The node process's id (the one doing the work). */
  readonly pid: number;
  /** Stops it (SIGTERM, then SIGKILL). */
  stop(): Promise<void>;
}

/** The node arguments that run our bot: what `npm start` runs (the compiled copy; `npm run bench` builds it first). */
export function ourBotArguments(): string[] {
  return ['--no-warnings', '--enable-source-maps', 'dist/src/main.js'];
}

/** Options for {@link startBenchBot}. */
export interface BenchBotOptions {
  /** More environment (e.g. `LOG_LEVEL`, `MAX_STARTUP_SPACES` for the baseline). */
  readonly env?: Record<string, string>;
  /** Longest wait for it to be ready (default 120 s). */
  readonly readyTimeoutMs?: number;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts one bot against `emulator` and resolves once it is ready: ours when `/readyz` answers
 * 200, the baseline when it logged "initialized" (its webhooks registered and its start-up scan
 * done). Resolves with the time it took too.
 */
export async function startBenchBot(
  kind: BotKind,
  emulator: Emulator,
  options: BenchBotOptions = {},
): Promise<{ bot: BenchBot; readyMs: number }> {
  const port = await freePort();
  const webhookUrl = `http://127.0.0.1:${port}/webhook`;
  const common = {
    WEBEX_BOT_TOKEN: emulator.botToken,
    WEBHOOK_URL: webhookUrl,
    WEBHOOK_SECRET: BENCH_SECRET,
    PORT: String(port),
  };
  const stateDir = kind === 'ours' ? mkdtempSync(path.join(tmpdir(), 'wsb-bench-state-')) : undefined;
  const env =
    kind === 'ours'
      ? {
          ...common,
          WEBEX_API_URL: emulator.apiUrl,
          HOST: '127.0.0.1',
          NODE_ENV: 'production',
          LOG_LEVEL: 'info',
          REPLY_RATE_LIMIT: '1000000',
          STATE_DIR: stateDir!,
          ...options.env,
        }
      : { ...common, HYDRA_SERVICE_URL: emulator.apiUrl, ...options.env };
  const args = kind === 'ours' ? ourBotArguments() : [path.join(projectRoot, 'bench/baseline/framework-bot.cjs')];
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: projectRoot,
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const running = new RunningProcess(child, kind === 'ours' ? 'our bot' : 'framework bot');
  const bot: BenchBot = {
    kind,
    port,
    webhookUrl,
    process: running,
    pid: child.pid!,
    async stop() {
      await running.stop(5000);
      if (stateDir) rmSync(stateDir, { recursive: true, force: true });
    },
  };
  try {
    const timeoutMs = options.readyTimeoutMs ?? 120_000;
    if (kind === 'framework') {
      await running.waitFor(/baseline framework initialized/, timeoutMs);
    } else {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (child.exitCode !== null)
          throw new Error(`our bot exited (${child.exitCode}):\n${running.output.slice(-4000)}`);
        const status = await fetch(`http://127.0.0.1:${port}/readyz`).then(
          (r) => r.status,
          () => 0,
        );
        if (status === 200) break;
        if (Date.now() > deadline)
          throw new Error(`our bot not ready within ${timeoutMs} ms:\n${running.output.slice(-4000)}`);
        await pause(10);
      }
    }
  } catch (err) {
    await bot.stop();
    throw err;
  }
  return { bot, readyMs: performance.now() - started };
}

/**
 * CPU time (user + system) the process has used so far, in ms (from `/proc/<pid>/stat`): all its
 * threads, or only thread `thread` (its main thread's id is `pid`).
 */
export function cpuMs(pid: number, thread?: number): number {
  const stat = readFileSync(thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`, 'utf8');
  // Fields after the command name (which is in parentheses and may hold spaces).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticksPerSecond = 100;
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}

/** Resident memory of the process now, in MB (from `/proc/<pid>/status`). */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/** Median of `xs` (the upper middle for an even count). */
export function median(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}
