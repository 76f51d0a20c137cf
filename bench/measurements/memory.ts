/**
 * memory: resident memory (RSS, from `/proc`) of the bot's node process after start, and after
 * 10,000 direct spaces have each sent it a message (`echo`), paced with 50 in flight so that it
 * is activity, not a burst. Ours vs the framework used as its README shows (its default
 * start-up), each against an emulator of its own holding the same 10,000 spaces, one after the
 * other (one round each: a round is 10,000 answered messages, and memory is not the noisy
 * figure that time is). "After" is read once the bot has been idle for 3 s; the peak while the
 * messages flowed (sampled every 100 ms) is kept in the details.
 */
import { startEmulator } from '../../src/emulator/index.js';
import { createDirectSpaces } from '../../test/scale/support/load.js';
import type { Measurement, MeasurementContext, MeasurementResult } from '../measurement.js';
import { ourBotArguments, rssMb, startBenchBot, type BotKind } from '../support/bot-process.js';
import { checkAnswers, sendEchoes } from '../support/echo-load.js';
import { WEBEX_LIKE_DELIVERY } from '../support/emulator-state.js';
import { idleNodeRssMb } from '../support/idle-node.js';
import { sampleRss } from '../support/rss-sampler.js';

const SPACES = 10_000;
const IN_FLIGHT = 50;
const IDLE_MS = 3_000;
const RUN_TIMEOUT_MS = 200_000;
const AFTER_START_GOAL_MB = 120;
const AFTER_ACTIVE_GOAL_MB = 200;

