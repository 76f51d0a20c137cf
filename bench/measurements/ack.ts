/**
 * ack: signed webhook POSTs answered per second by our bot's webhook endpoint (the path of its
 * `WEBHOOK_URL`) vs a bare `node:http` server doing the same signature check and a 200
 * (`bench/support/bare-webhook-server.ts`), each a process of its own, loaded by a generator in
 * a third process (`bench/support/webhook-load.ts`: 50 keep-alive connections, a fixed number
 * of requests a round). The bodies are what Webex POSTs, built by the emulator's own envelope
 * code for the webhook our bot registered, signed with its secret. Twice:
 * - distinct events: `messages/created` events of the bot's own messages, each with an id of its
 *   own (the bot's answers come back through its firehose: the commonest distinct event a bot
 *   sees, and one it drops from the webhook's data before any Webex call, so what is measured is
 *   the path to the acknowledgement, not the handling);
 * - one event redelivered: a user's message, the same body every time (the first is taken, the
 *   rest are duplicates);
 * - distinct events from people: each a message of its own from a person, so each is claimed in
 *   the event journal in STATE_DIR (written and flushed to disk, group commit) before its 200 —
 *   the path every user's event takes. The handling that follows the 200 is held (the fetch of
 *   the message waits forever), so that what is measured is the acknowledgement path, as in the
 *   other two; the handling's own cost is the `events` measurement's.
 * A warm-up each, then rounds alternating ours / bare; figures are medians.
 */
import { cpus, loadavg } from 'node:os';
import { startEmulator } from '../../src/emulator/index.js';
import { buildEnvelope } from '../../src/emulator/delivery/envelope.js';
import type { WebexEvent } from '../../src/emulator/events.js';
import { startNodeScript, type RunningProcess } from '../../test/e2e/support/processes.js';
import { createDirectSpaces } from '../../test/scale/support/load.js';
import type { Measurement, MeasurementContext, MeasurementResult } from '../measurement.js';
import { BENCH_SECRET, cpuMs, median, startBenchBot } from '../support/bot-process.js';
import type { LoadResult, LoadSettings } from '../support/webhook-load.js';

const SPACES = 100;
const CONNECTIONS = 50;
const REQUESTS_PER_ROUND = 20_000;
const WARM_UP_REQUESTS = 3_000;
const ROUNDS = 5;

/** One round against one server. */
interface AckRound {
  readonly perSecond: number;
  /** The server's CPU per request (ms). */
  readonly serverCpuMs: number;
  /** The generator's CPU over the round's time (1 = a whole core). */
  readonly generatorCores: number;
  readonly statuses: Readonly<Record<string, number>>;
}

/** Runs the generator once; resolves with what it measured. */
async function generate(settings: LoadSettings, context: MeasurementContext): Promise<LoadResult> {
  const generator: RunningProcess = startNodeScript('webhook load', 'bench/support/webhook-load.ts', {}, [
    JSON.stringify(settings),
  ]);
  const onAbort = (): void => void generator.stop(1000);
  context.signal.addEventListener('abort', onAbort);
  try {
    const code = await generator.exitCode();
    const line = /^result (.+)$/m.exec(generator.output)?.[1];
    if (code !== 0 || line === undefined)
      throw new Error(`the load generator failed (exit ${code}):\n${generator.output.slice(-3000)}`);
    return JSON.parse(line) as LoadResult;
  } finally {
    context.signal.removeEventListener('abort', onAbort);
  }
}

/** One round: `requests` POSTs to `url`, with the server process `pid`'s CPU over it. */
async function round(settings: LoadSettings, pid: number, context: MeasurementContext): Promise<AckRound> {
  const before = cpuMs(pid);
  const result = await generate(settings, context);
  const serverCpu = cpuMs(pid) - before;
  const ok = Object.entries(result.statuses)
    .filter(([status]) => status.startsWith('2'))
    .reduce((n, [, count]) => n + count, 0);
  const refused = Object.keys(result.statuses).filter((s) => s === '400' || s === '401' || s === '413');
  if (refused.length > 0)
    throw new Error(
      `the server refused the bodies (${JSON.stringify(result.statuses)}): the benchmark's bodies or signatures are wrong`,
    );
  return {
    perSecond: ok / result.seconds,
    serverCpuMs: serverCpu / result.requests,
    generatorCores: result.cpuMs / 1000 / result.seconds,
    statuses: result.statuses,
  };
}

const round1 = (x: number): number => Number(x.toFixed(1));
const micro = (ms: number): string => `${(ms * 1000).toFixed(0)} µs`;

