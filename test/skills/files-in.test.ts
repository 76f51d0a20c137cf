/**
 * Files sent to the bot, through the emulator, with the shipped `echo` skill: a file alone is
 * described (name, type, size from Webex's HEAD, and a hash of its bytes); `echo <text>` with a
 * file describes it too; a file over `MAX_FILE_SIZE` gets a reply saying the limit and is never
 * downloaded; a file link on another host is refused without a single request to that host.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { startTestBot, type TestBot } from '../../src/testing/test-bot.js';
import { capturedLog, type LogLine } from '../e2e/support/captured-log.js';

const sha = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

describe('files sent to the bot (echo)', () => {
  let t: TestBot;
  let lines: LogLine[];
  before(async () => {
    const captured = capturedLog('info');
    lines = captured.lines;
    t = await startTestBot({ log: captured.log, config: { maxFileBytes: 64 * 1024 } });
  });
  after(() => t.stop());

  it('describes a file sent alone: name, type and size from Webex, and the hash of its bytes', async () => {
    const data = 'id,name\n1,Ada\n2,Grace\n';
    const reply = await t.direct.sendFile({ name: 'people.csv', type: 'text/csv', data });
    expect(reply.markdown).to.include('**File received**').and.include('"resource": "messages"');
    expect(reply.markdown).to.include(`- File: people.csv (text/csv, ${data.length} bytes), SHA-256 \`${sha(data)}\``);
  });

  it('runs a command with a file in a group space, and describes the file with it', async () => {
    const data = Buffer.alloc(3000, 7);
    const reply = await t.group.sendFile({ name: 'blob.bin', data }, { text: 'echo look' });
    expect(reply.markdown).to.include('- Message: echo look');
    expect(reply.markdown).to.include(`- File: blob.bin (application/octet-stream, 2.9 KB), SHA-256 \`${sha(data)}\``);
  });

  it('answers a file over the limit with the limit, and never downloads it', async () => {
    t.emulator.resetCalls();
    const reply = await t.direct.sendFile({ name: 'big.bin', data: Buffer.alloc(200 * 1024, 1) });
    expect(reply.text).to.equal(
      'Sorry, that file is too large for me: I take files up to 0.1 MB, and "big.bin" is 0.2 MB.',
    );
    const calls = t.emulator.calls();
    expect(calls['HEAD /v1/contents/{id}']).to.equal(1);
    expect(calls['GET /v1/contents/{id}']).to.equal(undefined);
  });

  it('refuses a file link on another host: no request reaches it, so the token never does', async () => {
    const hits: http.IncomingHttpHeaders[] = [];
    const elsewhere = http.createServer((req, res) => {
      hits.push(req.headers);
      res.end('secret please');
    });
    await new Promise<void>((r) => elsewhere.listen(0, '127.0.0.1', r));
    try {
      const { port } = elsewhere.address() as AddressInfo;
      const { alice, directRoom } = t.emulator.seed!;
      // Webex answers the bot's GET of the message with a file whose link points elsewhere.
      t.emulator.faults.add({
        method: 'GET',
        path: '/v1/messages/{id}',
        status: 200,
        body: {
          id: 'Y2lzY29zcGFyazovL3VzL01FU1NBR0UvZm9yZ2Vk',
          roomId: directRoom.id,
          roomType: 'direct',
          text: 'echo look',
          files: [`http://127.0.0.1:${port}/v1/contents/Y2lzY29zcGFyazovL3VzL0NPTlRFTlQveA`],
          personId: alice.id,
          personEmail: 'alice@example.com',
          created: new Date().toISOString(),
        },
      });
      const reply = await t.direct.say('echo look');
      expect(reply.text).to.equal(
        'Sorry, I did not open that file: its link does not point to Webex, and I only fetch files from Webex.',
      );
      expect(hits).to.deep.equal([]);
      expect(lines.some((l) => l.message.startsWith('a file link that is not on the Webex API was refused'))).to.equal(
        true,
      );
    } finally {
      await new Promise<void>((r) => elsewhere.close(() => r()));
    }
  });
});
