/**
 * The files of a message as skills get them ({@link IncomingFile}): `info()` asks Webex once
 * (`HEAD`), `download()` streams the bytes under the size cap, `saveTo(path)` writes them where
 * the skill says (never where the sender's file name would put them; an existing file is not
 * overwritten). A download asks for the size first (the `HEAD`, once): a file Webex says is over
 * the cap is refused without a `GET`. The fetching itself — the token only to the Webex API, the cap, the proxy — is
 * the content client's (`src/webex/contents.ts`).
 */
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FileTooLargeError, NotConnectedError } from '../errors.js';
import type { FileInfo, IncomingFile } from '../skill-kit/types.js';

/** What Webex says about a file (as the content client reads it). */
export interface ContentFacts {
  readonly name: string;
  readonly type: string;
  readonly size: number | undefined;
}

/** How files are fetched. */
export interface FileFetcher {
  describe(url: string): Promise<ContentFacts>;
  open(url: string, maxBytes: number): Promise<{ readonly info: ContentFacts; readonly stream: Readable }>;
}

/** Characters no file name should carry: separators, controls, and those Windows reserves. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is being removed
const UNSAFE = /[\u0000-\u001f\u007f<>:"/\\|?*]/g;

/**
 * `name` made safe to use as a file name: the last path segment, unsafe characters replaced,
 * no leading dots (no hidden file, no `..`), at most 200 characters; `file` when nothing is left.
 * @example safeFileName('../../etc/passwd') // 'passwd'
 */
export function safeFileName(name: string): string {
  const last = String(name).split(/[\\/]/).pop() ?? '';
  const cleaned = last
    .replace(UNSAFE, '_')
    .replace(/^[.\s]+/, '')
    .trim()
    .slice(0, 200);
  return cleaned === '' ? 'file' : cleaned;
}

/** The files of one message, for skills. */
export function incomingFiles(
  urls: readonly string[],
  fetcher: FileFetcher | undefined,
  maxBytes: number,
): IncomingFile[] {
  return urls.map((url) => incomingFile(url, fetcher, maxBytes));
}

function incomingFile(url: string, fetcher: FileFetcher | undefined, maxBytes: number): IncomingFile {
  const needFetcher = (): FileFetcher => {
    if (!fetcher) throw new NotConnectedError('a received file');
    return fetcher;
  };
  let described: Promise<FileInfo> | undefined;
  const info = (): Promise<FileInfo> => {
    // Rejects (never throws) without a connection, as any failed look-up.
    described ??= Promise.resolve()
      .then(() => needFetcher().describe(url))
      .then((c) => ({ ...c, safeName: safeFileName(c.name) }));
    // A failed look-up is not kept: the next call asks again.
    described.catch(() => {
      described = undefined;
    });
    return described;
  };
  const open = async () => {
    const { name, size } = await info();
    if (size !== undefined && size > maxBytes) throw new FileTooLargeError(name, maxBytes, size);
    return needFetcher().open(url, maxBytes);
  };
  return {
    url,
    info,
    async download() {
      return (await open()).stream;
    },
    async saveTo(path) {
      const { stream } = await open();
      let bytes = 0;
      stream.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      try {
        await pipeline(stream, createWriteStream(path, { flags: 'wx' }));
      } catch (err) {
        // A partial file is no file; one that existed before ('wx' refused it) is left alone.
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') await rm(path, { force: true });
        throw err;
      }
      return { path, bytes };
    },
  };
}
