import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sinon from 'sinon';
import { silentLogger } from '../../../src/logging.js';
import { Readiness } from '../../../src/readiness.js';
import { createApp } from '../../../src/server/app.js';
import type { Intake, IntakeResult } from '../../../src/events/intake.js';
import { createWebhookReceiver } from '../../../src/receivers/webhook-receiver.js';
import { signBody } from '../../../src/protocol/signature.js';

const secret = 'unit-test-secret-0123456789';
const event = {
  id: 'hook-1',
  name: 'bot hook',
  targetUrl: 'http://127.0.0.1/webhook',
  resource: 'messages',
  event: 'created',
  data: { id: 'msg-1', roomId: 'room-1' },
};

describe('HTTP app: webhook endpoint and health', () => {
  let server: Server;
  let base: string;
  const readiness = new Readiness({ started: 'starting up' });
  const accepted = async (): Promise<IntakeResult> => ({ status: 'accepted', eventId: 'ev-1' });
  const accept = sinon.stub<[unknown, { requestId?: string }], Promise<IntakeResult>>().callsFake(accepted);

  before(async () => {
    const webhook = createWebhookReceiver({ path: '/hooks/webex', secrets: [secret], log: silentLogger });
    await webhook.start({ accept } as unknown as Intake);
    const app = createApp({ webhook, log: silentLogger, readiness });
    server = createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  beforeEach(() => accept.resetHistory());

  const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
    fetch(`${base}/hooks/webex`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

  it('accepts a signed event and hands it over', async () => {
    const raw = JSON.stringify(event);
    const res = await post(raw, { 'x-spark-signature': signBody(secret, raw) });
    expect(res.status).to.equal(200);
    expect(await res.json()).to.deep.equal({ status: 'accepted', eventId: 'ev-1' });
    expect(accept.calledOnce).to.equal(true);
    // Handed over with the id of the request that carried it, the one the answer names.
    expect(res.headers.get('x-request-id')).to.match(/^[0-9a-f]{12}$/);
    expect(accept.firstCall.args).to.deep.equal([
      event,
      { requestId: res.headers.get('x-request-id'), body: Buffer.from(raw) },
    ]);
  });

  it('verifies the raw bytes, not a re-serialisation', async () => {
    const raw =
      '{ "resource":"messages", "id":"hook-1","name":"bot hook","event":"created","data":{"id":"msg-1","roomId":"room-1","note":"caf\\u00e9"} }';
    const res = await post(raw, { 'x-spark-signature': signBody(secret, raw) });
    expect(res.status).to.equal(200);
  });

  it('refuses a missing signature with 401 and hands nothing over', async () => {
    const res = await post(JSON.stringify(event));
    expect(res.status).to.equal(401);
    expect(((await res.json()) as { message: string }).message).to.match(/missing X-Spark-Signature/);
    expect(accept.called).to.equal(false);
  });

  it('refuses a wrong signature with 401', async () => {
    const raw = JSON.stringify(event);
    const res = await post(raw, { 'x-spark-signature': signBody('another-secret-0123456', raw) });
    expect(res.status).to.equal(401);
    expect(accept.called).to.equal(false);
  });

  it('refuses a signed body that is not JSON with 400', async () => {
    const raw = 'not json at all';
    const res = await post(raw, { 'x-spark-signature': signBody(secret, raw) });
    expect(res.status).to.equal(400);
    expect(await res.json()).to.deep.equal({ error: 'invalid_json', message: 'the body is not valid JSON' });
  });

  it('checks the signature before parsing: unsigned garbage gets 401, not 400', async () => {
    const res = await post('not json');
    expect(res.status).to.equal(401);
  });

  it('refuses an oversized body with 413', async () => {
    const raw = JSON.stringify({ ...event, padding: 'x'.repeat(20_000) });
    const res = await post(raw, { 'x-spark-signature': signBody(secret, raw) });
    expect(res.status).to.equal(413);
    expect(((await res.json()) as { error: string }).error).to.equal('payload_too_large');
    expect(accept.called).to.equal(false);
  });

  it('acknowledges but ignores events of unknown resource or shape', async () => {
    for (const body of [
      { ...event, resource: 'meetings' },
      { ...event, event: 'deleted' },
      { ...event, data: {} },
      [1, 2],
    ]) {
      const raw = JSON.stringify(body);
      const res = await post(raw, { 'x-spark-signature': signBody(secret, raw) });
      expect(res.status).to.equal(200);
      expect(((await res.json()) as { status: string }).status).to.equal('ignored');
    }
    expect(accept.called).to.equal(false);
  });

  it('accepts any content type (the signature is what counts)', async () => {
    const raw = JSON.stringify(event);
    const res = await post(raw, { 'content-type': 'text/plain', 'x-spark-signature': signBody(secret, raw) });
    expect(res.status).to.equal(200);
  });

  it('answers /healthz (alive) whatever the readiness, and /readyz with what is not met', async () => {
    let res = await fetch(`${base}/healthz`);
    expect(res.status).to.equal(200);
    expect(await res.json()).to.include({ status: 'alive' });
    res = await fetch(`${base}/readyz`);
    expect(res.status).to.equal(503);
    expect(await res.json()).to.deep.equal({
      status: 'not-ready',
      unmet: [{ condition: 'started', reason: 'starting up' }],
    });
    readiness.pass('started');
    res = await fetch(`${base}/readyz`);
    expect(res.status).to.equal(200);
    expect(await res.json()).to.deep.equal({ status: 'ready' });
    readiness.fail('draining', 'shutting down');
    expect((await fetch(`${base}/readyz`)).status).to.equal(503);
    expect((await fetch(`${base}/healthz`)).status).to.equal(200);
  });

  it('answers 503 with Retry-After when the bot cannot take the event now', async () => {
    accept.callsFake(async () => ({ status: 'unavailable', reason: 'the bot is shutting down' }));
    const raw = JSON.stringify(event);
    const res = await post(raw, { 'x-spark-signature': signBody(secret, raw) });
    accept.callsFake(accepted);
    expect(res.status).to.equal(503);
    expect(res.headers.get('retry-after')).to.equal('5');
    expect(await res.json()).to.deep.equal({ error: 'unavailable', message: 'the bot is shutting down' });
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await fetch(`${base}/nope`);
    expect(res.status).to.equal(404);
    expect(await res.json()).to.deep.equal({ error: 'not_found', message: 'no route for GET /nope' });
  });
});
