/**
 * burst: 10,000 direct spaces each sending the bot a first message at the same moment, then
 * 1,000 more first messages right after, from 1,000 other spaces: all answered, none lost or
 * doubled (read from the transcripts: an answer quotes its message's id, so a message counts as
 * answered once whether its delivery needed retries or not), the time to drain them all, the
 * bot's peak RSS (sampled from `/proc` every 100 ms) and the Webex calls per first contact.
 *
 * The same run first measures the bot's steady state: 2,000 first messages from 2,000 other
 * spaces with 50 in flight (messages answered per second). Webhooks are delivered as Webex
 * would (`WEBEX_LIKE_DELIVERY`: 10 s to answer, retries over 75 s): a bot that refuses a
 * delivery (503, backpressure) gets it again later.
 *
 * Ours, then the framework used as its README shows (its default start-up), each against an
 * emulator of its own with the same spaces: 1,000 idle ones created first (the framework's
 * start-up scans its first page of 1,000), 2,000 for the steady state, 11,000 for the burst.
 * One round each (a round is 13,000 answered messages). The framework alone is known to crash
 * in this burst: what happened to it is reported, not treated as a failure of the measurement.
 */
import { cpus, loadavg } from 'node:os';
import { startEmulator, type Emulator, type Message } from '../../src/emulator/index.js';
import { createDirectSpaces, type LoadSpace } from '../../test/scale/support/load.js';
import type { Measurement, MeasurementContext, MeasurementResult } from '../measurement.js';
import { startBenchBot, type BenchBot, type BotKind } from '../support/bot-process.js';
import { checkAnswers, idsQuoted, sendEchoes } from '../support/echo-load.js';
import { callTotal, WEBEX_LIKE_DELIVERY } from '../support/emulator-state.js';
import { sampleRss } from '../support/rss-sampler.js';

const IDLE_SPACES = 1_000;
const STEADY_MESSAGES = 2_000;
const STEADY_IN_FLIGHT = 50;
const BURST = 10_000;
const MORE = 1_000;
/** Longest wait for the burst to drain, from its first message. */
const DRAIN_TIMEOUT_MS = 240_000;
/** After the last answer (or the bot's end), longest wait for deliveries still being retried, so that late doubles are seen. */
const SETTLE_TIMEOUT_MS = 20_000;
/** The issue's own check: of the messages sent right after the burst, how many were answered within this. */
const PROMPT_MS = 60_000;
const PEAK_GOAL_MB = 250;

/** How the webhook deliveries of a burst went, from the emulator's delivery events. */
interface DeliveryTally {
  attempts: number;
  /** Attempts answered 503 (the bot refusing work, for Webex to deliver again). */
  refused: number;
  timedOut: number;
  /** Attempts with no HTTP answer (connection reset, refused...). */
  noAnswer: number;
  /** Deliveries that failed every attempt (Webex gives up on those events). */
  failed: number;
  /** Deliveries still being retried, by id. */
  readonly pending: Set<string>;
  /** Events (`data.id`) of which some delivery attempt was refused with 503. */
  readonly refusedEvents: Set<string>;
}