export const ack: Measurement = {
  name: 'ack',
  title: 'Webhook acknowledgements per second, ours vs a bare node:http server',
  budgetMs: 4 * 60_000,
  async run(context) {
    const loadBefore = loadavg()[0]!;
    const emulator = await startEmulator();
    let bare: RunningProcess | undefined;
    try {
      const spaces = createDirectSpaces(emulator, SPACES, 'ack');
      // The redelivered event: a user's message, written before any bot has a webhook (so nothing is delivered now).
      const writer = spaces[0]!;
      const message = await emulator.say({
        personId: writer.person.id,
        roomId: writer.room.id,
        text: 'echo redelivered',
      });
      // Every distinct event from a person is kept until handled: none refused for a full queue.
      const { bot } = await startBenchBot('ours', emulator, { env: { EVENT_QUEUE_LIMIT: '1000000' } });
      try {
        bare = startNodeScript('bare webhook server', 'bench/support/bare-webhook-server.ts', {
          BARE_WEBHOOK_SECRET: BENCH_SECRET,
        });
        const barePort = (await bare.waitFor(/bare webhook server listening on (\d+)/, 30_000))[1]!;
        const firehose = emulator.webhooks().find((w) => w.targetUrl === bot.webhookUrl && w.resource === 'all');
        if (!firehose) throw new Error(`our bot registered no firehose webhook for ${bot.webhookUrl}`);
        const ownAnswer: WebexEvent = {
          resource: 'messages',
          event: 'created',
          actorId: emulator.bot.id,
          data: {
            id: '',
            roomId: writer.room.id,
            roomType: 'direct',
            personId: emulator.bot.id,
            personEmail: emulator.bot.emails[0],
            created: '',
          },
          audience: [],
        };
        const userMessage: WebexEvent = {
          resource: 'messages',
          event: 'created',
          actorId: message.personId,
          data: {
            id: message.id,
            roomId: message.roomId,
            roomType: message.roomType,
            personId: message.personId,
            personEmail: message.personEmail,
            created: message.created,
          },
          audience: [],
        };
        const targets = [
          { side: 'ours', url: bot.webhookUrl, pid: bot.pid },
          {
            side: 'bare',
            url: `http://127.0.0.1:${barePort}${new URL(bot.webhookUrl).pathname}`,
            pid: bare.child.pid!,
          },
        ] as const;
        const modes = [
          { name: 'distinct', bodies: 'distinct', event: ownAnswer },
          { name: 'redelivered', bodies: 'same', event: userMessage },
          { name: 'journaled', bodies: 'distinct', event: userMessage },
        ] as const;
        const found: Record<string, Record<string, AckRound[]>> = {};
        for (const mode of modes) {
          if (mode.name === 'journaled')
            emulator.faults.add({ method: 'GET', path: '/v1/messages/{id}', hang: true, count: 1_000_000 });
          const settingsFor = (url: string, requests: number): LoadSettings => ({
            url,
            secret: BENCH_SECRET,
            requests,
            connections: CONNECTIONS,
            bodies: mode.bodies,
            envelope: buildEnvelope(firehose, mode.event) as LoadSettings['envelope'],
            roomIds: spaces.map((s) => s.room.id),
          });
          for (const t of targets) await round(settingsFor(t.url, WARM_UP_REQUESTS), t.pid, context);
          const rounds: Record<string, AckRound[]> = { ours: [], bare: [] };
          for (let r = 0; r < ROUNDS; r++) {
            for (const t of targets) {
              rounds[t.side]!.push(await round(settingsFor(t.url, REQUESTS_PER_ROUND), t.pid, context));
              const last = rounds[t.side]!.at(-1)!;
              context.log(
                `${mode.name}, round ${r + 1}, ${t.side}: ${last.perSecond.toFixed(0)}/s (server ${micro(last.serverCpuMs)} CPU a request; generator ${last.generatorCores.toFixed(2)} cores; ${JSON.stringify(last.statuses)})`,
              );
            }
          }
          found[mode.name] = rounds;
        }
        return modes.map((mode) => row(mode.name, found[mode.name]!['ours']!, found[mode.name]!['bare']!, loadBefore));
      } finally {
        await bot.stop();
      }
    } finally {
      await bare?.stop(5000);
      await emulator.stop();
    }
  },
};

