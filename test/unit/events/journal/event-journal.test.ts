import { expect } from 'chai';
import { JournalError } from '../../../../src/errors.js';
import { EventJournal } from '../../../../src/events/journal/index.js';
import { crashImage, envelope, input, settled, tempDir, TestIo, waitUntil } from './support.js';

async function rejection(promise: Promise<unknown>): Promise<JournalError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof JournalError) return err;
    throw err;
  }
  throw new Error('expected a JournalError');
}

describe('EventJournal: accepting, group commit, durability', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => {
    clock = 1_000_000;
  });

  it('writes accepts that arrive during a flush together in the next write, each resolved only once its own flush is done', async () => {
    const io = new TestIo();
    const { journal } = await EventJournal.open(tempDir(), { io, now });
    const base = { writes: io.writes, syncs: io.syncs };
    const firstSync = io.hold('sync');
    const first = journal.accept(input(0));
    await firstSync.reached; // the first record is written, its flush under way
    const secondSync = io.hold('sync');
    const rest = Array.from({ length: 99 }, (_, i) => journal.accept(input(i + 1)));
    expect(await settled(first)).to.equal(false);
    firstSync.release();
    expect(await first).to.deep.equal({ first: true });
    await secondSync.reached;
    // The 99 are written, but their flush is held: none may resolve yet.
    expect(await settled(Promise.race(rest))).to.equal(false);
    secondSync.release();
    expect(await Promise.all(rest)).to.deep.equal(rest.map(() => ({ first: true })));
    expect({ writes: io.writes - base.writes, syncs: io.syncs - base.syncs }).to.deep.equal({ writes: 2, syncs: 2 });
    expect(journal.stats).to.include({ batches: 2, records: 100, syncs: 2, pending: 100 });
    await journal.close();
  });

  it('records nobody waits for (a first start, done) are written without a flush of their own; the next flush covers them', async () => {
    const io = new TestIo();
    const dir = tempDir();
    const { journal } = await EventJournal.open(dir, { io, now });
    await Promise.all([journal.accept(input(1)), journal.accept(input(2))]);
    const base = { records: journal.stats.records, syncs: io.syncs };
    await journal.started('ev-1', { durable: false });
    journal.done('ev-2');
    await waitUntil(() => journal.stats.records === base.records + 2);
    expect(io.syncs).to.equal(base.syncs);
    // Written (a crash of the process keeps them: they are in the file).
    const { journal: image, recovered } = await EventJournal.open(crashImage(dir), { now });
    expect(recovered.pending.map((e) => [e.eventId, e.attempts])).to.deep.equal([['ev-1', 1]]);
    await image.close();
    // The next record waited for is flushed, and with it everything written before.
    await journal.beforePost('ev-1', { roomId: 'room-1', text: 'hi' });
    expect(io.syncs).to.equal(base.syncs + 1);
    await journal.close();
  });

  it('accepts started in the same tick go down in one write and one flush', async () => {
    const io = new TestIo();
    const { journal } = await EventJournal.open(tempDir(), { io, now });
    const syncs = io.syncs;
    await Promise.all(Array.from({ length: 500 }, (_, i) => journal.accept(input(i))));
    expect(io.syncs - syncs).to.equal(1);
    await journal.close();
  });

  it('with maxBatchDelayMs, holds an idle journal’s first records back to gather more; close writes them at once', async () => {
    const io = new TestIo();
    const { journal } = await EventJournal.open(tempDir(), { io, now, maxBatchDelayMs: 3_600_000 });
    const writes = io.writes;
    const accepts = [1, 2, 3].map((n) => journal.accept(input(n)));
    expect(await settled(Promise.race(accepts))).to.equal(false);
    expect(io.writes).to.equal(writes);
    const closed = journal.close();
    expect(await Promise.all(accepts)).to.deep.equal([{ first: true }, { first: true }, { first: true }]);
    await closed;
    expect(io.writes - writes).to.equal(1);
  });

  it('keeps every accepted event, in order, for a process that stops without closing', async () => {
    const dir = tempDir();
    const { journal } = await EventJournal.open(dir, { now });
    for (let i = 0; i < 12; i++) await journal.accept(input(i, `room-${i % 3}`));
    // Abandoned, not closed: the folder as it is now is what a killed process leaves.
    const { journal: after, recovered } = await EventJournal.open(crashImage(dir), { now });
    expect(recovered.pending.map((e) => e.eventId)).to.deep.equal(Array.from({ length: 12 }, (_, i) => `ev-${i}`));
    expect(recovered.pending[4]).to.deep.equal({
      eventId: 'ev-4',
      key: 'messages:created:msg-4',
      envelope: envelope(4, 'room-1'),
      acceptedAt: clock,
      attempts: 0,
      posting: undefined,
      replies: [],
    });
    expect(recovered.claims.get('messages:created:msg-11')).to.deep.equal({
      eventId: 'ev-11',
      expiresAt: clock + 6 * 60 * 60 * 1000,
    });
    expect(recovered.tornBytes).to.equal(0);
    // The claims came back: a redelivery after the restart is a duplicate.
    expect(await after.accept({ ...input(3), eventId: 'ev-again' })).to.deep.equal({
      first: false,
      originalEventId: 'ev-3',
    });
    await after.close();
    await journal.close();
  });

  it('answers a second delivery of a key with the first one’s id, once the first is on disk', async () => {
    const io = new TestIo();
    const { journal } = await EventJournal.open(tempDir(), { io, now });
    const held = io.hold('sync');
    const first = journal.accept(input(1));
    const second = journal.accept({ ...input(1), eventId: 'ev-redelivered' });
    await held.reached;
    expect(await settled(second)).to.equal(false);
    held.release();
    expect(await first).to.deep.equal({ first: true });
    expect(await second).to.deep.equal({ first: false, originalEventId: 'ev-1' });
    expect(journal.stats.pending).to.equal(1);
    await journal.close();
  });

  it('keeps a finished event’s claim until dedupeTtlMs has passed, across a restart; then the key is new again', async () => {
    const dir = tempDir();
    const { journal } = await EventJournal.open(dir, { now, dedupeTtlMs: 60_000 });
    await journal.accept(input(1));
    journal.done('ev-1');
    await journal.close();
    clock += 59_999;
    const second = await EventJournal.open(dir, { now, dedupeTtlMs: 60_000 });
    expect(second.recovered.pending).to.deep.equal([]);
    expect([...second.recovered.claims]).to.deep.equal([
      ['messages:created:msg-1', { eventId: 'ev-1', expiresAt: 1_060_000 }],
    ]);
    expect(await second.journal.accept({ ...input(1), eventId: 'ev-x' })).to.deep.equal({
      first: false,
      originalEventId: 'ev-1',
    });
    clock += 1;
    expect(second.journal.claimOf('messages:created:msg-1')).to.equal(undefined);
    expect(await second.journal.accept({ ...input(1), eventId: 'ev-y' })).to.deep.equal({ first: true });
    await second.journal.close();
  });

  it('records attempts, the reply under way and the replies posted, as a restart finds them', async () => {
    const dir = tempDir();
    const { journal } = await EventJournal.open(dir, { now });
    await journal.accept(input(1));
    await journal.started('ev-1');
    const message = { roomId: 'room-1', markdown: 'Hello **Ada**' };
    await journal.beforePost('ev-1', message);
    // Killed during the POST: in doubt.
    let { journal: image, recovered } = await EventJournal.open(crashImage(dir), { now });
    expect(recovered.pending[0]).to.include({ attempts: 1 });
    expect(recovered.pending[0]!.posting).to.deep.equal({ message, since: clock });
    expect(recovered.pending[0]!.replies).to.deep.equal([]);
    await image.close();

    await journal.posted('ev-1', 'msg-reply-1');
    clock += 10;
    await journal.started('ev-1');
    await journal.beforePost('ev-1', { roomId: 'room-1', markdown: 'second part' });
    await journal.posted('ev-1', 'msg-reply-2');
    ({ journal: image, recovered } = await EventJournal.open(crashImage(dir), { now }));
    expect(recovered.pending[0]).to.deep.include({
      attempts: 2,
      posting: undefined,
      replies: ['msg-reply-1', 'msg-reply-2'],
    });
    await image.close();
    await journal.close();
  });

  it('writes done lazily but surely: with the next batch, or on its own when nothing else comes', async () => {
    const dir = tempDir();
    const io = new TestIo();
    const { journal } = await EventJournal.open(dir, { io, now });
    await journal.accept(input(1));
    await journal.accept(input(2));
    journal.done('ev-1');
    await journal.accept(input(3)); // written with (or after) the done
    let { journal: image, recovered } = await EventJournal.open(crashImage(dir), { now });
    expect(recovered.pending.map((e) => e.eventId)).to.deep.equal(['ev-2', 'ev-3']);
    await image.close();

    const records = journal.stats.records;
    journal.done('ev-2');
    await waitUntil(() => journal.stats.records === records + 1);
    ({ journal: image, recovered } = await EventJournal.open(crashImage(dir), { now }));
    expect(recovered.pending.map((e) => e.eventId)).to.deep.equal(['ev-3']);
    await image.close();
    await journal.close();
  });

  it('forgets finished events but for their claims, and keeps at most maxClaims of those', async () => {
    const { journal } = await EventJournal.open(tempDir(), { now, maxClaims: 3 });
    for (let i = 0; i < 5; i++) await journal.accept(input(i));
    for (let i = 0; i < 5; i++) journal.done(`ev-${i}`);
    expect(journal.stats).to.include({ pending: 0, claims: 3 });
    expect(journal.claimOf('messages:created:msg-1')).to.equal(undefined); // the oldest went first
    expect(journal.claimOf('messages:created:msg-4')).to.deep.include({ eventId: 'ev-4' });
    await journal.close();
  });

  it('stops taking events after a failed flush, rejecting what waits with JOURNAL_FAILED', async () => {
    const io = new TestIo();
    const { journal } = await EventJournal.open(tempDir(), { io, now });
    await journal.accept(input(1));
    io.fail('sync', Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    const failed = await rejection(journal.accept(input(2)));
    expect(failed.code).to.equal('JOURNAL_FAILED');
    expect(failed.message).to.match(/EIO/);
    expect(journal.failed).to.equal(failed);
    expect((await rejection(journal.accept(input(3)))).code).to.equal('JOURNAL_FAILED');
    expect((await rejection(journal.started('ev-1'))).code).to.equal('JOURNAL_FAILED');
    journal.done('ev-1'); // nothing to do, nothing thrown
    await journal.close();
  });

  it('refuses calls that break the contract with JOURNAL_MISUSE, and everything after close with JOURNAL_CLOSED', async () => {
    const { journal } = await EventJournal.open(tempDir(), { now });
    expect((await rejection(journal.started('nobody'))).code).to.equal('JOURNAL_MISUSE');
    expect((await rejection(journal.posted('nobody', 'm'))).code).to.equal('JOURNAL_MISUSE');
    const bad = { key: 'k', eventId: 'e', envelope: 'not an object' as unknown as ReturnType<typeof envelope> };
    expect((await rejection(journal.accept(bad))).code).to.equal('JOURNAL_MISUSE');
    expect(journal.stats.pending).to.equal(0);
    await journal.accept(input(1));
    expect((await rejection(journal.accept({ ...input(2), eventId: 'ev-1' }))).code).to.equal('JOURNAL_MISUSE');
    await journal.close();
    expect((await rejection(journal.accept(input(3)))).code).to.equal('JOURNAL_CLOSED');
  });

  it('writes the request body as received when given one (its newlines made spaces), and reads the envelope back from it', async () => {
    const dir = tempDir();
    const { journal } = await EventJournal.open(dir, { now });
    const env = { ...envelope(1), note: 'line one\nline two — é' };
    const body = Buffer.from(`\r\n  ${JSON.stringify(env, null, 2).replace(/\n/g, '\r\n')}\n`);
    expect(await journal.accept({ ...input(1), envelope: env, body })).to.deep.equal({ first: true });
    const bad = journal.accept({ ...input(2), body: Buffer.from('[1, 2]') });
    expect((await rejection(bad)).code).to.equal('JOURNAL_MISUSE');
    await journal.close();
    const { journal: again, recovered } = await EventJournal.open(dir, { now });
    expect(recovered.pending.map((e) => e.envelope)).to.deep.equal([env]);
    await again.close();
  });

  it('gives the outbox a ReplyJournal whose posted never rejects', async () => {
    const io = new TestIo();
    const { journal } = await EventJournal.open(tempDir(), { io, now });
    await journal.accept(input(1));
    const replies = journal.replyJournal('ev-1');
    await replies.beforePost({ roomId: 'room-1', text: 'hi' });
    io.fail('sync', new Error('EIO'));
    await replies.posted('msg-9'); // logged, not thrown
    expect(journal.failed?.code).to.equal('JOURNAL_FAILED');
    await journal.close();
  });
});
