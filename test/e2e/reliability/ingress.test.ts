/**
 * "Signatures" and "Malformed": what reaches the bot's webhook URL over real HTTP. The
 * emulator's own deliveries to the bot are switched off (its webhooks set inactive), and the
 * test delivers events itself — valid ones for real messages, and every kind of bad request.
 */
import { expect } from 'chai';
import { connect } from 'node:net';
import type { Message, Webhook } from '../../../src/emulator/index.js';
import { signBody } from '../../../src/protocol/signature.js';
import { startTestBot, TEST_WEBHOOK_SECRET, type TestBot } from '../../../src/testing/test-bot.js';
import { capturedLog } from '../support/captured-log.js';
import { botMessages, postToBot, settled } from '../support/settle.js';

const PREVIOUS_SECRET = 'the-previous-webhook-secret-0123';

/** Starts a test bot whose webhooks the emulator does not deliver to: the test delivers by hand. */
async function handDeliveredBot(
  settings: Parameters<typeof startTestBot>[0] = {},
): Promise<{ t: TestBot; hooks: Webhook[] }> {
  const t = await startTestBot({
    ...settings,
    config: { webhookCheckIntervalMs: 3_600_000, ...settings.config },
    tuning: { watchdogQuietMs: 3_600_000, ...settings.tuning },
  });
  const hooks = t.emulator.webhooks().filter((h) => h.targetUrl === t.bot.webhookUrl);
  // Inactive, as Webex leaves a webhook after failed deliveries (the owner cannot deactivate one with a PUT).
  for (const h of hooks) t.emulator.alterWebhook(h.id, { status: 'inactive' });
  return { t, hooks };
}

/** The webhook body Webex would send for `message` (Webex's field order). */
function envelopeFor(hook: Webhook, message: Message): Record<string, unknown> {
  return {
    id: hook.id,
    name: hook.name,
    targetUrl: hook.targetUrl,
    resource: 'messages',
    event: 'created',
    orgId: hook.orgId,
    createdBy: hook.createdBy,
    appId: hook.appId,
    ownedBy: hook.ownedBy,
    status: 'active',
    created: hook.created,
    actorId: message.personId,
    data: {
      id: message.id,
      roomId: message.roomId,
      roomType: message.roomType,
      personId: message.personId,
      personEmail: message.personEmail,
      created: message.created,
    },
  };
}