/** The row of one mode. */
function row(
  mode: 'distinct' | 'redelivered' | 'journaled',
  ours: readonly AckRound[],
  bare: readonly AckRound[],
  loadBefore: number,
): MeasurementResult {
  const figure = median(ours.map((r) => r.perSecond));
  const baseline = median(bare.map((r) => r.perSecond));
  const ratio = figure / baseline;
  const goal = mode === 'distinct' ? 0.6 : 0.8;
  const titles = {
    distinct: 'Webhook acks per second, distinct events',
    redelivered: 'Webhook acks per second, one event redelivered',
    journaled: 'Webhook acks per second, distinct events from people (journaled before the 200)',
  } as const;
  const oursCpu = median(ours.map((r) => r.serverCpuMs));
  const bareCpu = median(bare.map((r) => r.serverCpuMs));
  const generatorCores = median(bare.map((r) => r.generatorCores));
  const what = {
    distinct:
      "distinct `messages/created` events of the bot's own messages (each with its own id, spread over 100 spaces): which the bot recognises from the webhook's signed data and answers at once, before any claim, queue or Webex call",
    redelivered:
      "one user's message delivered over and over, the very same body and signature: the first is taken, every other one is answered as a duplicate",
    journaled:
      'distinct `messages/created` events from a person (each with its own id, spread over 100 spaces), each written to the event journal and flushed to disk before its 200 (group commit), then handled in the same process',
  }[mode];
  const statuses = (rounds: readonly AckRound[]): Record<string, number> => {
    const all: Record<string, number> = {};
    for (const r of rounds) for (const [k, v] of Object.entries(r.statuses)) all[k] = (all[k] ?? 0) + v;
    return all;
  };
  return {
    title: titles[mode],
    figure: { value: figure, unit: 'acks/s', label: 'ours' },
    baseline: { value: baseline, unit: 'acks/s', label: 'bare node:http + HMAC check' },
    goal: {
      ratioAtLeast: goal,
      description: `ours answers at least ${goal}× the signed webhook POSTs per second of a bare \`node:http\` server that checks the same signature and answers 200: ${what}. ${REQUESTS_PER_ROUND.toLocaleString('en')} POSTs a round over ${CONNECTIONS} keep-alive connections from a load generator in a process of its own, ${ROUNDS} rounds alternating after a warm-up; medians. Only 2xx answers count.`,
    },
    why:
      `ours answered ${figure.toFixed(0)}/s, the bare server ${baseline.toFixed(0)}/s (${ratio.toFixed(2)}×). Per request the bot's process used ${micro(oursCpu)} of CPU, the bare server's ${micro(bareCpu)}: ` +
      (ratio >= goal
        ? 'met.'
        : `the gap is the bot's own work per request, on one event loop: at ${micro(oursCpu)} a request one core acknowledges at most ~${((1 / oursCpu) * 1000).toFixed(0)}/s${mode === 'distinct' ? ', and each distinct event is also taken in and dropped in the same process' : ', each duplicate recognised as one before its answer'}. At ${figure.toFixed(0)}/s the bot's process kept ${((figure * oursCpu) / 1000).toFixed(2)} of a core busy, the bare server ${((baseline * bareCpu) / 1000).toFixed(2)} at its ${baseline.toFixed(0)}/s${loadBefore > cpus().length ? ` (other work shared the machine: load average ${loadBefore.toFixed(1)} on ${cpus().length} cores before the run, ${loadavg()[0]!.toFixed(1)} after)` : ''}.`) +
      ` The generator used ${generatorCores.toFixed(2)} cores during the bare server's rounds${generatorCores > 0.85 ? ', so it, not the bare server, may have set the bare figure: the true ratio is then lower' : ''}; the machine has 2.`,
    details: {
      requestsPerRound: REQUESTS_PER_ROUND,
      loadAverageBefore: Number(loadBefore.toFixed(2)),
      loadAverageAfter: Number(loadavg()[0]!.toFixed(2)),
      connections: CONNECTIONS,
      rounds: ROUNDS,
      oursPerSecond: ours.map((r) => Math.round(r.perSecond)),
      barePerSecond: bare.map((r) => Math.round(r.perSecond)),
      oursServerCpuUsPerRequest: ours.map((r) => round1(r.serverCpuMs * 1000)),
      bareServerCpuUsPerRequest: bare.map((r) => round1(r.serverCpuMs * 1000)),
      generatorCoresOurs: ours.map((r) => Number(r.generatorCores.toFixed(2))),
      generatorCoresBare: bare.map((r) => Number(r.generatorCores.toFixed(2))),
      oursStatuses: statuses(ours),
      bareStatuses: statuses(bare),
    },
  };
}
