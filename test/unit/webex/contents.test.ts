/**
 * The content client against real local servers: the token goes only to the API's own content
 * URLs (nothing is sent elsewhere), the name, type and size come from `HEAD`, a file over the cap
 * is refused from its `Content-Length` before its body is read, a server that says nothing of
 * the size (or lies) is cut off at the cap, and Webex's malware-scan answers are named.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { DEFAULT_GOVERNOR_POLICY, WebexCallGovernor } from '../../../src/calls/governor.js';
import { TokenHealth } from '../../../src/calls/token-health.js';
import { isBotError } from '../../../src/errors.js';
import { silentLogger } from '../../../src/logging.js';
import { ContentClient } from '../../../src/webex/contents.js';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** A local server whose requests are recorded. */
async function server(
  handler: Handler,
): Promise<{ url: string; seen: http.IncomingMessage[]; close(): Promise<void> }> {
  const seen: http.IncomingMessage[] = [];
  const s = http.createServer((req, res) => {
    seen.push(req);
    handler(req, res);
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        s.close(() => r());
        s.closeAllConnections();
      }),
  };
}

const governor = () =>
  new WebexCallGovernor(
    { ...DEFAULT_GOVERNOR_POLICY, maxRetries: 0, callTimeoutMs: 2000 },
    { log: silentLogger, token: new TokenHealth(30_000) },
  );

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}

describe('content client (files people send)', () => {
  it('sends the token to the API only: another host, another port, a path outside /contents are refused unsent', async () => {
    const api = await server((_req, res) => res.end('x'));
    const other = await server((_req, res) => res.end('x'));
    try {
      const client = new ContentClient({ apiUrl: `${api.url}/v1`, token: 'T', governor: governor(), env: {} });
      for (const url of [
        `${other.url}/v1/contents/ABC`,
        `http://localhost:${new URL(api.url).port}/v1/contents/ABC`,
        `${api.url}/v1/people/me`,
        `${api.url}/v1/contents/`,
        'not a url',
      ]) {
        const err = await failure(client.describe(url));
        expect(isBotError(err, 'FILE_REFUSED'), url).to.equal(true);
      }
      expect(other.seen).to.have.length(0);
      expect(api.seen).to.have.length(0);
    } finally {
      await api.close();
      await other.close();
    }
  });

  it("reads name, type and size from HEAD, with the bot's token", async () => {
    const api = await server((_req, res) => {
      res.writeHead(200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-length': '1234',
        'content-disposition': `attachment; filename="rapport.csv"; filename*=UTF-8''r%C3%A9sum%C3%A9.csv`,
      });
      res.end();
    });
    try {
      const client = new ContentClient({ apiUrl: `${api.url}/v1`, token: 'T0KEN', governor: governor(), env: {} });
      const info = await client.describe(`${api.url}/v1/contents/ABC`);
      expect(info).to.deep.equal({ name: 'résumé.csv', type: 'text/csv', size: 1234 });
      expect(api.seen[0]!.method).to.equal('HEAD');
      expect(api.seen[0]!.headers.authorization).to.equal('Bearer T0KEN');
    } finally {
      await api.close();
    }
  });

  it('refuses a file whose Content-Length is over the cap before reading its body', async () => {
    const api = await server((_req, res) => {
      res.writeHead(200, {
        'content-length': String(10 * 1024 * 1024),
        'content-disposition': 'attachment; filename="big.iso"',
      });
      res.write(Buffer.alloc(64 * 1024));
    });
    try {
      const client = new ContentClient({ apiUrl: `${api.url}/v1`, token: 'T', governor: governor(), env: {} });
      const err = await failure(client.open(`${api.url}/v1/contents/ABC`, 1024 * 1024));
      expect(isBotError(err, 'FILE_TOO_LARGE')).to.equal(true);
      expect(err).to.deep.include({ fileName: 'big.iso', limitBytes: 1024 * 1024, size: 10 * 1024 * 1024 });
    } finally {
      await api.close();
    }
  });

  it('cuts off a server that says no size (or less than it sends) at the cap: no byte past it reaches the reader', async () => {
    const total = 32 * 1024 * 1024;
    let finished = false;
    let closed!: () => void;
    const serverSawClose = new Promise<void>((r) => {
      closed = r;
    });
    const api = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' }); // chunked: no length said
      let sent = 0;
      const chunk = Buffer.alloc(64 * 1024, 1);
      const pump = (): void => {
        while (sent < total) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        finished = true;
        res.end();
      };
      res.on('close', closed);
      pump();
    });
    try {
      const client = new ContentClient({ apiUrl: `${api.url}/v1`, token: 'T', governor: governor(), env: {} });
      const cap = 256 * 1024;
      const { stream } = await client.open(`${api.url}/v1/contents/ABC`, cap);
      let received = 0;
      const err = await failure(
        (async () => {
          for await (const c of stream) received += (c as Buffer).length;
        })(),
      );
      expect(isBotError(err, 'FILE_TOO_LARGE')).to.equal(true);
      expect(received).to.be.at.most(cap);
      await serverSawClose;
      expect(finished, 'the server could not send the whole file').to.equal(false);
    } finally {
      await api.close();
    }
  });

  it("names Webex's malware-scan answers: 423 still scanning, 410 blocked", async () => {
    let status = 423;
    const api = await server((_req, res) => {
      res.writeHead(status, { 'content-type': 'application/json', 'retry-after': '1' });
      res.end('{"message":"scanning"}');
    });
    try {
      const client = new ContentClient({ apiUrl: `${api.url}/v1`, token: 'T', governor: governor(), env: {} });
      const scanning = await failure(client.open(`${api.url}/v1/contents/ABC`, 1024));
      expect(isBotError(scanning, 'FILE_UNAVAILABLE') && scanning.status).to.equal(423);
      status = 410;
      const blocked = await failure(client.describe(`${api.url}/v1/contents/ABC`));
      expect(isBotError(blocked, 'FILE_UNAVAILABLE') && blocked.message).to.match(/malware scan blocked/);
    } finally {
      await api.close();
    }
  });
});
