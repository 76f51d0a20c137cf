/**
 * The shared event queue on its own: two pipelines on one Redis stand for two instances, a
 * handler of the test's own stands for the bot.
 */
import { expect } from 'chai';
import { Intake } from '../../src/events/intake.js';
import type { EventProcessor } from '../../src/events/types.js';
import { Readiness } from '../../src/readiness.js';
import { shortId } from '../../src/util/short-id.js';
import { createLogger } from '../../src/logging.js';
import type { WebhookEnvelope } from '../../src/protocol/envelope.js';
import { DurablePipeline } from '../../src/scale/durable-pipeline.js';
import { QueueKeys } from '../../src/scale/queue-scripts.js';
import { connectRedis, type SharedRedis } from '../../src/scale/redis-client.js';
import { startRedis, type TestRedis } from './support/redis-server.js';
import { waitUntil } from './support/wait.js';

const log = createLogger({ silent: true });
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const t = () => ({ eventId: shortId() });
const envelope = (roomId: string, id: string): WebhookEnvelope => ({
  id: 'WH',
  name: 'hook',
  resource: 'messages',
  event: 'created',
  data: { id, roomId },
});

describe('several instances: the shared event queue', function () {
  this.timeout(30_000);
  let redis: TestRedis;
  let connections: SharedRedis[] = [];
  let pipelines: DurablePipeline[] = [];
  let ns = 0;

  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await redis?.stop();
  });
  afterEach(async () => {
    for (const p of pipelines) p.close();
    await Promise.all(connections.map((c) => c.close()));
    pipelines = [];
    connections = [];
  });

  async function instances(count: number): Promise<{ keys: QueueKeys; list: DurablePipeline[] }> {
    const keys = new QueueKeys(`test:{q${ns++}}:`);
    for (let i = 0; i < count; i++) {
      const conn = await connectRedis({ url: redis.url, log });
      connections.push(conn);
      // Leases of the default length: no test here lets one expire (stopping instances hand their
      // spaces back), and a short one could expire while a busy machine is slow to renew it.
      pipelines.push(new DurablePipeline({ redis: conn, keys, instanceId: `instance-${i}`, log }));
    }
    return { keys, list: pipelines.slice(-count) };
  }

  it('an accepted event is in Redis before accept resolves, and waits there for a handler', async () => {
    const {
      keys,
      list: [a],
    } = await instances(1);
    const result = await a!.accept(envelope('R1', 'M1'), t());
    expect(result.status).to.equal('accepted');
    const client = connections[0]!.client;
    expect(await client.lRange(keys.queue('R1'), 0, -1)).to.have.length(1);
    expect(await client.sMembers(keys.spaces)).to.deep.equal(['R1']);
    expect(await client.exists(keys.dedupe('messages:created:M1'))).to.equal(1);
  });

  it("the echo of the bot's own message is answered at once and never reaches Redis or the handler", async () => {
    const {
      keys,
      list: [a],
    } = await instances(1);
    const handled: string[] = [];
    const intake = new Intake(a!, new Readiness({}), log);
    intake.start(async (e) => {
      handled.push(e.data.id);
      return { kind: 'handled' };
    }, 'THE-BOT');
    const echo = await intake.accept({
      ...envelope('R9', 'REPLY1'),
      data: { id: 'REPLY1', roomId: 'R9', personId: 'THE-BOT' },
    });
    expect(echo.status).to.equal('accepted');
    const client = connections[0]!.client;
    expect(await client.exists(keys.queue('R9'))).to.equal(0);
    expect(await client.exists(keys.dedupe('messages:created:REPLY1'))).to.equal(0);
    // A later event of the same space: events of a space are handled in order, so once it is
    // handled, the echo would have been handled before it, had it been queued.
    expect((await intake.accept(envelope('R9', 'M9'))).status).to.equal('accepted');
    await waitUntil('the later event is handled', () => handled.length > 0);
    expect(handled).to.deep.equal(['M9']);
  });

  it('the same event delivered to two instances at the same moment is taken once', async () => {
    const {
      list: [a, b],
    } = await instances(2);
    const results = await Promise.all([
      a!.accept(envelope('R1', 'M2'), t()),
      b!.accept(envelope('R1', 'M2'), t()),
      a!.accept(envelope('R1', 'M2'), t()),
    ]);
    expect(results.map((r) => r.status).sort()).to.deep.equal(['accepted', 'duplicate', 'duplicate']);
    const accepted = results.find((r) => r.status === 'accepted') as { eventId: string };
    for (const r of results.filter((x) => x.status === 'duplicate'))
      expect(r).to.include({ originalEventId: accepted.eventId });
  });

  it('events of a space are handled one at a time, in arrival order, whichever instance took them; stopped instances leave the rest to others', async () => {
    const { keys, list } = await instances(4);
    const [a, b, c, d] = list as [DurablePipeline, DurablePipeline, DurablePipeline, DurablePipeline];
    const done: string[] = [];
    const busy = new Set<string>();
    let overlaps = 0;
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    const handler =
      (name: string): EventProcessor =>
      async (e) => {
        const room = e.data.roomId!;
        if (busy.has(room)) overlaps++;
        busy.add(room);
        // The second half waits until the first instances are told to stop.
        if (Number(e.data.id.split('-')[1]) >= 10 && name !== 'd') await gate;
        await pause(1);
        busy.delete(room);
        done.push(`${room} ${e.data.id} ${name}`);
        return { kind: 'handled' };
      };
    [a, b, c].forEach((p, i) => {
      p.setHandler(handler(`i${i}`));
    });
    const rooms = ['R1', 'R2', 'R3', 'R4'];
    // Arrival order: within each space, message n is taken before n+1; the taking instance rotates.
    let k = 0;
    const take = async (from: number, to: number) => {
      for (let n = from; n < to; n++)
        await Promise.all(rooms.map((room) => [a, b, c][k++ % 3]!.accept(envelope(room, `${room}-${n}`), t())));
    };
    await take(0, 10);
    // Ten more taken, then every instance stops: each finishes the event in hand and gives its spaces up.
    await take(10, 20);
    const drained = [a, b, c].map((p) => p.drain(20_000));
    openGate();
    expect(await Promise.all(drained)).to.deep.equal([true, true, true]);
    for (const p of [a, b, c]) p.close();
    const handledBefore = done.length;
    d.setHandler(handler('d'));
    await waitUntil('every event is handled', () => done.length >= rooms.length * 20);
    expect(overlaps).to.equal(0);
    for (const room of rooms) {
      const order = done.filter((l) => l.startsWith(`${room} `)).map((l) => Number(l.split(' ')[1]!.split('-')[1]));
      expect(order, room).to.deep.equal([...Array(20).keys()]);
    }
    expect(handledBefore).to.be.at.most(rooms.length * 11); // each space's event in hand finished, the rest left
    expect(done.slice(handledBefore).every((l) => l.endsWith(' d'))).to.equal(true);
    const client = connections[0]!.client;
    await waitUntil('no space has work left', async () => (await client.sCard(keys.spaces)) === 0);
    expect(await client.keys(`${keys.ns}lease:*`)).to.deep.equal([]);
    expect(await client.keys(`${keys.ns}ev:*`)).to.deep.equal([]);
  });

  it('Redis unreachable: events are refused as unavailable, never half taken', async () => {
    const {
      list: [a],
    } = await instances(1);
    const own = await startRedis();
    const conn = await connectRedis({ url: own.url, log });
    const p = new DurablePipeline({ redis: conn, keys: new QueueKeys('test:{down}:'), instanceId: 'x', log });
    await own.kill();
    await waitUntil('the connection is seen lost', () => !conn.up);
    expect(await p.accept(envelope('R1', 'M3'), t())).to.include({ status: 'unavailable' });
    p.close();
    await conn.close();
    await own.stop();
    expect((await a!.accept(envelope('R1', 'M3'), t())).status).to.equal('accepted'); // the shared Redis was never touched by it
  });
});