/** What one bot's round found. */
interface MemoryRound {
  readonly kind: BotKind;
  readonly afterStartMb: number;
  /** NaN when the round did not finish (see `failure`). */
  readonly afterActiveMb: number;
  readonly peakMb: number;
  readonly seconds: number;
  readonly answered: number;
  readonly lost: number;
  readonly doubled: number;
  /** Why the messages did not all get through (the bot exited, the run took too long). */
  readonly failure?: string;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (x: number): number => Number(x.toFixed(1));

async function measure(kind: BotKind, context: MeasurementContext): Promise<MemoryRound> {
  const emulator = await startEmulator({ seed: false, delivery: WEBEX_LIKE_DELIVERY });
  try {
    const spaces = createDirectSpaces(emulator, SPACES, `memory-${kind}`);
    const { bot } = await startBenchBot(kind, emulator, { readyTimeoutMs: 120_000 });
    try {
      await pause(IDLE_MS);
      const afterStartMb = rssMb(bot.pid);
      context.log(`${kind}: ${afterStartMb.toFixed(1)} MB after start`);
      const sampler = sampleRss(bot.pid);
      let failure: string | undefined;
      let seconds = NaN;
      let sent: Parameters<typeof checkAnswers>[2] = [];
      try {
        const run = await sendEchoes(emulator, spaces, {
          messages: SPACES,
          inFlight: IN_FLIGHT,
          tag: `memory-${kind}`,
          signal: context.signal,
          runTimeoutMs: RUN_TIMEOUT_MS,
          alive: () => {
            if (bot.process.child.exitCode !== null || bot.process.child.signalCode !== null)
              throw new Error(`the ${kind} bot exited (${bot.process.child.exitCode ?? bot.process.child.signalCode})`);
          },
        });
        seconds = run.seconds;
        sent = run.sent.filter(Boolean);
      } catch (err) {
        if (context.signal.aborted) throw err;
        failure = (err as Error).message;
      } finally {
        sampler.stop();
      }
      await pause(IDLE_MS);
      const gone = bot.process.child.exitCode !== null || bot.process.child.signalCode !== null;
      const afterActiveMb = failure || gone ? NaN : rssMb(bot.pid);
      const check = checkAnswers(emulator, spaces, sent);
      const round: MemoryRound = {
        kind,
        afterStartMb,
        afterActiveMb,
        peakMb: sampler.peakMb,
        seconds,
        answered: sent.length - check.lost,
        lost: check.lost,
        doubled: check.doubled,
        ...(failure ? { failure } : {}),
      };
      context.log(
        `${kind}: ${failure ? `did not finish: ${failure}` : `${afterActiveMb.toFixed(1)} MB after ${SPACES} spaces sent a message (${seconds.toFixed(0)} s, peak ${round.peakMb.toFixed(1)} MB)`}`,
      );
      return round;
    } finally {
      await bot.stop();
    }
  } finally {
    await emulator.stop();
  }
}

const describeRound = (r: MemoryRound): string =>
  r.failure
    ? `did not finish (${r.failure}; ${r.answered} of ${SPACES} answered)`
    : `${r.afterActiveMb.toFixed(1)} MB once idle (peak ${r.peakMb.toFixed(1)} MB while the ${SPACES.toLocaleString('en')} messages were answered in ${r.seconds.toFixed(0)} s; ${r.lost} lost, ${r.doubled} doubled)`;

export const memory: Measurement = {
  name: 'memory',
  title: 'Memory: RSS of the bot process',
  budgetMs: 9 * 60_000,
  async run(context) {
    // Floors: node alone (what the framework's process runs on), and node with our bot's flags (its loader) on an empty script.
    const ourFlags = ourBotArguments().slice(0, -1);
    const nodeAloneMb = await idleNodeRssMb([], '.js');
    const nodeWithOurFlagsMb = await idleNodeRssMb(ourFlags, ourBotArguments().at(-1)!.endsWith('.ts') ? '.ts' : '.js');
    const ours = await measure('ours', context);
    if (context.signal.aborted) throw new Error('aborted');
    const framework = await measure('framework', context);
    const details = {
      spaces: SPACES,
      inFlight: IN_FLIGHT,
      idleBeforeReadingMs: IDLE_MS,
      delivery: WEBEX_LIKE_DELIVERY,
      nodeAloneMb: mb(nodeAloneMb),
      nodeWithOurFlags: { flags: ourFlags.join(' '), mb: mb(nodeWithOurFlagsMb) },
      ours: {
        ...ours,
        afterStartMb: mb(ours.afterStartMb),
        afterActiveMb: mb(ours.afterActiveMb),
        peakMb: mb(ours.peakMb),
        seconds: mb(ours.seconds),
      },
      framework: {
        ...framework,
        afterStartMb: mb(framework.afterStartMb),
        afterActiveMb: mb(framework.afterActiveMb),
        peakMb: mb(framework.peakMb),
        seconds: mb(framework.seconds),
      },
    };
    const startMet = ours.afterStartMb <= AFTER_START_GOAL_MB;
    const rows: MeasurementResult[] = [
      {
        title: `Memory: RSS after start (${SPACES.toLocaleString('en')} spaces)`,
        figure: { value: ours.afterStartMb, unit: 'MB', label: 'ours' },
        baseline: { value: framework.afterStartMb, unit: 'MB', label: 'framework, default start-up' },
        goal: {
          valueAtMost: AFTER_START_GOAL_MB,
          description: `the bot's node process holds at most ${AFTER_START_GOAL_MB} MB once started and idle for ${IDLE_MS / 1000} s, in ${SPACES.toLocaleString('en')} spaces: close to the framework alone, so that small hosts (a 256 MB container) can run it. The framework's default start-up has built its objects for the first 1,000 spaces by then; ours knows none yet.`,
        },
        why: `ours held ${ours.afterStartMb.toFixed(1)} MB after start, the framework alone ${framework.afterStartMb.toFixed(1)} MB (${(ours.afterStartMb - framework.afterStartMb).toFixed(1)} MB ${ours.afterStartMb >= framework.afterStartMb ? 'more' : 'less'}). Ours knows no space yet at that point, so what it holds is its code: an idle node process holds ${nodeAloneMb.toFixed(1)} MB, and ${nodeWithOurFlagsMb.toFixed(1)} MB with our bot's flags (\`${ourFlags.join(' ')}\`) on a script doing nothing, so ${(ours.afterStartMb - nodeWithOurFlagsMb).toFixed(1)} MB is the bot's own modules and what they build at start (the framework and the SDK among them); the framework's process holds ${(framework.afterStartMb - nodeAloneMb).toFixed(1)} MB over node alone, for the framework, the SDK, express and its 1,000 scanned spaces.${startMet ? '' : ` The goal needs ${(ours.afterStartMb - AFTER_START_GOAL_MB).toFixed(1)} MB less.`}`,
        details,
      },
      {
        title: `Memory: RSS after ${SPACES.toLocaleString('en')} spaces each sent a message`,
        figure: { value: ours.afterActiveMb, unit: 'MB', label: ours.failure ? 'ours: did not finish' : 'ours' },
        baseline: {
          value: framework.afterActiveMb,
          unit: 'MB',
          label: framework.failure ? 'framework: did not finish' : 'framework, default start-up',
        },
        goal: {
          valueAtMost: AFTER_ACTIVE_GOAL_MB,
          description: `after ${SPACES.toLocaleString('en')} spaces have each sent a message (${IN_FLIGHT} in flight, each answered), and ${IDLE_MS / 1000} s idle, the process holds at most ${AFTER_ACTIVE_GOAL_MB} MB: what it keeps per space (caches, per-space state) must be bounded and small.`,
        },
        why: `ours ${describeRound(ours)}, ${ours.failure ? '' : `${(ours.afterActiveMb - ours.afterStartMb).toFixed(1)} MB more than after start (${(((ours.afterActiveMb - ours.afterStartMb) * 1024) / SPACES).toFixed(1)} kB per space if it were all kept per space; RSS also holds heap the garbage collector freed but did not give back); `}the framework alone ${describeRound(framework)}${framework.failure ? '' : `, ${(framework.afterActiveMb - framework.afterStartMb).toFixed(1)} MB more than after start (it keeps a bot object per space it has seen)`}.`,
        details,
      },
    ];
    return rows;
  },
};
