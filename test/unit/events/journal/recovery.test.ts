import { expect } from 'chai';
import { appendFileSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { JournalError } from '../../../../src/errors.js';
import { EventJournal } from '../../../../src/events/journal/index.js';
import { encodeFrame } from '../../../../src/events/journal/frames.js';
import { input, tempDir } from './support.js';

async function openError(dir: string): Promise<JournalError> {
  try {
    const { journal } = await EventJournal.open(dir);
    await journal.close();
  } catch (err) {
    if (err instanceof JournalError) return err;
    throw err;
  }
  throw new Error('expected the journal not to open');
}

/** A folder whose journal holds events 0..n-1 (each accepted in a write of its own), and the file's path. */
async function journalOf(n: number): Promise<{ dir: string; file: string }> {
  const dir = tempDir();
  const { journal } = await EventJournal.open(dir);
  for (let i = 0; i < n; i++) await journal.accept(input(i));
  await journal.close();
  return { dir, file: path.join(dir, 'events.journal') };
}

const pendingIds = async (dir: string): Promise<string[]> => {
  const { journal, recovered } = await EventJournal.open(dir);
  await journal.close();
  return recovered.pending.map((e) => e.eventId);
};

describe('EventJournal: reading back after a crash', () => {
  it('leaves out a last write cut short (no end of line), keeps everything before it, and cuts the file there', async () => {
    const { dir, file } = await journalOf(3);
    const whole = statSync(file).size;
    const frame = encodeFrame([
      JSON.stringify({ t: 'accept', id: 'ev-torn', key: 'k', at: 1, exp: 2, env: input(9).envelope }),
    ]);
    appendFileSync(file, frame.subarray(0, frame.length - 40)); // power cut mid-write
    const { journal, recovered } = await EventJournal.open(dir);
    expect(recovered.pending.map((e) => e.eventId)).to.deep.equal(['ev-0', 'ev-1', 'ev-2']);
    expect(recovered.tornBytes).to.equal(frame.length - 40);
    expect(statSync(file).size).to.equal(whole);
    // Appends go on after the cut, and read back.
    await journal.accept(input(3));
    await journal.close();
    expect(await pendingIds(dir)).to.deep.equal(['ev-0', 'ev-1', 'ev-2', 'ev-3']);
  });

  it('leaves out a last frame whose checksum does not match (its bytes did not all reach the disk)', async () => {
    const { dir, file } = await journalOf(2);
    const frame = encodeFrame([JSON.stringify({ t: 'done', id: 'ev-0' })]);
    frame[frame.length - 5] = 0; // a page of the last write never written: zeros
    appendFileSync(file, frame);
    appendFileSync(file, Buffer.alloc(300)); // the file's size grew past the data: zeros
    const { journal, recovered } = await EventJournal.open(dir);
    expect(recovered.pending.map((e) => e.eventId)).to.deep.equal(['ev-0', 'ev-1']);
    expect(recovered.tornBytes).to.equal(frame.length + 300);
    await journal.close();
  });

  it('refuses a journal damaged in the middle with JOURNAL_CORRUPT, naming where, and changes nothing', async () => {
    const { dir, file } = await journalOf(4);
    const bytes = readFileSync(file);
    const lines = bytes.toString('latin1').split('\n');
    const thirdLine = lines[0]!.length + 1 + lines[1]!.length + 1; // the header, then ev-0, then ev-1
    const damaged = Buffer.from(bytes);
    damaged[thirdLine + 40] = damaged[thirdLine + 40]! ^ 0x01; // one bit flipped in ev-1's record
    writeFileSync(file, damaged);
    const err = await openError(dir);
    expect(err.code).to.equal('JOURNAL_CORRUPT');
    expect(err.file).to.equal(file);
    expect(err.message).to.include(
      `line 3 (byte ${thirdLine}) is damaged (checksum mismatch) and valid records follow it`,
    );
    expect(readFileSync(file).equals(damaged)).to.equal(true);
    // The refusal holds on the next try too, and the lock was given back.
    expect((await openError(dir)).code).to.equal('JOURNAL_CORRUPT');
  });

  it('refuses a file that is not a journal, and one of a newer format, without changing them', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'events.journal');
    writeFileSync(file, '{"format":"webex-skill-bot state","version":1,"entries":{}}\n');
    const err = await openError(dir);
    expect(err.code).to.equal('JOURNAL_CORRUPT');
    expect(err.message).to.match(/first line is not a journal header/);
    expect(readFileSync(file, 'utf8')).to.match(/^\{"format"/);

    const newer = encodeFrame([JSON.stringify({ t: 'journal', format: 'webex-skill-bot event journal', version: 2 })]);
    writeFileSync(file, newer);
    expect((await openError(dir)).message).to.match(/version 2 of the journal's format; this code reads version 1/);
  });

  it('refuses a valid frame holding a record it does not know (not torn: its checksum matches)', async () => {
    const { dir, file } = await journalOf(1);
    appendFileSync(file, encodeFrame([JSON.stringify({ t: 'teleport', id: 'ev-0' })]));
    const err = await openError(dir);
    expect(err.code).to.equal('JOURNAL_CORRUPT');
    expect(err.message).to.match(/line 3 \(byte \d+\), record 1, is not a record this version knows/);
  });

  it('starts an empty file afresh, and a missing one', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'events.journal'), '');
    expect(await pendingIds(dir)).to.deep.equal([]);
    const { journal } = await EventJournal.open(dir);
    await journal.accept(input(1));
    await journal.close();
    expect(await pendingIds(dir)).to.deep.equal(['ev-1']);
  });

  it('counts records naming an event that is not pending, and applies nothing for them', async () => {
    const { dir, file } = await journalOf(1);
    appendFileSync(file, encodeFrame([JSON.stringify({ t: 'start', id: 'ev-gone' })]));
    const { journal, recovered } = await EventJournal.open(dir);
    expect(recovered).to.deep.include({ ignored: 1, records: 2 });
    expect(recovered.pending.map((e) => e.attempts)).to.deep.equal([0]);
    await journal.close();
  });

  it('removes the temporary file of a compaction a crash interrupted', async () => {
    const { dir } = await journalOf(1);
    const leftover = path.join(dir, '.events.journal.0123456789ab.tmp');
    writeFileSync(leftover, 'half a snapshot');
    expect(await pendingIds(dir)).to.deep.equal(['ev-0']);
    expect(() => statSync(leftover)).to.throw(/ENOENT/);
  });

  it('reads a file cut exactly at a frame boundary as whole', async () => {
    const { dir, file } = await journalOf(3);
    const lines = readFileSync(file, 'latin1').split('\n');
    truncateSync(file, lines.slice(0, 3).join('\n').length + 1); // the header, ev-0, ev-1
    const { journal, recovered } = await EventJournal.open(dir);
    expect(recovered.pending.map((e) => e.eventId)).to.deep.equal(['ev-0', 'ev-1']);
    expect(recovered.tornBytes).to.equal(0);
    await journal.close();
  });
});
