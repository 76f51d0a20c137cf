/**
 * The file operations the file store uses, as one object: the seam where tests put a full disk
 * or a folder that turned read-only (`sinon.stub(stateFs, 'rename').rejects(…)`), or pass their
 * own to {@link FileStore.open}.
 */
import { mkdir, open, readFile, rename, rm, type FileHandle } from 'node:fs/promises';

/** The file operations of the file store. */
export interface StateFs {
  mkdir(dir: string, options: { recursive: true }): Promise<unknown>;
  readFile(file: string): Promise<string>;
  open(file: string, flags: 'w', mode: number): Promise<FileHandle>;
  rename(from: string, to: string): Promise<void>;
  rm(file: string, options: { force: true }): Promise<void>;
}

/** The real file system (the default of every file store). */
export const stateFs: StateFs = {
  mkdir: (dir, options) => mkdir(dir, options),
  readFile: (file) => readFile(file, 'utf8'),
  open: (file, flags, mode) => open(file, flags, mode),
  rename: (from, to) => rename(from, to),
  rm: (file, options) => rm(file, options),
};

/**
 * Writes `text` to `temp`, flushes it to disk (`sync`: skip it for a cheap probe), then renames it
 * to `target`; removes `temp` if any step fails.
 */
export async function writeAndRename(
  fs: StateFs,
  temp: string,
  target: string,
  text: string,
  sync = true,
): Promise<void> {
  try {
    const handle = await fs.open(temp, 'w', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      if (sync) await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, target);
  } catch (err) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
}
