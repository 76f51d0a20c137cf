import { expect } from 'chai';
import { Writable } from 'node:stream';
import { EventDeduper } from '../../../src/events/dedupe.js';
import { Intake } from '../../../src/events/intake.js';
import { EventPipeline } from '../../../src/events/pipeline.js';
import { Readiness } from '../../../src/readiness.js';
import { shortId } from '../../../src/util/short-id.js';
import { waitUntil } from '../../scale/support/wait.js';
import { createLogger } from '../../../src/logging.js';
import type { WebhookEnvelope } from '../../../src/protocol/envelope.js';
import { MemoryStore } from '../../../src/store/memory-store.js';

const pipelineWith = (log: ReturnType<typeof capture>['log']) =>
  new EventPipeline(log, new EventDeduper(new MemoryStore()));

const trace = () => ({ eventId: shortId() });

async function accepted(p: EventPipeline, e: WebhookEnvelope) {
  const r = await p.accept(e, trace());
  if (r.status !== 'accepted') throw new Error(`expected accepted, got ${r.status}`);
  return r;
}

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(JSON.parse(String(chunk)));
      cb();
    },
  });
  return { lines, log: createLogger({ format: 'json', stream, level: 'debug' }) };
}

const envelope = (roomId: string, id: string): WebhookEnvelope => ({
  id: 'hook',
  name: 'n',
  resource: 'messages',
  event: 'created',
  data: { id, roomId },
});

describe('EventPipeline', () => {
  it('holds events accepted before it is ready, then processes them', async () => {
    const { log } = capture();
    const pipeline = pipelineWith(log);
    const seen: string[] = [];
    await accepted(pipeline, envelope('r1', 'm1'));
    expect(pipeline.inFlight).to.equal(1);
    pipeline.setHandler(async (e) => {
      seen.push(e.data.id);
      return { kind: 'handled' };
    });
    await pipeline.drain(5000);
    expect(seen).to.deep.equal(['m1']);
    expect(pipeline.inFlight).to.equal(0);
  });

  it('tags every log line of an event with its id, and logs failures without throwing', async () => {
    const { lines, log } = capture();
    const pipeline = pipelineWith(log);
    pipeline.setHandler(async (_e, scope) => {
      scope.log.info('inside');
      throw new Error('fetch failed');
    });
    const { eventId } = await accepted(pipeline, envelope('r1', 'm1'));
    await pipeline.drain(5000);
    const mine = lines.filter((l) => l['eventId'] === eventId);
    expect(mine.map((l) => l['message'])).to.deep.equal(['event accepted', 'inside', 'event failed']);
    expect(mine[0]!['level']).to.equal('info');
    expect((mine[2]!['err'] as { message: string }).message).to.equal('fetch failed');
    expect(mine[2]!['level']).to.equal('error');
  });

  it('drains: resolves true when all events finish, false on timeout', async () => {
    const pipeline = pipelineWith(capture().log);
    let release!: () => void;
    pipeline.setHandler(
      () =>
        new Promise((r) => {
          release = () => r({ kind: 'handled' });
        }),
    );
    await pipeline.accept(envelope('r1', 'm1'), trace());
    await waitUntil('the handler runs', () => pipeline.handling === 1);
    expect(await pipeline.drain(20)).to.equal(false);
    release();
    expect(await pipeline.drain(1000)).to.equal(true);
  });

  it('claims each event once: a redelivery, and two deliveries at the same moment, are duplicates handled once', async () => {
    const pipeline = pipelineWith(capture().log);
    const seen: string[] = [];
    pipeline.setHandler(async (e) => {
      seen.push(e.data.id);
      return { kind: 'handled' };
    });
    const first = await accepted(pipeline, envelope('r1', 'm1'));
    await pipeline.drain(5000);
    const again = await pipeline.accept(envelope('r1', 'm1'), trace());
    expect(again).to.include({ status: 'duplicate', originalEventId: first.eventId });
    const twins = await Promise.all([
      pipeline.accept(envelope('r2', 'm2'), trace()),
      pipeline.accept(envelope('r2', 'm2'), trace()),
    ]);
    expect(twins.map((t) => t.status).sort()).to.deep.equal(['accepted', 'duplicate']);
    await pipeline.drain(1000);
    expect(seen).to.deep.equal(['m1', 'm2']);
  });

  it('tells events apart by resource, event and data.id (not by the webhook id)', async () => {
    const pipeline = pipelineWith(capture().log);
    pipeline.setHandler(async () => ({ kind: 'handled' }));
    const updated: WebhookEnvelope = { ...envelope('r1', 'm1'), event: 'updated' };
    const otherHook: WebhookEnvelope = { ...envelope('r1', 'm1'), id: 'another-hook' };
    expect((await pipeline.accept(envelope('r1', 'm1'), trace())).status).to.equal('accepted');
    expect((await pipeline.accept(updated, trace())).status).to.equal('accepted');
    expect((await pipeline.accept(otherHook, trace())).status).to.equal('duplicate');
  });

  it('handles at most maxSpaces spaces at the same moment; the others wait their turn, none is dropped', async () => {
    const pipeline = new EventPipeline(capture().log, new EventDeduper(new MemoryStore()), undefined, { maxSpaces: 2 });
    let running = 0;
    let most = 0;
    const gates: Array<() => void> = [];
    pipeline.setHandler(async () => {
      running++;
      most = Math.max(most, running);
      await new Promise<void>((r) => gates.push(r));
      running--;
      return { kind: 'handled' };
    });
    for (let i = 0; i < 5; i++) await accepted(pipeline, envelope(`r${i}`, `m${i}`));
    await waitUntil('two handlers run', () => pipeline.handling === 2);
    expect(pipeline.handling).to.equal(2);
    expect(pipeline.queued).to.equal(3);
    while (pipeline.inFlight > 0) {
      gates.shift()?.();
      await new Promise((r) => setImmediate(r));
    }
    expect(most).to.equal(2);
  });

  it('refuses a delivery, unclaimed, once maxQueued events are held; it is taken when it comes again later', async () => {
    const { lines, log } = capture();
    const pipeline = new EventPipeline(log, new EventDeduper(new MemoryStore()), undefined, { maxQueued: 3 });
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const seen: string[] = [];
    pipeline.setHandler(async (e) => {
      await gate;
      seen.push(e.data.id);
      return { kind: 'handled' };
    });
    for (let i = 0; i < 3; i++) await accepted(pipeline, envelope('r1', `m${i}`));
    const refused = await pipeline.accept(envelope('r1', 'm3'), trace());
    expect(refused.status).to.equal('unavailable');
    expect((await pipeline.accept(envelope('r2', 'm4'), trace())).status).to.equal('unavailable');
    // One warning for the refusals, not one per delivery.
    expect(
      lines.filter((l) => l['level'] === 'warn' && /deliveries refused/.test(String(l['message']))),
    ).to.have.length(1);
    release();
    expect(await pipeline.drain(1000)).to.equal(true);
    // The redelivery finds the event unclaimed: it is a new event, handled once.
    await accepted(pipeline, envelope('r1', 'm3'));
    await pipeline.drain(5000);
    expect(seen).to.deep.equal(['m0', 'm1', 'm2', 'm3']);
  });
});

