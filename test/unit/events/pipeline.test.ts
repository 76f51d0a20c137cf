import { expect } from 'chai';
import { Writable } from 'node:stream';
import { EventPipeline } from '../../../src/events/pipeline.js';
import { createLogger } from '../../../src/logging.js';
import type { WebhookEnvelope } from '../../../src/protocol/envelope.js';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({ write(chunk, _enc, cb) { lines.push(JSON.parse(String(chunk))); cb(); } });
  return { lines, log: createLogger({ format: 'json', stream, level: 'debug' }) };
}

const envelope = (roomId: string, id: string): WebhookEnvelope => ({ id: 'hook', name: 'n', resource: 'messages', event: 'created', data: { id, roomId } });

describe('EventPipeline', () => {
  it('holds events accepted before it is ready, then processes them', async () => {
    const { log } = capture();
    const pipeline = new EventPipeline(log);
    const seen: string[] = [];
    const { done } = pipeline.accept(envelope('r1', 'm1'));
    expect(pipeline.inFlight).to.equal(1);
    pipeline.setHandler(async (e) => { seen.push(e.data.id); return { kind: 'handled' }; });
    await done;
    expect(seen).to.deep.equal(['m1']);
    expect(pipeline.inFlight).to.equal(0);
  });

  it('tags every log line of an event with its id, and logs failures without throwing', async () => {
    const { lines, log } = capture();
    const pipeline = new EventPipeline(log);
    pipeline.setHandler(async (_e, scope) => { scope.log.info('inside'); throw new Error('fetch failed'); });
    const { eventId, done } = pipeline.accept(envelope('r1', 'm1'));
    await done;
    const mine = lines.filter((l) => l['eventId'] === eventId);
    expect(mine.map((l) => l['message'])).to.deep.equal(['event accepted', 'inside', 'event failed']);
    expect(mine[0]!['level']).to.equal('debug');
    expect((mine[2]!['err'] as { message: string }).message).to.equal('fetch failed');
    expect(mine[2]!['level']).to.equal('error');
  });

  it('drains: resolves true when all events finish, false on timeout', async () => {
    const pipeline = new EventPipeline(capture().log);
    let release!: () => void;
    pipeline.setHandler(() => new Promise((r) => { release = () => r({ kind: 'handled' }); }));
    pipeline.accept(envelope('r1', 'm1'));
    await new Promise((r) => setTimeout(r, 5));
    expect(await pipeline.drain(20)).to.equal(false);
    release();
    expect(await pipeline.drain(1000)).to.equal(true);
  });
});
