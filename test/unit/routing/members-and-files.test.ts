/**
 * `space.members()` pages lazily and tells bots apart; a received file's name is never a path;
 * saving a file never overwrites one, and a download cut off leaves no partial file.
 */
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import { FileTooLargeError, isBotError } from '../../../src/errors.js';
import { incomingFiles, safeFileName, type FileFetcher } from '../../../src/routing/incoming-files.js';
import { listMembers, type MemberPages, toMember } from '../../../src/routing/members.js';
import { nextLink } from '../../../src/webex/api.js';

describe('space members', () => {
  const pages: Array<{ items: Array<{ personId: string; personEmail: string; personDisplayName: string }> }> = [
    { items: [{ personId: 'a', personEmail: 'ada@example.com', personDisplayName: 'Ada' }] },
    { items: [{ personId: 'b', personEmail: 'bot@webex.bot', personDisplayName: 'Bot' }] },
    { items: [{ personId: 'g', personEmail: 'grace@example.com', personDisplayName: 'Grace' }] },
  ];
  const asked: Array<string | undefined> = [];
  const memberPages: MemberPages = async (_roomId, _max, next) => {
    asked.push(next);
    const i = next === undefined ? 0 : Number(next);
    return { items: pages[i]!.items, next: i + 1 < pages.length ? String(i + 1) : undefined };
  };

  it('lists people only by default, bots too when asked, following the next links', async () => {
    const people: string[] = [];
    for await (const m of listMembers(memberPages, 'r')) people.push(m.displayName);
    expect(people).to.deep.equal(['Ada', 'Grace']);
    const all: string[] = [];
    for await (const m of listMembers(memberPages, 'r', { includeBots: true })) all.push(`${m.displayName}:${m.isBot}`);
    expect(all).to.deep.equal(['Ada:false', 'Bot:true', 'Grace:false']);
  });

  it('asks for the next page only when the loop wants more', async () => {
    asked.length = 0;
    for await (const _ of listMembers(memberPages, 'r')) break;
    expect(asked).to.deep.equal([undefined]);
  });

  it('tells bots by their address (webex.bot, and the older sparkbot.io) and says who moderates', () => {
    const of = (personEmail: string, isModerator?: boolean) => toMember({ personId: 'p', personEmail, isModerator });
    expect([of('a@webex.bot').isBot, of('b@sparkbot.io').isBot, of('c@example.com').isBot]).to.deep.equal([
      true,
      true,
      false,
    ]);
    expect([of('c@example.com', true).isModerator, of('c@example.com').isModerator]).to.deep.equal([true, false]);
  });

  it("reads the next page from Webex's Link header", () => {
    expect(nextLink('<https://webexapis.com/v1/memberships?cursor=x>; rel="next"')).to.equal(
      'https://webexapis.com/v1/memberships?cursor=x',
    );
    expect(nextLink('<https://a/first>; rel="first", <https://a/next>; rel="next"')).to.equal('https://a/next');
    expect(nextLink(undefined)).to.equal(undefined);
    expect(nextLink('<https://a/prev>; rel="prev"')).to.equal(undefined);
  });
});

describe('received files', () => {
  it('never takes the sender’s name as a path', () => {
    expect(safeFileName('../../etc/passwd')).to.equal('passwd');
    expect(safeFileName('C:\\Windows\\evil.bat')).to.equal('evil.bat');
    expect(safeFileName('..')).to.equal('file');
    expect(safeFileName('.bashrc')).to.equal('bashrc');
    expect(safeFileName('a<b>:c"|?*\u0001.txt')).to.equal('a_b__c_____.txt');
    expect(safeFileName('')).to.equal('file');
  });

  const fetcher = (bytes: Buffer, size: number | undefined, cap?: number): FileFetcher => ({
    describe: async () => ({ name: 'x.bin', type: 'application/octet-stream', size }),
    open: async (_url, maxBytes) => {
      const chunks = [bytes.subarray(0, bytes.length / 2), bytes.subarray(bytes.length / 2)];
      const stream = Readable.from(
        (async function* () {
          let seen = 0;
          for (const c of chunks) {
            seen += c.length;
            if (seen > (cap ?? maxBytes)) throw new FileTooLargeError('x.bin', maxBytes);
            yield c;
          }
        })(),
      );
      return { info: { name: 'x.bin', type: 'application/octet-stream', size }, stream };
    },
  });

  it('saves where the skill says, and never over an existing file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'files-'));
    const [file] = incomingFiles(['https://api/v1/contents/1'], fetcher(Buffer.from('hello world!'), 12), 100);
    const saved = await file!.saveTo(path.join(dir, 'out.bin'));
    expect(saved.bytes).to.equal(12);
    expect(readFileSync(saved.path, 'utf8')).to.equal('hello world!');
    writeFileSync(path.join(dir, 'taken.bin'), 'mine');
    const err = await file!.saveTo(path.join(dir, 'taken.bin')).catch((e: unknown) => e);
    expect((err as NodeJS.ErrnoException).code).to.equal('EEXIST');
    expect(readFileSync(path.join(dir, 'taken.bin'), 'utf8')).to.equal('mine');
  });

  it('refuses a file Webex says is too big without opening it, and leaves no partial file when cut off', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'files-'));
    let opened = false;
    const big = fetcher(Buffer.alloc(10), 1000);
    const watched: FileFetcher = {
      ...big,
      open: (...a) => {
        opened = true;
        return big.open(...a);
      },
    };
    const [tooBig] = incomingFiles(['u'], watched, 100);
    expect(isBotError(await tooBig!.download().catch((e: unknown) => e), 'FILE_TOO_LARGE')).to.equal(true);
    expect(opened).to.equal(false);
    const [liar] = incomingFiles(['u'], fetcher(Buffer.alloc(300), undefined, 200), 200);
    const err = await liar!.saveTo(path.join(dir, 'partial.bin')).catch((e: unknown) => e);
    expect(isBotError(err, 'FILE_TOO_LARGE')).to.equal(true);
    expect(existsSync(path.join(dir, 'partial.bin'))).to.equal(false);
  });
});
