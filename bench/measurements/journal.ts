/**
 * journal: the embedded event journal (`src/events/journal/`) on its own, in this process, on
 * the disk of the temporary folder: accepts per second with 50 callers each awaiting its accept
 * before the next (as the `ack` measurement's 50 connections each wait for their 200), against
 * 1 caller (every accept waits for a flush of its own: what a journal without group commit
 * gives at best). Also the CPU per accept, against the in-memory claim the journal replaces
 * (`MemoryStore.claim`, the default deduper's store), and the flushes per second. Each accept
 * parses its body, as the webhook route does, and hands the journal the body as received (so
 * that the envelope is not serialised again); its event is finished (`done`) at once, as in a
 * steady state where events do not pile up; both sides pay the parse. A fresh journal each
 * round (no compaction in the rounds); a warm-up first; medians.
 *
 * Details add: accepts without the body (the envelope serialised again), 500 callers (a
 * burst), a round that compacts as it goes, and whole events (accept, started, beforePost,
 * posted, done) per second.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { EventJournal, type EventJournalOptions } from '../../src/events/journal/index.js';
import { eventKey, type WebhookEnvelope } from '../../src/protocol/envelope.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import type { Measurement, MeasurementContext } from '../measurement.js';
import { median } from '../support/bot-process.js';

const IN_FLIGHT = 50;
const BURST_IN_FLIGHT = 500;
const ACCEPTS_PER_ROUND = 20_000;
const SINGLE_ACCEPTS = 2_000;
const LIFECYCLE_EVENTS = 5_000;
const ROUNDS = 3;
/** The bare webhook server's acks per second measured by `ack` (bench/RESULTS.md). */
const BARE_SERVER_ACKS = 28_000;
/** The bare webhook server's CPU per request measured by `ack` (µs): the journal's extra CPU is judged against it. */
const BARE_SERVER_CPU_US = 21;
/** At most this share of the bare server's CPU per request may be added: acks/s then stay ≥ 0.8× when CPU-bound. */
const CPU_SHARE = 0.25;

/** A `messages/created` envelope with ids as long as Webex's (base64 of a URI). */
function envelope(n: number): WebhookEnvelope {
  const id = (kind: string, x: number | string) =>
    Buffer.from(`ciscospark://us/${kind}/${String(x).padStart(8, '0')}-5a3c-11ef-9c4b-8f1e2d3c4b5a`).toString(
      'base64url',
    );
  return {
    id: id('WEBHOOK', 1),
    name: 'webex-skill-bot firehose',
    targetUrl: 'https://bot.example.com/webhook',
    resource: 'messages',
    event: 'created',
    orgId: id('ORGANIZATION', 1),
    createdBy: id('PEOPLE', 'bot'),
    appId: id('APPLICATION', 1),
    ownedBy: 'creator',
    status: 'active',
    created: '2026-01-01T00:00:00.000Z',
    actorId: id('PEOPLE', n % 100),
    data: {
      id: id('MESSAGE', n),
      roomId: id('ROOM', n % 100),
      roomType: 'direct',
      personId: id('PEOPLE', n % 100),
      personEmail: `user${n % 100}@example.com`,
      created: '2026-01-01T00:00:00.000Z',
    },
  };
}

const ENVELOPE_BYTES = JSON.stringify(envelope(0)).length;

/** The request body of event `n`, as the route receives it. */
const bodies = (count: number, from: number): Buffer[] =>
  Array.from({ length: count }, (_, n) => Buffer.from(JSON.stringify(envelope(from + n))));

/** What one round measured. */
interface Round {
  readonly perSecond: number;
  readonly cpuUsPerAccept: number;
  /** The JavaScript thread's busy µs per accept. */
  readonly mainUsPerAccept: number;
  readonly syncsPerSecond: number;
  readonly recordsPerSync: number;
  readonly compactions: number;
}

