/**
 * Files a skill sends, made ready to post: bytes stay in memory, a path is read from disk, a
 * stream is copied to a temporary file (removed afterwards), anything over the limit is refused
 * before it is posted; each attempt of a post opens the file afresh.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import { isBotError } from '../../../src/errors.js';
import { displayName, prepareFile } from '../../../src/routing/file-upload.js';
import { UploadFile, withFreshUploads } from '../../../src/webex/upload.js';

describe('files the bot sends', () => {
  it('keeps bytes in memory, reads a path from disk, and names the file without its folders', async () => {
    const fromBytes = await prepareFile({ data: Buffer.from('abc'), name: 'dir/a.txt', type: 'text/plain' });
    expect(fromBytes.file).to.deep.include({ name: 'a.txt', type: 'text/plain', size: 3 });
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'up-')), 'b.csv');
    writeFileSync(file, 'x,y\n');
    const fromPath = await prepareFile({ path: file, name: 'b.csv' });
    expect(fromPath.file).to.deep.include({ name: 'b.csv', type: 'application/octet-stream', size: 4, path: file });
    expect(displayName('..')).to.equal('file');
  });

  it('copies a stream to a temporary file, removed once disposed', async () => {
    const prepared = await prepareFile({ data: Readable.from(['ab', 'cd']), name: 's.txt' });
    expect(prepared.file.size).to.equal(4);
    expect(readFileSync(prepared.file.path!, 'utf8')).to.equal('abcd');
    await prepared.dispose();
    expect(existsSync(prepared.file.path!)).to.equal(false);
  });

  it('refuses a file over the limit, a stream included (its copy removed)', async () => {
    const big = await prepareFile({ data: Buffer.alloc(11), name: 'b' }, 10).catch((e: unknown) => e);
    expect(isBotError(big, 'FILE_TOO_LARGE')).to.equal(true);
    const stream = await prepareFile({ data: Readable.from([Buffer.alloc(6), Buffer.alloc(6)]), name: 's' }, 10).catch(
      (e: unknown) => e,
    );
    expect(isBotError(stream, 'FILE_TOO_LARGE')).to.equal(true);
  });

  it('refuses a path that is not a file, before anything is posted', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'upload-'));
    let refused: unknown;
    await prepareFile({ name: 'report.csv', path: folder }).catch((err: unknown) => {
      refused = err;
    });
    expect(String(refused)).to.include(`reply.file: "${folder}" is not a file`);
  });

  it('opens a file afresh for each attempt of a post', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'up-')), 'c.txt');
    writeFileSync(file, 'hello');
    const upload = new UploadFile('c.txt', 'text/plain', { path: file }, 5);
    const call = { method: 'POST', formData: { roomId: 'r', files: [upload] } };
    const first = withFreshUploads(call).formData.files[0] as unknown as { value: Readable; options: object };
    const second = withFreshUploads(call).formData.files[0] as unknown as { value: Readable; options: object };
    expect(first.value).to.not.equal(second.value);
    expect(first.options).to.deep.equal({ filename: 'c.txt', contentType: 'text/plain', knownLength: 5 });
    first.value.destroy();
    second.value.destroy();
    expect(withFreshUploads({ body: { a: 1 } })).to.deep.equal({ body: { a: 1 } });
  });
});
