/**
 * Contract: files in messages, as Webex takes and serves them — a multipart `POST /v1/messages`
 * (through the real SDK, and a plain form post), `GET /v1/contents/{id}` with the token and
 * `HEAD` for the name, type and size; and what is refused: two files, a URL to fetch, a file part
 * under another name, an edit of a message with a file, a reader outside the space.
 */
import { expect } from 'chai';
import type { WebexSdk } from 'webex';
import { decodeId, type Emulator } from '../../src/emulator/index.js';
import { expectApiError, sdkFor, startTestEmulator } from './helpers.js';

/** A multipart post of `fields` and `files` to `/v1/messages` as the holder of `token`. */
function postForm(
  emulator: Emulator,
  token: string,
  fields: Record<string, string>,
  files: Array<{ part?: string; name: string; type: string; data: string }>,
): Promise<Response> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const f of files) form.append(f.part ?? 'files', new Blob([f.data], { type: f.type }), f.name);
  return fetch(`${emulator.apiUrl}/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
}

describe('emulator contract: files', () => {
  let emulator: Emulator;
  let alice: WebexSdk;
  let direct: string;
  let group: string;

  before(async () => {
    emulator = await startTestEmulator();
    alice = await sdkFor(emulator, emulator.seed!.alice.token);
    direct = emulator.seed!.directRoom.id;
    group = emulator.seed!.groupRoom.id;
  });
  after(() => emulator.stop());

  it('takes a file through the SDK (multipart) and serves it to members: HEAD for name, type and size, GET for the bytes', async () => {
    const sent = await alice.messages.create({
      roomId: direct,
      text: 'the report',
      files: [{ value: Buffer.from('a,b\n1,2\n'), options: { filename: 'report.csv', contentType: 'text/csv' } }],
    } as never);
    expect(sent.text).to.equal('the report');
    expect(sent.files).to.have.length(1);
    const url = sent.files![0]!;
    expect(url.startsWith(`${emulator.apiUrl}/contents/`)).to.equal(true);
    expect(decodeId(url.split('/').pop()!)?.type).to.equal('CONTENT');

    const auth = { authorization: `Bearer ${emulator.botToken}` };
    const head = await fetch(url, { method: 'HEAD', headers: auth });
    expect(head.status).to.equal(200);
    expect(head.headers.get('content-type')).to.equal('text/csv');
    expect(head.headers.get('content-length')).to.equal('8');
    expect(head.headers.get('content-disposition')).to.equal('attachment; filename="report.csv"');
    expect(await head.text()).to.equal('');
    const get = await fetch(url, { headers: auth });
    expect(await get.text()).to.equal('a,b\n1,2\n');
    expect(emulator.file(url)).to.deep.include({ name: 'report.csv', type: 'text/csv', size: 8, messageId: sent.id });
  });

  it('takes a file-only message, keeps only the last segment of a name given as a path, and needs the token', async () => {
    const res = await postForm(emulator, emulator.seed!.alice.token, { roomId: direct }, [
      { name: '../../etc/passwd', type: 'text/plain', data: 'x' },
    ]);
    expect(res.status).to.equal(200);
    const sent = (await res.json()) as { files: string[]; text?: string };
    expect(sent.text).to.equal(undefined);
    expect(emulator.file(sent.files[0]!)!.name).to.equal('passwd');
    expect((await fetch(sent.files[0]!)).status).to.equal(401);
    const bob = { authorization: `Bearer ${emulator.seed!.bob.token}` };
    expect((await fetch(sent.files[0]!, { headers: bob })).status).to.equal(404);
  });

  it('serves a group file to the bot only when the message mentions it, as messages are', async () => {
    const quiet = await postForm(emulator, emulator.seed!.alice.token, { roomId: group, text: 'for people' }, [
      { name: 'a.txt', type: 'text/plain', data: 'a' },
    ]);
    const url = ((await quiet.json()) as { files: string[] }).files[0]!;
    const bot = { authorization: `Bearer ${emulator.botToken}` };
    expect((await fetch(url, { headers: bot })).status).to.equal(404);
    const bob = { authorization: `Bearer ${emulator.seed!.bob.token}` };
    expect(await (await fetch(url, { headers: bob })).text()).to.equal('a');
  });

  it('refuses two files, a file part named otherwise, files as URLs, and multipart elsewhere', async () => {
    const token = emulator.seed!.alice.token;
    const two = await postForm(emulator, token, { roomId: direct }, [
      { name: 'a.txt', type: 'text/plain', data: 'a' },
      { name: 'b.txt', type: 'text/plain', data: 'b' },
    ]);
    expect(two.status).to.equal(400);
    expect(((await two.json()) as { message: string }).message).to.match(/Only one file per message/);
    const other = await postForm(emulator, token, { roomId: direct }, [
      { part: 'file', name: 'a.txt', type: 'text/plain', data: 'a' },
    ]);
    expect(other.status).to.equal(400);
    await expectApiError(
      alice.messages.create({ roomId: direct, files: ['https://example.com/a.png'] }),
      400,
      /multipart\/form-data/,
    );
    const form = new FormData();
    form.append('roomId', direct);
    const elsewhere = await fetch(`${emulator.apiUrl}/rooms`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    expect(elsewhere.status).to.equal(415);
  });

  it("refuses to edit a message with a file (Webex: currently unsupported), and a deleted message's file is gone", async () => {
    const res = await postForm(emulator, emulator.seed!.alice.token, { roomId: direct, text: 'v1' }, [
      { name: 'a.txt', type: 'text/plain', data: 'a' },
    ]);
    const sent = (await res.json()) as { id: string; files: string[] };
    await expectApiError(
      alice.request({
        method: 'PUT',
        uri: `${emulator.apiUrl}/messages/${sent.id}`,
        body: { roomId: direct, text: 'v2' },
      }),
      400,
      /currently unsupported/,
    );
    await alice.messages.remove(sent.id);
    const auth = { authorization: `Bearer ${emulator.seed!.alice.token}` };
    expect((await fetch(sent.files[0]!, { headers: auth })).status).to.equal(404);
  });

  it('posts a file in process (say) and through the control API (base64)', async () => {
    const said = await emulator.say({
      personId: emulator.seed!.alice.id,
      roomId: direct,
      files: [{ name: 'notes.md', type: 'text/markdown', data: '# hi' }],
    });
    expect(emulator.file(said.files![0]!)).to.deep.include({ name: 'notes.md', size: 4 });
    const res = await fetch(`${emulator.url}/_emulator/rooms/${direct}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        personId: emulator.seed!.alice.id,
        files: [{ name: 'x.bin', base64: Buffer.from([1, 2, 3]).toString('base64') }],
      }),
    });
    expect(res.status).to.equal(201);
    const posted = (await res.json()) as { files: string[] };
    const id = posted.files[0]!.split('/').pop()!;
    const page = await fetch(`${emulator.url}/_emulator/contents/${id}`);
    expect(page.headers.get('content-disposition')).to.equal('attachment; filename="x.bin"');
    expect(page.headers.get('content-type')).to.equal('application/octet-stream');
    expect([...new Uint8Array(await page.arrayBuffer())]).to.deep.equal([1, 2, 3]);
    const bad = await fetch(`${emulator.url}/_emulator/rooms/${direct}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ personId: emulator.seed!.alice.id, files: [{ name: 'x', base64: '***' }] }),
    });
    expect(bad.status).to.equal(400);
  });
});
