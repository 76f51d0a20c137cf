/**
 * The journal file's life outside the writer: created whole, and the temporary files a crash
 * left behind removed.
 */
import { randomBytes } from 'node:crypto';
import { open, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { syncFolder, type JournalIo } from './file-io.js';
import { headerFrame } from './frames.js';

/** A temporary file's name for the journal file `fileName` (hidden, and told apart by its random part). */
export const tempName = (fileName: string): string => `.${fileName}.${randomBytes(6).toString('hex')}.tmp`;

/** Removes temporary files a crash left (an unfinished compaction, an unfinished creation). */
export async function removeLeftovers(folder: string, fileName: string): Promise<void> {
  const prefix = `.${fileName}.`;
  for (const name of await readdir(folder))
    if (name.startsWith(prefix) && name.endsWith('.tmp')) await rm(path.join(folder, name), { force: true });
}

/** Creates the journal file whole: header written, flushed, then renamed into place, and the folder flushed. */
export async function createJournalFile(file: string, now: number, io: JournalIo): Promise<void> {
  const folder = path.dirname(file);
  const temp = path.join(folder, tempName(path.basename(file)));
  const handle = await open(temp, 'wx', 0o600);
  try {
    await io.write(handle, headerFrame(now), 0);
    await io.sync(handle);
  } finally {
    await handle.close();
  }
  await rename(temp, file);
  await syncFolder(folder);
}
