import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sinon from 'sinon';
import { silentLogger } from '../../../src/logging.js';
import { NO_METRICS, type BotMetrics } from '../../../src/metrics/types.js';
import { signBody } from '../../../src/protocol/signature.js';
import { Readiness } from '../../../src/readiness.js';
import { createApp } from '../../../src/server/app.js';
import { isSelfTestAnswer, selfTestBody } from '../../../src/receivers/self-test.js';
import type { Intake, IntakeResult } from '../../../src/events/intake.js';
import { createWebhookReceiver } from '../../../src/receivers/webhook-receiver.js';

const secret = 'unit-test-secret-0123456789';
const bot = { id: 'bot-id', email: 'skill-bot@webex.bot', displayName: 'Skill Bot' };

describe('HTTP app: the doctor self-test and webhook metrics', () => {
  let server: Server;
  let base: string;
  const reports: unknown[][] = [];
  const metrics: BotMetrics = { ...NO_METRICS, webhookReceived: (...args) => void reports.push(args) };
  const accept = sinon
    .stub<[unknown, { requestId?: string }], Promise<IntakeResult>>()
    .resolves({ status: 'accepted', eventId: 'ev-1' });

  before(async () => {
    const webhook = createWebhookReceiver({
      path: '/webhook',
      secrets: [secret],
      log: silentLogger,
      metrics,
      selfTest: () => ({ bot, ready: true }),
    });
    await webhook.start({ accept } as unknown as Intake);
    const app = createApp({ webhook, log: silentLogger, readiness: new Readiness() });
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
  beforeEach(() => {
    accept.resetHistory();
    reports.length = 0;
  });

  const post = (body: string, signature?: string) =>
    fetch(`${base}/webhook`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...(signature ? { 'x-spark-signature': signature } : {}) },
    });

  it('answers a signed self-test with who the bot is, its nonce and request id, and hands nothing over', async () => {
    const body = selfTestBody('nonce-1');
    const res = await post(body, signBody(secret, body));
    expect(res.status).to.equal(200);
    const answer: unknown = await res.json();
    expect(isSelfTestAnswer(answer, 'nonce-1')).to.equal(true);
    expect(answer).to.deep.equal({
      status: 'self-test',
      nonce: 'nonce-1',
      bot,
      ready: true,
      requestId: res.headers.get('x-request-id'),
    });
    expect(isSelfTestAnswer(answer, 'another nonce')).to.equal(false);
    expect(accept.called).to.equal(false);
    expect(reports).to.deep.equal([['other', 'self_test']]);
  });

  it('refuses an unsigned self-test (401, reason missing) and a wrongly signed one (401, reason mismatch)', async () => {
    const body = selfTestBody('nonce-2');
    const unsigned = await post(body);
    expect(unsigned.status).to.equal(401);
    expect(await unsigned.json()).to.include({ error: 'invalid_signature', reason: 'missing' });
    const wrong = await post(body, signBody('not-the-secret-0123456789', body));
    expect(wrong.status).to.equal(401);
    expect(await wrong.json()).to.include({ error: 'invalid_signature', reason: 'mismatch' });
    expect(accept.called).to.equal(false);
    expect(reports).to.deep.equal([
      ['unknown', 'refused', 'signature'],
      ['unknown', 'refused', 'signature'],
    ]);
  });

  it('reports each outcome with a bounded resource label', async () => {
    const event = JSON.stringify({
      id: 'hook',
      name: 'n',
      resource: 'messages',
      event: 'created',
      data: { id: 'm1', roomId: 'r1' },
    });
    await post(event, signBody(secret, event));
    const odd = JSON.stringify({
      id: 'hook',
      name: 'n',
      resource: 'made-up-resource',
      event: 'created',
      data: { id: 'm1' },
    });
    await post(odd, signBody(secret, odd));
    await post('not json', signBody(secret, 'not json'));
    const big = JSON.stringify({ padding: 'x'.repeat(20_000) });
    expect((await post(big, signBody(secret, big))).status).to.equal(413);
    expect(reports).to.deep.equal([
      ['messages', 'accepted'],
      ['other', 'ignored'],
      ['unknown', 'refused', 'json'],
      ['unknown', 'refused', 'size'],
    ]);
  });
});
