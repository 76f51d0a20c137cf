import { expect } from 'chai';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { classifyFailure } from '../../../src/calls/failure.js';
import { WebexBadAnswerError } from '../../../src/errors.js';
import { leanSdkRequests, type SdkRequestOptions } from '../../../src/calls/lean-http.js';
import { listen } from '../../../src/util/listen.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  clientPort: number | undefined;
}

describe('the lean HTTP transport under the SDK', () => {
  let server: Server;
  let apiUrl: string;
  const seen: Seen[] = [];
  let answer: (req: IncomingMessage, res: ServerResponse) => void;
  const fallback: SdkRequestOptions[] = [];
  const sdkRequest = async (o: SdkRequestOptions) => {
    fallback.push(o);
    return { statusCode: 200, headers: {}, body: 'from the SDK' };
  };
  const send = () => leanSdkRequests({ apiUrl, token: 'TOKEN', env: {} }, sdkRequest);

  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        seen.push({
          method: req.method!,
          url: req.url!,
          headers: req.headers,
          body,
          clientPort: req.socket.remotePort,
        });
        answer(req, res);
      });
    });
    const port = await listen(server, 0, '127.0.0.1');
    apiUrl = `http://127.0.0.1:${port}/v1`;
  });
  after(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  beforeEach(() => {
    seen.length = 0;
    fallback.length = 0;
    answer = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'm1' }));
    };
  });

  it('sends a REST call with the token, query and JSON body, and answers as the SDK does', async () => {
    const res = (await send()({
      method: 'post',
      service: 'hydra',
      resource: 'messages',
      qs: { max: 2, roomId: 'r 1' },
      body: { roomId: 'r', markdown: 'hé' },
      headers: { trackingid: 't-1' },
    })) as { statusCode: number; body: unknown; headers: Record<string, string> };
    expect(res.statusCode).to.equal(200);
    expect(res.body).to.deep.equal({ id: 'm1' });
    expect(res.headers['content-type']).to.equal('application/json');
    const [req] = seen;
    expect(req!.method).to.equal('POST');
    expect(req!.url).to.equal('/v1/messages?max=2&roomId=r+1');
    expect(req!.headers['authorization']).to.equal('Bearer TOKEN');
    expect(req!.headers['trackingid']).to.equal('t-1');
    expect(JSON.parse(req!.body)).to.deep.equal({ roomId: 'r', markdown: 'hé' });
    expect(fallback).to.have.length(0);
  });

  it('follows a page link under the API URL (uri) and reuses its connection', async () => {
    const s = send();
    await s({ service: 'hydra', resource: 'messages', qs: { roomId: 'r' } });
    await s({ uri: `${apiUrl}/messages?roomId=r&cursor=abc` });
    expect(seen.map((r) => r.url)).to.deep.equal(['/v1/messages?roomId=r', '/v1/messages?roomId=r&cursor=abc']);
    expect(seen[1]!.clientPort).to.equal(seen[0]!.clientPort); // one keep-alive connection
    expect(fallback).to.have.length(0);
  });

  it("rejects a Webex error with the SDK's error shape, so the governor reads it alike (429 Retry-After, 404)", async () => {
    answer = (_req, res) => {
      res
        .writeHead(429, { 'content-type': 'application/json', 'retry-after': '3' })
        .end(JSON.stringify({ message: 'Too many requests' }));
    };
    const err = (await send()({ service: 'hydra', resource: 'messages/abc' }).catch((e: unknown) => e)) as {
      statusCode: number;
      headers: Record<string, string>;
      body: { message: string };
      message: string;
      code: string;
    };
    expect(err.statusCode).to.equal(429);
    expect(err.body.message).to.equal('Too many requests');
    expect(err.code).to.equal('WEBEX_CALL_FAILED');
    expect(err.message).to.include('HTTP 429').and.include('Too many requests');
    expect(classifyFailure(err)).to.deep.equal({ kind: 'rate-limited', retryAfter: '3' });
    answer = (_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"not found"}');
    };
    expect(
      classifyFailure(await send()({ service: 'hydra', resource: 'messages/abc' }).catch((e: unknown) => e)),
    ).to.deep.equal({ kind: 'final', status: 404 });
  });

  it('refuses a 2xx that is not the JSON expected (an HTML page, a truncated body, nothing): a failure the governor retries where safe', async () => {
    const bodies: Array<[string, string, RegExp]> = [
      ['text/html', '<html><body>Gateway login</body></html>', /not JSON \(text\/html\)/],
      ['application/json', '{"id": "m1", "text": "cut of', /does not parse/],
      ['application/json', '', /an empty body/],
    ];
    for (const [type, body, problem] of bodies) {
      answer = (_req, res) => {
        res.writeHead(200, { 'content-type': type }).end(body);
      };
      const err = (await send()({ service: 'hydra', resource: 'messages/abc' }).catch((e: unknown) => e)) as Error & {
        code: string;
      };
      expect(err, type).to.be.instanceOf(WebexBadAnswerError);
      expect(err.code).to.equal('WEBEX_BAD_ANSWER');
      expect(err.message).to.match(problem).and.include('GET /v1/messages/abc answered 2xx');
      expect(classifyFailure(err)).to.deep.equal({ kind: 'transient', reason: 'EBADANSWER' });
    }
    answer = (_req, res) => {
      res.writeHead(204).end();
    };
    expect(await send()({ method: 'DELETE', service: 'hydra', resource: 'messages/abc' })).to.include({
      statusCode: 204,
    });
  });

  it('says when no answer came: refused before sending, or timed out after', async () => {
    const refused = leanSdkRequests({ apiUrl: 'http://127.0.0.1:1/v1', token: 'T', env: {} }, sdkRequest);
    expect(
      classifyFailure(
        await refused({ method: 'POST', service: 'hydra', resource: 'messages', body: {} }).catch((e: unknown) => e),
      ),
    ).to.deep.equal({ kind: 'not-sent', reason: 'ECONNREFUSED' });
    answer = () => undefined; // never answers
    const err = await send()({ service: 'hydra', resource: 'people/me', timeout: 100 }).catch((e: unknown) => e);
    expect(classifyFailure(err)).to.deep.equal({ kind: 'transient', reason: 'ETIMEDOUT' });
    expect((err as { statusCode: number }).statusCode).to.equal(0);
  });

  it("hands everything else to the SDK's own pipeline: uploads, other services, other hosts, nested queries", async () => {
    const s = send();
    await s({ method: 'POST', service: 'hydra', resource: 'messages', formData: { files: [Buffer.from('x')] } });
    await s({ service: 'wdm', resource: 'devices' });
    await s({ uri: 'https://elsewhere.example/v1/messages' });
    await s({ service: 'hydra', resource: 'people', qs: { id: ['a', 'b'] } });
    expect(fallback).to.have.length(4);
    expect(seen).to.have.length(0);
  });

  it("leaves every call to the SDK's client when a proxy is set for the API URL (it honours HTTPS_PROXY; this does not)", () => {
    const s = leanSdkRequests(
      { apiUrl: 'https://webexapis.com/v1', token: 'T', env: { HTTPS_PROXY: 'http://proxy.example:3128' } },
      sdkRequest,
    );
    expect(s).to.equal(sdkRequest);
  });
});