describe('Signatures', function () {
  this.timeout(30_000);
  let t: TestBot;
  let firehose: Webhook;
  before(async () => {
    const started = await handDeliveredBot({ config: { webhookSecretPrevious: PREVIOUS_SECRET } });
    t = started.t;
    firehose = started.hooks.find((h) => h.resource === 'all')!;
  });
  after(() => t.stop());

  /** A new message from Alice, and its webhook body. */
  async function newEvent(text: string): Promise<{ message: Message; body: string }> {
    const message = await t.direct.send(text);
    return { message, body: JSON.stringify(envelopeFor(firehose, message)) };
  }

  it('valid: accepted, and the message answered', async () => {
    const { message, body } = await newEvent('echo signed');
    const res = await postToBot(t, body);
    expect(res.status).to.equal(200);
    expect(await res.json()).to.include({ status: 'accepted' });
    await settled(t);
    expect(
      botMessages(t, t.direct.roomId, message).map((m) => m.markdown?.includes('- Message: echo signed')),
    ).to.deep.equal([true]);
  });

  const refusedCases: Array<[string, (body: string) => Parameters<typeof postToBot>[2] & { body?: string }]> = [
    ['missing', () => ({ signature: null })],
    ['wrong (another secret)', () => ({ secret: 'some-other-secret-0123456789' })],
    ['wrong length', (body) => ({ signature: signBody(TEST_WEBHOOK_SECRET, body).slice(0, 39) })],
    [
      'one byte of the body altered after signing',
      (body) => ({ signature: signBody(TEST_WEBHOOK_SECRET, body), body: body.replace('"messages"', '"massages"') }),
    ],
  ];
  for (const [name, make] of refusedCases) {
    it(`${name}: 401, nothing done`, async () => {
      const { message, body } = await newEvent(`echo refused ${name}`);
      const options = make(body);
      const res = await postToBot(t, options.body ?? body, options);
      expect(res.status).to.equal(401);
      expect(await res.json()).to.include({ error: 'invalid_signature' });
      await settled(t);
      expect(botMessages(t, t.direct.roomId, message)).to.deep.equal([]);
    });
  }

  it('re-formatted JSON signed over its own bytes: accepted', async () => {
    const { message, body } = await newEvent('echo pretty');
    const pretty = JSON.stringify(JSON.parse(body), null, 2).replace(/\//g, '\\/');
    expect((await postToBot(t, pretty)).status).to.equal(200);
    await settled(t);
    expect(botMessages(t, t.direct.roomId, message)).to.have.length(1);
  });

  it('previous secret accepted while WEBHOOK_SECRET_PREVIOUS is set, and refused after', async () => {
    const { body } = await newEvent('echo rotated');
    expect((await postToBot(t, body, { secret: PREVIOUS_SECRET })).status).to.equal(200);
    // Restarted without the previous secret: refused.
    const { t: after } = await handDeliveredBot();
    try {
      const m = await after.direct.send('echo rotated later');
      const hook = after.emulator.webhooks().find((h) => h.targetUrl === after.bot.webhookUrl && h.resource === 'all')!;
      const res = await postToBot(after, JSON.stringify(envelopeFor(hook, m)), { secret: PREVIOUS_SECRET });
      expect(res.status).to.equal(401);
    } finally {
      await after.stop();
    }
  });
});

describe('Malformed', function () {
  this.timeout(30_000);
  let t: TestBot;
  const captured = capturedLog();
  before(async () => {
    // Short, for the slow client below; long enough that no request sent whole is cut on a busy machine.
    ({ t } = await handDeliveredBot({ log: captured.log, tuning: { requestTimeoutMs: 2000 } }));
  });
  after(() => t.stop());

  it('non-JSON (signed): 400', async () => {
    const res = await postToBot(t, 'this is { not json');
    expect(res.status).to.equal(400);
    expect(await res.json()).to.include({ error: 'invalid_json' });
  });

  it('a 2 MB body: 413, before the signature is even computed', async () => {
    const res = await postToBot(t, Buffer.alloc(2 * 1024 * 1024, 'a'), { signature: 'a'.repeat(40) }).catch(
      (e: Error) => e,
    );
    // The bot answers 413 and stops reading; a client still sending may see the connection end instead.
    if (res instanceof Error) expect(res.message).to.match(/fetch failed|other side closed|ECONNRESET|EPIPE/);
    else expect(res.status).to.equal(413);
    expect((await fetch(`http://127.0.0.1:${t.bot.port}/healthz`)).status).to.equal(200);
  });

  it('deeply nested JSON (signed): acknowledged and ignored, the bot unaffected', async () => {
    const depth = 2000; // as deep as fits in the 16 KB a webhook may have
    for (const body of ['['.repeat(depth) + ']'.repeat(depth), `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`]) {
      const res = await postToBot(t, body);
      expect(res.status).to.equal(200);
      expect(await res.json()).to.include({ status: 'ignored' });
    }
    expect((await fetch(`http://127.0.0.1:${t.bot.port}/healthz`)).status).to.equal(200);
  });

  it('an empty body: 401 unsigned, 400 signed', async () => {
    expect((await postToBot(t, '', { signature: null })).status).to.equal(401);
    expect((await postToBot(t, '')).status).to.equal(400);
  });

  it('a slow client that never finishes its body: timed out, the server unaffected meanwhile', async () => {
    const socket = connect(t.bot.port, '127.0.0.1');
    const answer = new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (d) => {
        text += d.toString();
      });
      socket.on('close', () => resolve(text));
      socket.on('error', () => resolve(text));
    });
    socket.write(
      `POST /webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"id":`,
    );
    // Meanwhile other requests are served.
    expect((await fetch(`http://127.0.0.1:${t.bot.port}/healthz`)).status).to.equal(200);
    expect(await answer).to.match(/^HTTP\/1\.1 408/);
  });

  it('an unknown resource, or no data.id: 2xx, ignored, logged', async () => {
    const unknown = await postToBot(
      t,
      JSON.stringify({ id: 'h', name: 'n', resource: 'meetings', event: 'started', data: { id: 'x' } }),
    );
    expect(unknown.status).to.equal(200);
    expect(await unknown.json()).to.deep.equal({ status: 'ignored', reason: 'resource "meetings" is not handled' });
    const noId = await postToBot(
      t,
      JSON.stringify({ id: 'h', name: 'n', resource: 'messages', event: 'created', data: {} }),
    );
    expect(noId.status).to.equal(200);
    expect(await noId.json()).to.deep.equal({ status: 'ignored', reason: '"data.id" is missing' });
    const logged = captured.lines.filter((l) => l.message === 'webhook ignored').map((l) => l['reason']);
    expect(logged).to.include('resource "meetings" is not handled').and.include('"data.id" is missing');
  });
});
