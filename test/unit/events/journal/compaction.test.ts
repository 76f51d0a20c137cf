import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { EventJournal } from '../../../../src/events/journal/index.js';
import { crashImage, input, onJournal, onSnapshot, tempDir, TestIo, turn, waitUntil } from './support.js';

const TTL = 60_000;

describe('EventJournal: compaction', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => {
    clock = 1_000_000;
  });

  it('rewrites the file with what is live: pending events whole, unexpired claims; expired claims dropped', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'events.journal');
    // A history: events 0–2 accepted at t0, 3–9 30 s later; 0–4 finished; 5 answered, 6 in doubt.
    const first = await EventJournal.open(dir, { now, dedupeTtlMs: TTL });
    for (let i = 0; i < 3; i++) await first.journal.accept(input(i));
    clock += 30_000;
    for (let i = 3; i < 10; i++) await first.journal.accept(input(i));
    for (let i = 0; i < 5; i++) first.journal.done(`ev-${i}`);
    await first.journal.started('ev-5');
    await first.journal.beforePost('ev-5', { roomId: 'room-1', text: 'answer' });
    await first.journal.posted('ev-5', 'reply-5');
    await first.journal.started('ev-6');
    await first.journal.beforePost('ev-6', { roomId: 'room-1', text: 'in doubt' });
    await first.journal.close();
    const before = statSync(file).size;
    const copy = await EventJournal.open(crashImage(dir), { now, dedupeTtlMs: TTL });
    await copy.journal.close();
    const expected = copy.recovered;

    clock += 40_000; // the claims of 0–2 have expired, those of 3–4 not
    const { journal } = await EventJournal.open(dir, { now, dedupeTtlMs: TTL, compactAtBytes: 1 });
    await journal.accept(input(10)); // past the threshold: compacts
    await waitUntil(() => journal.stats.compactions === 1);
    const text = readFileSync(file, 'utf8');
    expect(statSync(file).size).to.be.lessThan(before);
    for (const gone of ['msg-0"', 'msg-1"', 'msg-2"']) expect(text).not.to.include(gone);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).to.deep.equal([]);

    // Writing goes on in the new file; the next compaction waits for it to double.
    await journal.accept(input(11));
    expect(journal.stats.compactions).to.equal(1);
    await journal.close();

    const { journal: again, recovered } = await EventJournal.open(dir, { now, dedupeTtlMs: TTL });
    expect(recovered.pending).to.deep.equal([
      ...expected.pending,
      ...[10, 11].map((n) => ({ ...expected.pending[0]!, ...pendingOf(n, clock) })),
    ]);
    expect([...recovered.claims.keys()].sort()).to.deep.equal(
      [3, 4, 5, 6, 7, 8, 9, 10, 11].map((n) => `messages:created:msg-${n}`).sort(),
    );
    await again.close();
  });

  it('loses nothing appended while the snapshot is being written, and a crash meanwhile loses nothing either', async () => {
    const dir = tempDir();
    const io = new TestIo();
    await (await EventJournal.open(dir, { now })).journal.close();
    const { journal } = await EventJournal.open(dir, { now, io, compactAtBytes: 1 });
    const snapshotWrite = io.hold('write', onSnapshot);
    await journal.accept(input(0));
    await snapshotWrite.reached; // a compaction is under way, its snapshot held
    await journal.accept(input(1));
    await journal.started('ev-0');
    await journal.beforePost('ev-0', { roomId: 'room-1', text: 'hi' });
    await journal.posted('ev-0', 'reply-0');
    await journal.started('ev-1');
    journal.done('ev-1');
    await journal.accept(input(2));

    // A crash now: the old file is whole; the unfinished snapshot is thrown away.
    const image = await EventJournal.open(crashImage(dir), { now });
    expect(image.recovered.pending.map((e) => [e.eventId, e.attempts, e.replies])).to.deep.equal([
      ['ev-0', 1, ['reply-0']],
      ['ev-2', 0, []],
    ]);
    await image.journal.close();

    snapshotWrite.release();
    await waitUntil(() => journal.stats.compactions === 1);
    await journal.started('ev-2');
    await journal.close();
    const { journal: after, recovered } = await EventJournal.open(dir, { now });
    expect(recovered.pending.map((e) => [e.eventId, e.attempts, e.replies])).to.deep.equal([
      ['ev-0', 1, ['reply-0']],
      ['ev-2', 1, []],
    ]);
    expect(recovered.claims.get('messages:created:msg-1')).to.deep.include({ eventId: 'ev-1' });
    await after.close();
  });

  it('does not write twice the records the snapshot holds already (queued before it, still queued when it is done)', async () => {
    const dir = tempDir();
    const io = new TestIo();
    await (await EventJournal.open(dir, { now })).journal.close();
    const { journal } = await EventJournal.open(dir, { now, io, compactAtBytes: 1 });
    const firstSync = io.hold('sync', onJournal);
    const first = journal.accept(input(0));
    await firstSync.reached;
    // More than one batch's worth (1 MiB) queued while the first flush is held.
    const many = Array.from({ length: 3000 }, (_, i) => journal.accept(input(i + 1)));
    const nextWrite = io.hold('write', onJournal);
    const snapshotSync = io.hold('sync', onSnapshot);
    firstSync.release();
    await first;
    await nextWrite.reached; // the first of the queued batches, held
    await snapshotSync.reached;
    snapshotSync.release();
    await snapshotSync.passed;
    await turn(); // the snapshot is ready, before the queue is written
    nextWrite.release();
    await Promise.all(many);
    expect(journal.stats.compactions).to.equal(1);
    await journal.close();
    const { journal: after, recovered } = await EventJournal.open(dir, { now });
    expect(recovered.pending).to.have.length(3001);
    // The snapshot's 3001 events and nothing else (the batch written after it went to the old file).
    expect(recovered.records).to.equal(3001);
    await after.close();
  });

  it('goes on in its file when a compaction fails, and compacts later', async () => {
    const dir = tempDir();
    const io = new TestIo();
    await (await EventJournal.open(dir, { now })).journal.close();
    const { journal } = await EventJournal.open(dir, { now, io, compactAtBytes: 1 });
    const snapshotSync = io.hold('sync', onSnapshot, new Error('ENOSPC: no space left on device'));
    await journal.accept(input(0));
    await snapshotSync.reached;
    snapshotSync.release();
    await snapshotSync.passed;
    await waitUntil(() => readdirSync(dir).every((f) => !f.endsWith('.tmp')));
    expect(journal.stats.compactions).to.equal(0);
    expect(journal.failed).to.equal(undefined);
    await journal.accept(input(1));
    await waitUntil(() => journal.stats.compactions === 1);
    await journal.close();
    const { journal: after, recovered } = await EventJournal.open(dir, { now });
    expect(recovered.pending.map((e) => e.eventId)).to.deep.equal(['ev-0', 'ev-1']);
    await after.close();
  });
});

function pendingOf(n: number, at: number) {
  const i = input(n);
  return {
    eventId: i.eventId,
    key: i.key,
    envelope: i.envelope,
    acceptedAt: at,
    attempts: 0,
    posting: undefined,
    replies: [],
  };
}
