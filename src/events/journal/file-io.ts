/**
 * The journal's writes and flushes, behind a seam: tests count the flushes (to see batches) or
 * make one fail or wait; the bot uses {@link nodeIo}.
 */
import { type FileHandle, open } from 'node:fs/promises';

/** How the journal writes to and flushes its file. */
export interface JournalIo {
  /** Writes all of `data` at `position`. `data` is reused once the promise settles: do not keep it. */
  write(handle: FileHandle, data: Buffer, position: number): Promise<void>;
  /** Flushes the file's data (and the size that reaches it) to the disk: `fdatasync`. */
  sync(handle: FileHandle): Promise<void>;
}

/** The real thing: positional writes (until every byte is down) and `fdatasync`. */
export const nodeIo: JournalIo = {
  async write(handle, data, position) {
    let done = 0;
    while (done < data.length) {
      const { bytesWritten } = await handle.write(data, done, data.length - done, position + done);
      done += bytesWritten;
    }
  },
  sync: (handle) => handle.datasync(),
};

/**
 * Flushes a folder's entries (a file created or renamed in it) to the disk. Platforms that cannot
 * flush a folder (Windows) answer EISDIR, EINVAL or EPERM: there is nothing more to do there.
 */
export async function syncFolder(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM') throw err;
  } finally {
    await handle?.close();
  }
}