/** What one bot's round found. */
interface BurstRound {
  readonly kind: BotKind;
  readonly steadyPerSecond: number;
  /** Calls per first contact in the steady state (all answered, none refused). */
  readonly steadyCallsPerContact: number;
  /** First message of the burst to the last answer; undefined when not all were answered in time. */
  readonly drainSeconds: number | undefined;
  readonly answered: number;
  readonly lost: number;
  readonly doubled: number;
  readonly outOfOrder: number;
  /** Of the 1,000 sent right after, answered within 60 s of being sent. */
  readonly moreAnsweredPromptly: number;
  readonly peakMb: number;
  readonly calls: Record<string, number>;
  readonly deliveries: Omit<DeliveryTally, 'pending' | 'refusedEvents'> & { stillPending: number };
  /** Messages answered only after a refused delivery came again, and when the last answer of each kind came (s from the first message). */
  readonly redelivered: {
    readonly messages: number;
    readonly lastAnswerSeconds: number;
    readonly lastFirstTimeAnswerSeconds: number;
  };
  /** When the bot process ended during the burst: after how long, its exit, and its last error lines. */
  readonly crash?: { afterSeconds: number; exit: string; lastErrors: string[] };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isGone = (bot: BenchBot): boolean => bot.process.child.exitCode !== null || bot.process.child.signalCode !== null;

/** Counts the emulator's delivery attempts (for the bot's webhooks) as they happen. */
function tallyDeliveries(emulator: Emulator): { tally: DeliveryTally; stop: () => void } {
  const tally: DeliveryTally = {
    attempts: 0,
    refused: 0,
    timedOut: 0,
    noAnswer: 0,
    failed: 0,
    pending: new Set(),
    refusedEvents: new Set(),
  };
  const stop = emulator.onEvent((e) => {
    if (e.kind !== 'delivery') return;
    tally.attempts++;
    if (e.status === 503) {
      tally.refused++;
      tally.refusedEvents.add(e.dataId);
    } else if (e.status === undefined && /timeout/.test(e.error ?? '')) tally.timedOut++;
    else if (e.status === undefined) tally.noAnswer++;
    if (e.state === 'pending') tally.pending.add(e.deliveryId);
    else tally.pending.delete(e.deliveryId);
    if (e.state === 'failed') tally.failed++;
  });
  return { tally, stop };
}

/** The last lines of the bot's output that name an error (what it crashed with). */
function lastErrors(output: string): string[] {
  return output
    .split('\n')
    .filter((l) => /error|hang up|unhandled|ECONN|EMFILE|heap/i.test(l))
    .slice(-5)
    .map((l) => l.slice(0, 300));
}

/** Writes the first message of every space in `spaces`, all at once, and resolves with them (in order). */
async function fire(emulator: Emulator, spaces: readonly LoadSpace[], tag: string): Promise<Message[]> {
  const sent: Message[] = [];
  for (const s of spaces)
    sent.push(await emulator.say({ personId: s.person.id, roomId: s.room.id, text: `echo ${tag} ${s.index}` }));
  return sent;
}

async function measure(kind: BotKind, context: MeasurementContext): Promise<BurstRound> {
  const emulator = await startEmulator({ seed: false, delivery: WEBEX_LIKE_DELIVERY });
  try {
    createDirectSpaces(emulator, IDLE_SPACES, `burst-idle-${kind}`);
    const steadySpaces = createDirectSpaces(emulator, STEADY_MESSAGES, `burst-steady-${kind}`);
    const burstSpaces = createDirectSpaces(emulator, BURST + MORE, `burst-${kind}`);
    const { bot } = await startBenchBot(kind, emulator, { readyTimeoutMs: 120_000 });
    try {
      emulator.resetCalls();
      const steady = await sendEchoes(emulator, steadySpaces, {
        messages: STEADY_MESSAGES,
        inFlight: STEADY_IN_FLIGHT,
        tag: `steady-${kind}`,
        signal: context.signal,
        runTimeoutMs: 120_000,
      });
      const steadyPerSecond = (STEADY_MESSAGES - steady.unanswered) / steady.seconds;
      const steadyCallsPerContact = callTotal(emulator.calls()) / (STEADY_MESSAGES - steady.unanswered);
      context.log(
        `${kind}: steady state ${steadyPerSecond.toFixed(1)} first messages answered per second (${steady.unanswered} unanswered)`,
      );
      await pause(2_000);

      emulator.resetCalls();
      const answeredAt = new Map<string, number>();
      const offAnswers = emulator.onMessage((m) => {
        if (m.personId !== emulator.bot.id) return;
        for (const id of idsQuoted(m)) if (!answeredAt.has(id)) answeredAt.set(id, performance.now());
      });
      const { tally, stop: offTally } = tallyDeliveries(emulator);
      const sampler = sampleRss(bot.pid);
      let crash: BurstRound['crash'];
      let sent: Message[] = [];
      let moreSentAt = 0;
      const started = performance.now();
      try {
        sent = await fire(emulator, burstSpaces.slice(0, BURST), `burst-${kind}`);
        moreSentAt = performance.now();
        sent.push(...(await fire(emulator, burstSpaces.slice(BURST), `more-${kind}`)));
        context.log(
          `${kind}: ${BURST + MORE} first messages sent in ${((performance.now() - started) / 1000).toFixed(1)} s`,
        );
        const deadline = started + DRAIN_TIMEOUT_MS;
        let lastLog = performance.now();
        while (sent.some((m) => !answeredAt.has(m.id)) && performance.now() < deadline && !isGone(bot)) {
          if (context.signal.aborted) throw new Error('aborted');
          await pause(100);
          if (performance.now() - lastLog > 15_000) {
            lastLog = performance.now();
            context.log(
              `${kind}: ${sent.filter((m) => answeredAt.has(m.id)).length} of ${sent.length} answered after ${((lastLog - started) / 1000).toFixed(0)} s, ${sampler.peakMb.toFixed(0)} MB peak`,
            );
          }
        }
        if (isGone(bot)) {
          crash = {
            afterSeconds: (performance.now() - started) / 1000,
            exit: String(bot.process.child.exitCode ?? bot.process.child.signalCode),
            lastErrors: lastErrors(bot.process.output),
          };
          context.log(
            `${kind}: the bot process ended after ${crash.afterSeconds.toFixed(0)} s (${crash.exit}): ${crash.lastErrors.at(-1) ?? ''}`,
          );
        }
        const settleBy = performance.now() + SETTLE_TIMEOUT_MS;
        while (tally.pending.size > 0 && !isGone(bot) && performance.now() < settleBy) await pause(200);
      } finally {
        sampler.stop();
        offTally();
        offAnswers();
      }
      const answerTimes = sent.map((m) => answeredAt.get(m.id));
      const allAnswered = answerTimes.every((t) => t !== undefined);
      const lastAnswer = Math.max(...answerTimes.map((t) => t ?? 0));
      const check = checkAnswers(emulator, burstSpaces, sent);
      const lastOf = (ms: Message[]): number =>
        Math.max(0, ...ms.map((m) => ((answeredAt.get(m.id) ?? started) - started) / 1000));
      const refusedFirst = sent.filter((m) => tally.refusedEvents.has(m.id));
      const round: BurstRound = {
        kind,
        steadyPerSecond,
        steadyCallsPerContact,
        drainSeconds: allAnswered ? (lastAnswer - started) / 1000 : undefined,
        answered: sent.length - check.lost,
        lost: check.lost,
        doubled: check.doubled,
        outOfOrder: check.outOfOrder,
        moreAnsweredPromptly: answerTimes.slice(BURST).filter((t) => t !== undefined && t - moreSentAt <= PROMPT_MS)
          .length,
        peakMb: sampler.peakMb,
        calls: emulator.calls(),
        redelivered: {
          messages: refusedFirst.length,
          lastAnswerSeconds: lastOf(refusedFirst),
          lastFirstTimeAnswerSeconds: lastOf(sent.filter((m) => !tally.refusedEvents.has(m.id))),
        },
        deliveries: {
          attempts: tally.attempts,
          refused: tally.refused,
          timedOut: tally.timedOut,
          noAnswer: tally.noAnswer,
          failed: tally.failed,
          stillPending: tally.pending.size,
        },
        ...(crash ? { crash } : {}),
      };
      context.log(
        `${kind}: ${round.answered} answered, ${round.lost} lost, ${round.doubled} doubled, ${round.drainSeconds === undefined ? 'not drained' : `drained in ${round.drainSeconds.toFixed(1)} s`}, peak ${round.peakMb.toFixed(0)} MB`,
      );
      return round;
    } finally {
      await bot.stop();
    }
  } finally {
    await emulator.stop();
  }
}

const TOTAL = BURST + MORE;
const drainRate = (r: BurstRound): number => (r.drainSeconds === undefined ? 0 : TOTAL / r.drainSeconds);
const callsPerContact = (r: BurstRound): number => (r.answered === 0 ? NaN : callTotal(r.calls) / r.answered);
const what = (r: BurstRound): string =>
  `${r.answered.toLocaleString('en')} of ${TOTAL.toLocaleString('en')} answered (${r.lost} lost, ${r.doubled} doubled), ${r.drainSeconds === undefined ? (r.crash ? 'not drained' : `not drained within ${DRAIN_TIMEOUT_MS / 1000} s`) : `drained in ${r.drainSeconds.toFixed(1)} s (${drainRate(r).toFixed(1)}/s)`}, steady state ${r.steadyPerSecond.toFixed(1)}/s, peak ${r.peakMb.toFixed(0)} MB, ${r.deliveries.refused.toLocaleString('en')} deliveries refused with 503, ${r.deliveries.timedOut.toLocaleString('en')} timed out, ${r.deliveries.noAnswer.toLocaleString('en')} without an answer, ${r.deliveries.failed.toLocaleString('en')} given up by the emulator; ${r.moreAnsweredPromptly} of the ${MORE.toLocaleString('en')} sent right after answered within ${PROMPT_MS / 1000} s${r.crash ? `; the process ended after ${r.crash.afterSeconds.toFixed(0)} s (${r.crash.exit}): ${r.crash.lastErrors.at(-1) ?? 'no error printed'}` : ''}`;
/** Whether the drain's tail waited for redeliveries, from when the last answers of each kind came. */
function redeliveryText(r: BurstRound): string {
  const { messages, lastAnswerSeconds, lastFirstTimeAnswerSeconds } = r.redelivered;
  if (messages === 0) return '';
  const tail =
    lastAnswerSeconds > lastFirstTimeAnswerSeconds + 1
      ? `: the last ${(lastAnswerSeconds - lastFirstTimeAnswerSeconds).toFixed(1)} s of the drain waited for redeliveries (retries ${WEBEX_LIKE_DELIVERY.retryDelaysMs.map((d) => d / 1000).join(', ')} s apart), not for the bot's work`
      : '';
  return ` ${messages.toLocaleString('en')} messages were answered only after a refused delivery came back, the last of them ${lastAnswerSeconds.toFixed(1)} s after the burst began; every message accepted the first time had been answered by ${lastFirstTimeAnswerSeconds.toFixed(1)} s${tail}.`;
}
const callList = (calls: Record<string, number>): string =>
  Object.entries(calls)
    .map(([k, v]) => `${v.toLocaleString('en')}× ${k}`)
    .join(', ');
const label = (r: BurstRound, base: string): string =>
  r.crash
    ? `${base}: crashed after ${r.crash.afterSeconds.toFixed(0)} s`
    : r.drainSeconds === undefined
      ? `${base}: not drained`
      : base;

export const burst: Measurement = {
  name: 'burst',
  title: 'Burst: 10,000 first messages at once, then 1,000 more',
  budgetMs: 12 * 60_000,
  async run(context) {
    const loadBefore = loadavg()[0]!;
    const ours = await measure('ours', context);
    if (context.signal.aborted) throw new Error('aborted');
    const framework = await measure('framework', context);
    const loadAfter = loadavg()[0]!;
    const round = (r: BurstRound) => ({
      ...r,
      steadyPerSecond: Number(r.steadyPerSecond.toFixed(1)),
      steadyCallsPerContact: Number(r.steadyCallsPerContact.toFixed(2)),
      peakMb: Number(r.peakMb.toFixed(1)),
      callsPerFirstContact: Number(callsPerContact(r).toFixed(2)),
    });
    const details = {
      burst: BURST,
      more: MORE,
      steadyMessages: STEADY_MESSAGES,
      steadyInFlight: STEADY_IN_FLIGHT,
      idleSpaces: IDLE_SPACES,
      delivery: WEBEX_LIKE_DELIVERY,
      rssSampledEveryMs: 100,
      loadAverage: { before: Number(loadBefore.toFixed(2)), after: Number(loadAfter.toFixed(2)), cpus: cpus().length },
      ours: round(ours),
      framework: round(framework),
    };
    const oursText = `Ours: ${what(ours)}. The framework alone: ${what(framework)}.`;
    const wrong = ours.lost + ours.doubled;
    const rows: MeasurementResult[] = [
      {
        title: 'Burst: drain rate vs steady state (ours)',
        figure: {
          value: drainRate(ours),
          unit: 'messages/s',
          label: label(ours, `ours, ${TOTAL.toLocaleString('en')} at once`),
        },
        baseline: {
          value: ours.steadyPerSecond,
          unit: 'messages/s',
          label: `ours, steady state (${STEADY_IN_FLIGHT} in flight)`,
        },
        goal: {
          ratioAtLeast: 1,
          description: `every message of the burst answered, at no less than the bot's steady-state throughput measured in the same run (${STEADY_MESSAGES.toLocaleString('en')} first messages, ${STEADY_IN_FLIGHT} in flight): a burst is drained at full speed, not slowed by the work it piles up (memory pressure, thrashing queues). Not drained within ${DRAIN_TIMEOUT_MS / 1000} s counts as 0.`,
        },
        why: `${ours.drainSeconds === undefined ? `ours did not drain the burst: ${ours.lost} of ${TOTAL.toLocaleString('en')} unanswered${ours.crash ? ' when its process ended' : ` after ${DRAIN_TIMEOUT_MS / 1000} s`}` : `ours drained the ${TOTAL.toLocaleString('en')} at ${drainRate(ours).toFixed(1)}/s, ${(drainRate(ours) / ours.steadyPerSecond).toFixed(2)}× its steady state (${ours.steadyPerSecond.toFixed(1)}/s with ${STEADY_IN_FLIGHT} in flight)`}; ${ours.deliveries.refused.toLocaleString('en')} deliveries were refused with 503 (its backpressure: past EVENT_QUEUE_LIMIT events held) and ${ours.deliveries.timedOut.toLocaleString('en')} not acknowledged within the ${WEBEX_LIKE_DELIVERY.timeoutMs / 1000} s delivery timeout, each delivered again later.${redeliveryText(ours)} The steady state is a short run on a shared machine (load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after, on ${cpus().length} cores): it sways from run to run, and the ratio with it. ${oursText}`,
        details,
      },
      {
        title: 'Burst: peak RSS',
        figure: { value: ours.peakMb, unit: 'MB', label: label(ours, 'ours') },
        baseline: { value: framework.peakMb, unit: 'MB', label: label(framework, 'framework') },
        goal: {
          valueAtMost: PEAK_GOAL_MB,
          description: `the bot's process stays within ${PEAK_GOAL_MB} MB through the burst (sampled every 100 ms): work accepted but not yet done is bounded, and what is past the bound is refused (503) for Webex to deliver again, rather than held in memory.`,
        },
        why: `ours peaked at ${ours.peakMb.toFixed(0)} MB, the framework alone at ${framework.peakMb.toFixed(0)} MB${framework.crash ? ' before it crashed' : ''}.${ours.peakMb > PEAK_GOAL_MB && ours.deliveries.refused > 0 ? ` Backpressure did act (ours refused ${ours.deliveries.refused.toLocaleString('en')} deliveries with 503), yet the process went past ${PEAK_GOAL_MB} MB: it refuses past EVENT_QUEUE_LIMIT events held (the bot's default here; the benchmark does not set it), and what it holds up to then (events, their connections, the calls under way) took more than the goal leaves.` : ''} ${oursText}`,
        details,
      },
      {
        title: 'Burst: answers lost or doubled',
        figure: { value: wrong, unit: 'messages', label: label(ours, 'ours') },
        baseline: { value: framework.lost + framework.doubled, unit: 'messages', label: label(framework, 'framework') },
        goal: {
          valueAtMost: 0,
          description: `each of the ${TOTAL.toLocaleString('en')} messages is answered exactly once, read from the transcripts (whether its delivery was refused and redelivered or not): backpressure must not lose what it refuses, and redeliveries must not be answered twice.`,
        },
        why: `ours lost ${ours.lost} and doubled ${ours.doubled}${ours.outOfOrder ? ` (${ours.outOfOrder} answered out of order)` : ''}; the framework alone lost ${framework.lost} and doubled ${framework.doubled}${framework.crash ? ` (it crashed after ${framework.crash.afterSeconds.toFixed(0)} s)` : ''}. ${oursText}`,
        details,
      },
      {
        title: 'Burst: Webex calls per first contact',
        figure: { value: callsPerContact(ours), unit: 'calls', label: 'ours' },
        baseline: framework.crash
          ? {
              value: framework.steadyCallsPerContact,
              unit: 'calls',
              label: `framework, steady state (it crashed in the burst)`,
            }
          : { value: callsPerContact(framework), unit: 'calls', label: label(framework, 'framework') },
        goal: {
          ratioAtMost: 1,
          description:
            "no more Webex calls per first contact (a message in a space the bot has not seen since it started) than the framework alone makes: every call costs a round trip and counts against Webex's rate limits, most of all in a burst. All calls the bot made during the burst, over the messages answered; when the framework crashes in the burst, its figure is that of its steady state (in the burst it made calls for messages it never answered).",
        },
        why: `ours made ${callsPerContact(ours).toFixed(2)} calls per answered first message in the burst (${callList(ours.calls)}) and ${ours.steadyCallsPerContact.toFixed(2)} in its steady state; the framework alone ${framework.steadyCallsPerContact.toFixed(2)} in its steady state, and in the burst ${framework.answered === 0 ? `answered nothing (${callList(framework.calls)} before it crashed)` : `${callsPerContact(framework).toFixed(2)} (${callList(framework.calls)})${framework.crash ? ', counting the calls it made for messages it never answered before it crashed' : ''}`}.`,
        details,
      },
    ];
    return rows;
  },
};