describe('Intake', () => {
  const intakeWith = (queue: EventPipeline, readiness = new Readiness({})) =>
    new Intake(queue, readiness, capture().log);

  it("answers the echo of the bot's own message at once: never handled, queued or refused", async () => {
    const pipeline = new EventPipeline(capture().log, new EventDeduper(new MemoryStore()), undefined, { maxQueued: 1 });
    const intake = intakeWith(pipeline);
    let handled = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    intake.start(async () => {
      handled++;
      await gate;
      return { kind: 'handled' };
    }, 'the-bot');
    expect((await intake.accept(envelope('r1', 'm1'))).status).to.equal('accepted'); // the queue is full now
    const own: WebhookEnvelope = {
      ...envelope('r1', 'reply-1'),
      data: { id: 'reply-1', roomId: 'r1', personId: 'the-bot' },
    };
    const echo = await intake.accept(own);
    expect(echo.status).to.equal('accepted');
    expect(pipeline.inFlight).to.equal(1);
    expect((await intake.accept({ ...own, data: { ...own.data, personId: 'someone-else' } })).status).to.equal(
      'unavailable',
    );
    release();
    await intake.drain(1000);
    expect(handled).to.equal(1);
  });

  it('takes nothing while the bot drains, its token is rejected or Redis is unreachable, saying which', async () => {
    const readiness = new Readiness({});
    const intake = intakeWith(pipelineWith(capture().log), readiness);
    intake.start(async () => ({ kind: 'handled' }), 'the-bot');
    for (const [condition, reason] of [
      ['draining', 'the bot is shutting down'],
      ['token', 'Webex rejected the bot token'],
      ['redis', 'Redis is unreachable'],
    ] as const) {
      readiness.fail(condition, 'test');
      expect(await intake.accept(envelope('r1', `m-${condition}`))).to.deep.equal({ status: 'unavailable', reason });
      readiness.pass(condition);
    }
    expect((await intake.accept(envelope('r1', 'm-after'))).status).to.equal('accepted');
    expect(intake.lastDeliveryAt).to.be.greaterThan(0);
  });
});

describe('eventKey', () => {
  it('tells a person joining a space again from a redelivery of the first joining', async () => {
    const { eventKey } = await import('../../../src/protocol/envelope.js');
    const joined = (created: string): WebhookEnvelope => ({
      id: 'hook',
      name: 'n',
      resource: 'memberships',
      event: 'created',
      data: { id: 'membership-of-alice-in-room', created },
    });
    expect(eventKey(joined('2026-01-01T10:00:00Z'))).to.equal(eventKey(joined('2026-01-01T10:00:00Z')));
    expect(eventKey(joined('2026-01-01T10:00:00Z'))).not.to.equal(eventKey(joined('2026-01-01T11:00:00Z')));
    expect(eventKey({ ...envelope('r', 'm'), data: { id: 'm', created: 'x' } })).to.equal('messages:created:m');
  });
});
