/**
 * What hostile input found at the webhook route: resources named like inherited properties of an
 * object, and clients that hang up in the middle of their body.
 */
import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Intake } from '../../../src/events/intake.js';
import { signBody } from '../../../src/protocol/signature.js';
import { Readiness } from '../../../src/readiness.js';
import { createWebhookReceiver } from '../../../src/receivers/webhook-receiver.js';
import { createApp } from '../../../src/server/app.js';
import { capturedLog } from '../../e2e/support/captured-log.js';
import { waitUntil } from '../../scale/support/wait.js';

const secret = 'receiver-test-secret-0123456789';

describe('the webhook receiver against hostile input', () => {
  let server: Server;
  let port: number;
  const captured = capturedLog('debug');
  const accepted: unknown[] = [];
  let closedRequests = 0;

  before(async () => {
    const webhook = createWebhookReceiver({ path: '/webhook', secrets: [secret], log: captured.log });
    await webhook.start({
      accept: async (envelope: unknown) => {
        accepted.push(envelope);
        return { status: 'accepted', eventId: 'ev' };
      },
    } as unknown as Intake);
    server = createServer(createApp({ webhook, log: captured.log, readiness: new Readiness({}) }));
    server.on('request', (req) => req.on('close', () => closedRequests++));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );

  it('a signed event whose resource is __proto__, constructor or toString is acknowledged as not handled (200 with the reason), never a 500', async () => {
    for (const resource of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const raw = JSON.stringify({ id: 'w', name: 'n', resource, event: 'created', data: { id: 'x' } });
      const res = await fetch(`http://127.0.0.1:${port}/webhook`, {
        method: 'POST',
        body: raw,
        headers: { 'content-type': 'application/json', 'x-spark-signature': signBody(secret, raw) },
      });
      expect(res.status, resource).to.equal(200);
      expect(await res.json(), resource).to.deep.equal({
        status: 'ignored',
        reason: `resource "${resource}" is not handled`,
      });
    }
    expect(accepted).to.deep.equal([]);
  });

  it('a client that hangs up mid-body costs one debug line at most per minute: no error, no stack, no flood', async () => {
    const before = captured.lines.length;
    const closedBefore = closedRequests;
    for (let i = 0; i < 20; i++) {
      await new Promise<void>((resolve) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.write(
            'POST /webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"id":',
          );
          setImmediate(() => {
            socket.destroy();
            resolve();
          });
        });
      });
    }
    await waitUntil('the server saw every request end', () => closedRequests - closedBefore >= 20);
    const lines = captured.lines.slice(before);
    expect(lines.filter((l) => l.level === 'error' || l.level === 'warn')).to.deep.equal([]);
    expect(lines.filter((l) => /hung up/.test(l.message))).to.have.length(1);
    expect(JSON.stringify(lines)).to.not.include('"stack"');
  });
});
