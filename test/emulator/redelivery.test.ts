/**
 * `redeliver`: an earlier delivery sent again with the very same bytes and signature, one copy
 * after the other or all at once, each copy recorded; and its control API route.
 */
import { expect } from 'chai';
import type { WebexSdk } from 'webex';
import { ApiError, signBody, type DeliveryRecord, type Emulator } from '../../src/emulator/index.js';
import { createHook, Receiver, sdkFor, startTestEmulator, type Received } from './helpers.js';

const SECRET = 'redelivery-secret';

describe('emulator redelivery', () => {
  let emulator: Emulator;
  let receiver: Receiver;
  let bot: WebexSdk;

  beforeEach(async () => {
    emulator = await startTestEmulator();
    receiver = await Receiver.start();
    bot = await sdkFor(emulator, emulator.botToken);
  });
  afterEach(async () => {
    await emulator.stop();
    await receiver.close();
  });

  /** Alice writes to the bot; resolves with the delivery of that message once it was answered. */
  async function deliveredMessage(text = 'deliver me twice'): Promise<{ original: DeliveryRecord; first: Received }> {
    const m = await emulator.say({ personId: emulator.seed!.alice.id, roomId: emulator.seed!.directRoom.id, text });
    const [first] = await receiver.waitFor((r) => r.json?.data?.id === m.id);
    const original = emulator.deliveries().find((d) => d.dataId === m.id)!;
    return { original, first: first! };
  }

  /** Every request carrying `original`'s body, in arrival order. */
  const sameBody = (original: DeliveryRecord): Received[] =>
    receiver.requests.filter((r) => r.raw.toString('utf8') === original.body);

  /** Checks that the copies repeat `original` exactly and were delivered once each. */
  function expectFaithfulCopies(copies: DeliveryRecord[], original: DeliveryRecord, count: number): void {
    expect(copies).to.have.length(count);
    expect(new Set(copies.map((c) => c.id)).size).to.equal(count);
    for (const c of copies) {
      expect(c.id).to.not.equal(original.id);
      expect(c).to.include({
        webhookId: original.webhookId,
        targetUrl: original.targetUrl,
        resource: 'messages',
        event: 'created',
        dataId: original.dataId,
        body: original.body,
        signature: original.signature,
        redeliveryOf: original.id,
        redeliveryCause: 'redeliver',
        state: 'delivered',
      });
      expect(c.attempts.map((a) => a.status)).to.deep.equal([200]);
    }
    const recorded = emulator.deliveries().filter((d) => d.redeliveryOf === original.id);
    expect(recorded.map((d) => d.id)).to.deep.equal(copies.map((c) => c.id));
  }

  it('sends copies one after the other, with identical bytes and a valid signature, each recorded', async () => {
    await createHook(bot, receiver.url, { secret: SECRET });
    const { original, first } = await deliveredMessage();
    receiver.answer = () => new Promise((resolve) => setTimeout(() => resolve({ status: 200 }), 50)); // hold each answer a moment
    const copies = await emulator.redeliver(original.id, { copies: 3 });

    expectFaithfulCopies(copies, original, 3);
    for (const c of copies) expect(c.concurrent).to.equal(false);
    const received = sameBody(original);
    expect(received).to.have.length(4);
    for (const r of received) {
      expect(r.raw.equals(first.raw)).to.equal(true);
      expect(r.headers['x-spark-signature']).to.equal(signBody(SECRET, r.raw));
    }
    // One after the other: no copy arrived while another was still unanswered.
    expect(received.slice(1).map((r) => r.inFlightAtArrival.length)).to.deep.equal([0, 0, 0]);
    expect(new Set(received.map((r) => r.headers['trackingid'])).size).to.equal(4);
  });

  it('sends copies all at the same moment when concurrent', async () => {
    await createHook(bot, receiver.url, { secret: SECRET });
    const { original, first } = await deliveredMessage();
    const copiesWanted = 3;
    // Answer nothing until every copy (each its own tracking id) is in flight at once.
    let release: () => void = () => undefined;
    const allArrived = new Promise<void>((resolve) => (release = resolve));
    receiver.answer = () => {
      const inFlight = new Set(
        sameBody(original)
          .slice(1)
          .map((r) => r.headers['trackingid']),
      );
      if (inFlight.size >= copiesWanted) release();
      return allArrived.then(() => ({ status: 200 }));
    };
    const copies = await emulator.redeliver(original.id, { copies: copiesWanted, concurrent: true });

    expectFaithfulCopies(copies, original, copiesWanted);
    for (const c of copies) expect(c.concurrent).to.equal(true);
    const received = sameBody(original).slice(1);
    expect(received).to.have.length(copiesWanted);
    expect(Math.max(...received.map((r) => r.inFlightAtArrival.length))).to.equal(copiesWanted - 1);
    for (const r of received) {
      expect(r.raw.equals(first.raw)).to.equal(true);
      expect(r.headers['x-spark-signature']).to.equal(signBody(SECRET, r.raw));
    }
  });

  it('retries a copy like any delivery, and points a copy of a copy at the first delivery', async () => {
    await createHook(bot, receiver.url);
    const { original } = await deliveredMessage();
    receiver.answer = () => ({ status: 503 });
    const [failed] = await emulator.redeliver(original.id);
    expect(failed).to.include({ state: 'failed', reason: 'HTTP 503', redeliveryOf: original.id });
    expect(failed!.attempts.map((a) => a.status)).to.deep.equal([503, 503, 503]);
    expect(failed).to.not.have.property('signature');

    receiver.answer = () => ({ status: 200 });
    const [again] = await emulator.redeliver(failed!.id);
    expect(again).to.include({ state: 'delivered', redeliveryOf: original.id, body: original.body });
  });

  it('cancels copies for a webhook deleted since', async () => {
    const hook = await createHook(bot, receiver.url);
    const { original } = await deliveredMessage();
    await bot.webhooks.remove(hook.id);
    const copies = await emulator.redeliver(original.id, { copies: 2 });
    expect(copies.map((c) => [c.state, c.reason])).to.deep.equal([
      ['cancelled', 'webhook deleted'],
      ['cancelled', 'webhook deleted'],
    ]);
    expect(sameBody(original)).to.have.length(1);
  });

  it('refuses bad options with a TypeError and an unknown delivery with a 404', async () => {
    await createHook(bot, receiver.url);
    const { original } = await deliveredMessage();
    const refused = async (call: Promise<unknown>): Promise<Error> => {
      let error: unknown;
      await call.catch((e: unknown) => {
        error = e;
      });
      expect(error, 'expected a rejection').to.be.instanceOf(Error);
      return error as Error;
    };
    const bad: Array<[unknown, RegExp]> = [
      [{ copies: 0 }, /copies must be an integer from 1 to 100 \(got 0\)/],
      [{ copies: 101 }, /copies must be an integer from 1 to 100/],
      [{ copies: 1.5 }, /copies must be an integer/],
      [{ copies: '2' }, /copies must be an integer/],
      [{ concurrent: 'yes' }, /concurrent must be a boolean/],
      [{ copy: 2 }, /unknown option copy/],
      ['twice', /options must be an object/],
    ];
    for (const [options, message] of bad) {
      const err = await refused(emulator.redeliver(original.id, options as never));
      expect(err, JSON.stringify(options)).to.be.instanceOf(TypeError);
      expect(err.message).to.match(message);
    }
    const unknown = await refused(emulator.redeliver('no-such-delivery'));
    expect(unknown).to.be.instanceOf(ApiError);
    expect((unknown as ApiError).statusCode).to.equal(404);
    expect(unknown.message).to.match(/No delivery with id no-such-delivery/);
    expect(emulator.deliveries()).to.have.length(1);
  });

  describe('control API', () => {
    /** `Json`: the shape the test expects of the answer (not checked). */
    const redeliver = async <Json = unknown>(id: string, body?: unknown): Promise<{ status: number; json: Json }> => {
      const res = await fetch(`${emulator.url}/_emulator/deliveries/${encodeURIComponent(id)}/redeliver`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' }, // a control POST is JSON, also without a body
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, json: (await res.json()) as Json };
    };

    it('POST /deliveries/:id/redeliver sends the copies and answers them once they ended', async () => {
      await createHook(bot, receiver.url, { secret: SECRET });
      const { original } = await deliveredMessage();
      const res = await redeliver<{ items: DeliveryRecord[] }>(original.id, { copies: 2, concurrent: true });
      expect(res.status).to.equal(201);
      expect(res.json.items).to.have.length(2);
      for (const c of res.json.items)
        expect(c).to.include({
          redeliveryOf: original.id,
          redeliveryCause: 'redeliver',
          concurrent: true,
          state: 'delivered',
          body: original.body,
        });
      expect(sameBody(original)).to.have.length(3);
      const single = await redeliver<{ items: DeliveryRecord[] }>(original.id);
      expect(single.status).to.equal(201);
      expect(single.json.items.map((c: DeliveryRecord) => c.concurrent)).to.deep.equal([false]);
    });

    it('answers 400 with the reason to bad options and 404 to an unknown delivery', async () => {
      await createHook(bot, receiver.url);
      const { original } = await deliveredMessage();
      const cases: Array<[string, unknown, number, RegExp]> = [
        [original.id, { copies: -1 }, 400, /copies must be an integer from 1 to 100/],
        [original.id, { concurrent: 1 }, 400, /concurrent must be a boolean/],
        [original.id, { copies: 2, delay: 5 }, 400, /unknown option delay/],
        [original.id, [2], 400, /body must be a JSON object/],
        ['nope', { copies: 1 }, 404, /No delivery with id nope/],
      ];
      for (const [id, body, status, error] of cases) {
        const res = await redeliver<{ error: string }>(id, body);
        expect(res.status, `${id} ${JSON.stringify(body)}`).to.equal(status);
        expect(res.json.error).to.match(error);
      }
      expect(emulator.deliveries()).to.have.length(1);
    });
  });
});