/** Runs `work` on each of `callers` callers until `count` items are done; returns the seconds and CPU µs taken. */
async function drive(count: number, callers: number, work: (n: number) => Promise<void>) {
  let next = 0;
  const cpu = process.cpuUsage();
  const elu = performance.eventLoopUtilization();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      for (let n = next++; n < count; n = next++) await work(n);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const loop = performance.eventLoopUtilization(elu);
  // The JavaScript thread's busy time (what the webhook route competes for), apart from the
  // process's other threads (flushes on the thread pool, the garbage collector's helpers).
  return { seconds, cpuUs: used.user + used.system, mainUs: loop.active * 1000 };
}

/** `count` accepts by `callers` callers on a fresh journal. */
async function acceptRound(
  count: number,
  callers: number,
  context: MeasurementContext,
  options: EventJournalOptions = {},
  withBody = true,
): Promise<Round> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-journal-'));
  const { journal } = await EventJournal.open(dir, options);
  try {
    const texts = bodies(count, 0);
    const { seconds, cpuUs, mainUs } = await drive(count, callers, async (n) => {
      if (context.signal.aborted) throw new Error('aborted');
      const body = texts[n]!;
      const env = JSON.parse(body.toString('utf8')) as WebhookEnvelope;
      const claim = await journal.accept({
        key: eventKey(env),
        eventId: `ev-${n}`,
        envelope: env,
        ...(withBody ? { body } : {}),
      });
      if (!claim.first) throw new Error(`event ${n} was taken for a duplicate`);
      journal.done(`ev-${n}`);
    });
    const { syncs, records, compactions } = journal.stats;
    return {
      perSecond: count / seconds,
      cpuUsPerAccept: cpuUs / count,
      mainUsPerAccept: mainUs / count,
      syncsPerSecond: syncs / seconds,
      recordsPerSync: records / syncs,
      compactions,
    };
  } finally {
    await journal.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whole events (accept, started, beforePost, posted, done) per second by `callers` callers. */
async function lifecycleRound(count: number, callers: number): Promise<{ perSecond: number; recordsPerSync: number }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-journal-'));
  const { journal } = await EventJournal.open(dir);
  try {
    const { seconds } = await drive(count, callers, async (n) => {
      const env = envelope(n);
      const eventId = `ev-${n}`;
      await journal.accept({ key: eventKey(env), eventId, envelope: env });
      await journal.started(eventId);
      await journal.beforePost(eventId, { roomId: env.data.roomId, markdown: `echo: message number ${n}` });
      await journal.posted(eventId, `reply-${n}`);
      journal.done(eventId);
    });
    return { perSecond: count / seconds, recordsPerSync: journal.stats.records / journal.stats.syncs };
  } finally {
    await journal.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** CPU µs (the process's, the JavaScript thread's) per claim of the in-memory store (the deduper's default store), `count` claims. */
async function memoryClaimCpuUs(count: number): Promise<{ cpuUs: number; mainUs: number }> {
  const store = new MemoryStore();
  const texts = bodies(count, 0);
  const { cpuUs, mainUs } = await drive(count, IN_FLIGHT, async (n) => {
    const env = JSON.parse(texts[n]!.toString('utf8')) as WebhookEnvelope;
    await store.claim(eventKey(env), `ev-${n}`, { ttlMs: 6 * 60 * 60 * 1000 });
  });
  return { cpuUs: cpuUs / count, mainUs: mainUs / count };
}

const round0 = (x: number): number => Math.round(x);
const round1 = (x: number): number => Number(x.toFixed(1));

export const journal: Measurement = {
  name: 'journal',
  title: 'Event journal: accepts per second, on disk before the 200',
  budgetMs: 180_000,
  async run(context) {
    const loadBefore = loadavg()[0]!;
    await acceptRound(3_000, IN_FLIGHT, context); // warm-up
    await memoryClaimCpuUs(5_000);
    const grouped: Round[] = [];
    const serialised: Round[] = [];
    const memoryCpu: number[] = [];
    const memoryMain: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      grouped.push(await acceptRound(ACCEPTS_PER_ROUND, IN_FLIGHT, context));
      serialised.push(await acceptRound(ACCEPTS_PER_ROUND, IN_FLIGHT, context, {}, false));
      const memory = await memoryClaimCpuUs(ACCEPTS_PER_ROUND);
      memoryCpu.push(memory.cpuUs);
      memoryMain.push(memory.mainUs);
      const g = grouped.at(-1)!;
      context.log(
        `round ${r + 1}: ${round0(g.perSecond)} accepts/s, ${round0(g.syncsPerSecond)} flushes/s (${round1(g.recordsPerSync)} records each), ${round1(g.cpuUsPerAccept)} µs CPU each (${round1(g.mainUsPerAccept)} on the JavaScript thread)`,
      );
    }
    const single = await acceptRound(SINGLE_ACCEPTS, 1, context);
    context.log(`1 in flight: ${round0(single.perSecond)} accepts/s, ${round0(single.syncsPerSecond)} flushes/s`);
    const burst = await acceptRound(ACCEPTS_PER_ROUND, BURST_IN_FLIGHT, context);
    const compacting = await acceptRound(ACCEPTS_PER_ROUND, IN_FLIGHT, context, { compactAtBytes: 2 * 1024 * 1024 });
    const lifecycle = await lifecycleRound(LIFECYCLE_EVENTS, IN_FLIGHT);
    context.log(
      `500 in flight: ${round0(burst.perSecond)}/s; compacting: ${round0(compacting.perSecond)}/s (${compacting.compactions} compactions); whole events: ${round0(lifecycle.perSecond)}/s`,
    );

    const perSecond = median(grouped.map((g) => g.perSecond));
    const syncsPerSecond = median(grouped.map((g) => g.syncsPerSecond));
    const recordsPerSync = median(grouped.map((g) => g.recordsPerSync));
    const cpuUs = median(grouped.map((g) => g.cpuUsPerAccept));
    const memCpuUs = median(memoryCpu);
    const mainUs = median(grouped.map((g) => g.mainUsPerAccept));
    const memMainUs = median(memoryMain);
    const serialisedCpuUs = median(serialised.map((g) => g.cpuUsPerAccept));
    const serialisedMainUs = median(serialised.map((g) => g.mainUsPerAccept));
    const flushMs = 1000 / single.syncsPerSecond;
    const cpuBudget = memCpuUs + CPU_SHARE * BARE_SERVER_CPU_US;
    const details = {
      envelopeBytes: ENVELOPE_BYTES,
      acceptsPerRound: ACCEPTS_PER_ROUND,
      rounds: ROUNDS,
      inFlight: IN_FLIGHT,
      acceptsPerSecond: grouped.map((g) => round0(g.perSecond)),
      flushesPerSecond: grouped.map((g) => round0(g.syncsPerSecond)),
      recordsPerFlush: grouped.map((g) => round1(g.recordsPerSync)),
      cpuUsPerAccept: grouped.map((g) => round1(g.cpuUsPerAccept)),
      memoryClaimCpuUs: memoryCpu.map(round1),
      mainThreadUsPerAccept: grouped.map((g) => round1(g.mainUsPerAccept)),
      withoutBody: {
        acceptsPerSecond: serialised.map((g) => round0(g.perSecond)),
        cpuUsPerAccept: serialised.map((g) => round1(g.cpuUsPerAccept)),
        mainThreadUsPerAccept: serialised.map((g) => round1(g.mainUsPerAccept)),
      },
      memoryClaimMainThreadUs: memoryMain.map(round1),
      singleInFlight: { acceptsPerSecond: round0(single.perSecond), flushMs: Number(flushMs.toFixed(3)) },
      burst500InFlight: {
        acceptsPerSecond: round0(burst.perSecond),
        flushesPerSecond: round0(burst.syncsPerSecond),
        recordsPerFlush: round1(burst.recordsPerSync),
      },
      compactingEvery2MiB: { acceptsPerSecond: round0(compacting.perSecond), compactions: compacting.compactions },
      wholeEventsPerSecond: {
        eventsPerSecond: round0(lifecycle.perSecond),
        recordsPerFlush: round1(lifecycle.recordsPerSync),
      },
      disk: `the temporary folder (${tmpdir()})`,
      loadAverageBefore: Number(loadBefore.toFixed(2)),
      loadAverageAfter: Number(loadavg()[0]!.toFixed(2)),
    };
    return [
      {
        title: `Event journal: accepts per second (${IN_FLIGHT} in flight)`,
        figure: { value: perSecond, unit: 'accepts/s', label: `${IN_FLIGHT} in flight, group commit` },
        baseline: { value: single.perSecond, unit: 'accepts/s', label: '1 in flight: a flush per accept' },
        goal: {
          ratioAtLeast: 10,
          valueAtLeast: BARE_SERVER_ACKS,
          description: `group commit: with ${IN_FLIGHT} in flight at least 10× the accepts/s of one flush per accept, and at least the ~${BARE_SERVER_ACKS.toLocaleString('en')} acks/s of the bare webhook server (\`ack\`), so that waiting for the disk is never what caps the route. ${ACCEPTS_PER_ROUND.toLocaleString('en')} accepts of a ${ENVELOPE_BYTES}-byte envelope a round on a fresh journal, each finished at once; ${ROUNDS} rounds, medians.`,
        },
        why:
          `${round0(perSecond)} accepts/s with ${round0(syncsPerSecond)} flushes/s (${round1(recordsPerSync)} records a flush: each accept and its done); ` +
          `one at a time, each accept waits for a flush of its own: ${round0(single.perSecond)}/s (${flushMs.toFixed(2)} ms a write and flush on this disk), so group commit gives ${round1(perSecond / single.perSecond)}×. ` +
          `With ${IN_FLIGHT} callers a batch holds at most ${IN_FLIGHT} accepts: the rate is bounded by ${IN_FLIGHT} / (write + flush time) and by the JavaScript thread's time per accept (${round1(mainUs)} µs). ` +
          `Load average ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after, on ${cpus().length} cores: other work on the machine slows the rounds unevenly (${grouped.map((g) => round0(g.perSecond)).join(', ')}/s).`,
        details,
      },
      {
        title: 'Event journal: CPU per accept',
        figure: { value: cpuUs, unit: 'µs', label: 'journal accept with the request body, on disk' },
        baseline: { value: memCpuUs, unit: 'µs', label: 'in-memory claim (MemoryStore)' },
        goal: {
          valueAtMost: round1(cpuBudget),
          description: `the journal's accept costs at most ${round1(CPU_SHARE * BARE_SERVER_CPU_US)} µs of CPU more than the in-memory claim it replaces: a quarter of the bare webhook server's ${BARE_SERVER_CPU_US} µs per request (\`ack\`), so a CPU-bound route keeps ≥ 0.8× its acks/s. The process's whole CPU (user and system, the flushes' threads included) over the rounds above.`,
        },
        why:
          `${round1(cpuUs)} µs per accept and its done, against ${round1(memCpuUs)} µs for the in-memory claim (both parse the body): ${round1(cpuUs - memCpuUs)} µs more. ` +
          `On the JavaScript thread alone (event-loop utilisation), ${round1(mainUs)} µs against ${round1(memMainUs)} µs: ${round1(mainUs - memMainUs)} µs more; the rest runs on other threads (the flushes on the thread pool, the garbage collector's helpers). ` +
          `Without the body (the envelope serialised again): ${round1(serialisedCpuUs)} µs, ${round1(serialisedMainUs)} µs on the JavaScript thread` +
          (cpuUs <= cpuBudget
            ? '. Within the budget.'
            : `. Over the budget of ${round1(cpuBudget)} µs. What it pays for: the record around the ${ENVELOPE_BYTES}-byte body, the done record, a promise per caller, and the kernel's write and fdatasync (system time, on the thread pool) shared by ${round1(recordsPerSync)} records; the process's CPU also counts the garbage collector's helper threads. Whether the route stays ≥ 0.8× is the end-to-end \`ack\` figure's to say.`),
        details: {
          memoryClaimCpuUs: memoryCpu.map(round1),
          cpuUsPerAccept: details.cpuUsPerAccept,
          mainThreadUsPerAccept: details.mainThreadUsPerAccept,
          memoryClaimMainThreadUs: details.memoryClaimMainThreadUs,
          withoutBody: details.withoutBody,
        },
      },
    ];
  },
};
