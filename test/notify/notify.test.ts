/**
 * `POST /notify` as CI pipelines and monitors call it (plain HTTP, as curl sends it) against a
 * real bot and the emulator: a good request posts the message; no token or a wrong one is a 401
 * and nothing is sent; bad JSON, bad fields and an unknown card are 400s with the reason; a space
 * the bot is not in is a 404 with Webex's reason; a retry with the same Idempotency-Key sends once
 * (also when the two come at the same moment). Then `npm run notify`, the CLI.
 */
import { expect } from 'chai';
import { startNodeScript } from '../e2e/support/processes.js';
import { startTestBot, textShown, type TestBot } from '../../src/testing/test-bot.js';

const TOKEN = 'notify-token-0123456789abcdef';

describe('POST /notify', () => {
  let t: TestBot;
  let url: string;
  const botMessages = (roomId: string) => t.emulator.transcript(roomId).filter((m) => m.personId === t.emulator.bot.id);

  /** A request as curl sends it. */
  function post(body: string | object, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) {
    return fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  before(async () => {
    t = await startTestBot({ config: { notifyToken: TOKEN } });
    url = `http://127.0.0.1:${t.bot.port}/notify`;
  });
  after(() => t.stop());

  it('posts markdown to a person by e-mail: 200 with the message id and the direct space', async () => {
    const res = await post({ toPersonEmail: 'alice@example.com', markdown: 'Build **green** on `main`' });
    expect(res.status).to.equal(200);
    const body = (await res.json()) as { id: string; roomId: string };
    expect(body.roomId).to.equal(t.direct.roomId);
    const sent = botMessages(t.direct.roomId).find((m) => m.id === body.id)!;
    expect(sent.markdown).to.equal('Build **green** on `main`');
  });

  it('posts text to a space by id, and a card template with data (its text the fallback)', async () => {
    const res = await post({ roomId: t.group.roomId, text: 'Deploy started' });
    expect(res.status).to.equal(200);
    const carded = await post({
      roomId: t.group.roomId,
      card: 'feedback',
      data: { name: 'team', topic: 'the deploy' },
    });
    expect(carded.status).to.equal(200);
    const { id } = (await carded.json()) as { id: string };
    const card = botMessages(t.group.roomId).find((m) => m.id === id)!;
    expect(textShown(card)).to.include('How is it going, team?').and.include('the deploy');
    expect(botMessages(t.group.roomId).map((m) => m.text)).to.include('Deploy started');
  });

  it('401 without the token or with a wrong one, and nothing is sent', async () => {
    const before = botMessages(t.direct.roomId).length;
    const none = await post({ toPersonEmail: 'alice@example.com', text: 'x' }, {});
    expect(none.status).to.equal(401);
    expect(none.headers.get('www-authenticate')).to.equal('Bearer realm="notify"');
    expect(((await none.json()) as { message: string }).message).to.equal('send Authorization: Bearer <NOTIFY_TOKEN>');
    const wrong = await post({ toPersonEmail: 'alice@example.com', text: 'x' }, { authorization: `Bearer ${TOKEN}x` });
    expect(wrong.status).to.equal(401);
    expect(((await wrong.json()) as { message: string }).message).to.equal('the bearer token is not the NOTIFY_TOKEN');
    const basic = await post({ toPersonEmail: 'alice@example.com', text: 'x' }, { authorization: `Basic ${TOKEN}` });
    expect(basic.status).to.equal(401);
    expect(botMessages(t.direct.roomId).length).to.equal(before);
  });

  it('400 with the reason: bad JSON, missing or extra fields, unknown card, too long', async () => {
    const cases: Array<[string | object, string]> = [
      ['{"toPersonEmail": "alice@example.com", "text": ', 'the body is not JSON'],
      [{ text: 'where?' }, 'say where: one of roomId, toPersonEmail, toPersonId'],
      [
        { roomId: t.group.roomId, toPersonEmail: 'alice@example.com', text: 'x' },
        'give only one of roomId, toPersonEmail, toPersonId',
      ],
      [{ roomID: t.group.roomId, text: 'x' }, 'unknown field "roomID"'],
      [{ roomId: t.group.roomId }, 'say what: text, markdown, or card'],
      [{ toPersonEmail: 'not-an-address', text: 'x' }, 'is not an e-mail address'],
      [
        { roomId: t.group.roomId, card: 'no-such-card' },
        'there is no card "no-such-card" (cards: feedback, help, provision',
      ],
      [{ roomId: t.group.roomId, text: 'x'.repeat(8000) }, 'text is 8000 bytes: Webex takes at most 7439'],
      [[1, 2], 'the body must be a JSON object'],
    ];
    for (const [body, reason] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).to.equal(400);
      const answer = (await res.json()) as { error: string; message: string; requestId: string };
      expect(answer.message, JSON.stringify(body).slice(0, 80)).to.include(reason);
      expect(answer.requestId).to.be.a('string');
    }
  });

  it("404 with Webex's reason for a space the bot is not in, or a person Webex does not know", async () => {
    const seed = t.emulator.seed!;
    const elsewhere = t.emulator.createRoom({
      type: 'group',
      title: 'Not the bot',
      memberIds: [seed.alice.id, seed.bob.id],
    });
    const res = await post({ roomId: elsewhere.id, text: 'hello?' });
    expect(res.status).to.equal(404);
    expect(((await res.json()) as { message: string }).message).to.equal(
      'Webex: Could not find a room with the provided roomId',
    );
    const nobody = await post({ toPersonEmail: 'nobody@example.com', text: 'hello?' });
    expect(nobody.status).to.equal(404);
    expect(((await nobody.json()) as { message: string }).message).to.include(
      'Could not find the person nobody@example.com',
    );
    expect(t.emulator.transcript(elsewhere.id)).to.deep.equal([]);
  });

  it('a retry with the same Idempotency-Key sends once and gets the first answer, also when both come at once', async () => {
    const body = { roomId: t.group.roomId, text: 'Release 1.2.3 is out' };
    const key = { authorization: `Bearer ${TOKEN}`, 'idempotency-key': 'release-1.2.3' };
    const first = await post(body, key);
    const again = await post(body, key);
    expect(first.status).to.equal(200);
    expect(again.status).to.equal(200);
    expect(again.headers.get('idempotent-replayed')).to.equal('true');
    expect(await again.json()).to.deep.equal(await first.json());
    const together = { authorization: `Bearer ${TOKEN}`, 'idempotency-key': 'release-1.2.4' };
    const both = await Promise.all([
      post({ ...body, text: 'Release 1.2.4 is out' }, together),
      post({ ...body, text: 'Release 1.2.4 is out' }, together),
    ]);
    expect(both.map((r) => r.status)).to.deep.equal([200, 200]);
    const ids = await Promise.all(both.map(async (r) => ((await r.json()) as { id: string }).id));
    expect(ids[0]).to.equal(ids[1]);
    const texts = botMessages(t.group.roomId).map((m) => m.text);
    expect(texts.filter((x) => x === 'Release 1.2.3 is out')).to.have.length(1);
    expect(texts.filter((x) => x === 'Release 1.2.4 is out')).to.have.length(1);
    const reused = await post({ ...body, text: 'something else' }, key);
    expect(reused.status).to.equal(422);
    expect(((await reused.json()) as { message: string }).message).to.equal(
      'this Idempotency-Key was used for another request',
    );
  });

  it('npm run notify (the CLI): sends, prints the id; a refusal exits 1 with the reason', async () => {
    const env = { NOTIFY_TOKEN: TOKEN, NOTIFY_URL: `http://127.0.0.1:${t.bot.port}` };
    const ok = startNodeScript('notify', 'src/tools/notify.ts', env, [
      '--to',
      'alice@example.com',
      '--text',
      'From the CLI',
    ]);
    expect(await ok.exitCode()).to.equal(0);
    const id = ok.output.trim();
    expect(botMessages(t.direct.roomId).find((m) => m.id === id)?.text).to.equal('From the CLI');
    const refused = startNodeScript('notify', 'src/tools/notify.ts', env, ['--room', t.group.roomId, '--card', 'nope']);
    expect(await refused.exitCode()).to.equal(1);
    expect(refused.output).to.include('notify: 400: there is no card "nope"');
    const noToken = startNodeScript('notify', 'src/tools/notify.ts', { NOTIFY_URL: env.NOTIFY_URL }, [
      '--to',
      'alice@example.com',
      '--text',
      'x',
    ]);
    expect(await noToken.exitCode()).to.equal(1);
    expect(noToken.output).to.include('notify: no token');
  });
});

describe('POST /notify without NOTIFY_TOKEN', () => {
  it('is off: 404 saying how to turn it on, and nothing is sent', async () => {
    const t = await startTestBot();
    try {
      const res = await fetch(`http://127.0.0.1:${t.bot.port}/notify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer anything-at-all-123' },
        body: JSON.stringify({ toPersonEmail: 'alice@example.com', text: 'x' }),
      });
      expect(res.status).to.equal(404);
      expect(((await res.json()) as { message: string }).message).to.equal(
        'POST /notify is off: set NOTIFY_TOKEN to turn it on',
      );
      expect(t.emulator.transcript(t.direct.roomId)).to.deep.equal([]);
    } finally {
      await t.stop();
    }
  });
});
