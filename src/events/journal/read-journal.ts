/**
 * Reading a journal file back at start-up: every frame checked, every record applied to the
 * state, in order.
 *
 * - A damaged frame with no valid frame after it is the torn end of a write cut short (a crash
 *   or a power cut while it was written, so never acknowledged): it is left out, and the caller
 *   cuts the file there.
 * - A damaged frame followed by a valid one is damage in the middle: reading stops with
 *   `JOURNAL_CORRUPT` and nothing is changed, so no record is ever dropped silently.
 * - A valid frame holding a record this version does not know is refused the same way.
 */
import type { FileHandle } from 'node:fs/promises';
import { JournalError } from '../../errors.js';
import { decodeFrame, readLines } from './frames.js';
import type { JournalState } from './journal-state.js';
import { asRecord, headerProblem } from './records.js';

/** What reading found. */
export interface ReadOutcome {
  /** Where the valid frames end (the file is cut there when a torn frame follows). */
  readonly validBytes: number;
  /** Bytes of the torn last frame left out (0 when the file ended cleanly). */
  readonly tornBytes: number;
  /** Records applied. */
  readonly records: number;
  /** Records naming an event that was not pending (they changed nothing). */
  readonly ignored: number;
}

/**
 * Applies the records of the journal open as `handle` (named `file` in errors) to `state`.
 * @throws {JournalError} `JOURNAL_CORRUPT` for a file that is not a journal or is damaged before its end
 */
export async function readJournal(handle: FileHandle, file: string, state: JournalState): Promise<ReadOutcome> {
  const corrupt = (message: string): JournalError =>
    new JournalError(
      'JOURNAL_CORRUPT',
      file,
      `the event journal ${file} cannot be read: ${message}. Nothing was changed. Keep a copy of the file; then ` +
        'either cut it where the damage starts (the records after it are lost) or move it aside (the bot starts with an empty journal).',
    );
  let lineNo = 0;
  let validBytes = 0;
  let records = 0;
  let ignored = 0;
  let damage: { offset: number; line: number; reason: string } | undefined;
  const lines = readLines(
    async (buffer, position) => (await handle.read(buffer, 0, buffer.length, position)).bytesRead,
  );
  for await (const line of lines) {
    lineNo++;
    const frame = line.terminated ? decodeFrame(line.bytes) : 'cut short (no end of line)';
    if (typeof frame === 'string') {
      if (lineNo === 1) throw corrupt(`its first line is not a journal header (${frame})`);
      damage ??= { offset: line.offset, line: lineNo, reason: frame };
      continue;
    }
    if (damage)
      throw corrupt(
        `line ${damage.line} (byte ${damage.offset}) is damaged (${damage.reason}) and valid records follow it (line ${lineNo})`,
      );
    if (lineNo === 1) {
      const problem = headerProblem(frame[0]);
      if (problem !== undefined || frame.length !== 1)
        throw corrupt(problem ?? 'its header line holds more than the header');
    } else {
      for (const [i, value] of frame.entries()) {
        const record = asRecord(value);
        if (record === undefined)
          throw corrupt(`line ${lineNo} (byte ${line.offset}), record ${i + 1}, is not a record this version knows`);
        records++;
        if (!state.apply(record)) ignored++;
      }
    }
    validBytes = line.offset + line.bytes.length + 1;
  }
  const end = damage === undefined ? validBytes : damage.offset;
  const size = (await handle.stat()).size;
  return { validBytes: end, tornBytes: size - end, records, ignored };
}
