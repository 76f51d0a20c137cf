/**
 * The `duplicates` delivery option: a fraction of events delivered twice, the twin at the same
 * moment or after the original, reproducible with a seed; and its validation.
 */
import { expect } from 'chai';
import {
  signBody,
  startEmulator,
  type DeliveryRecord,
  type DuplicateOptions,
  type Emulator,
} from '../../src/emulator/index.js';
import { DuplicatePlanner } from '../../src/emulator/delivery/duplicates.js';
import { seededRandom } from '../../src/emulator/delivery/random.js';
import { deliverySettings, duplicateSettings } from '../../src/emulator/delivery/settings.js';
import { createHook, Receiver, sdkFor, startTestEmulator, until, type Received } from './helpers.js';

const SECRET = 'twin-secret';

/** Twin plans for `n` deliveries, as 't' (concurrent twin), 'a' (twin after) or '-' (none). */
function plans(options: DuplicateOptions, n: number): string {
  const planner = new DuplicatePlanner(duplicateSettings(options));
  return Array.from({ length: n }, () => {
    const plan = planner.next();
    return plan ? (plan.concurrent ? 't' : 'a') : '-';
  }).join('');
}

const count = (s: string, chars: string): number => [...s].filter((c) => chars.includes(c)).length;

describe('emulator duplicate deliveries', () => {
  describe('choosing twins', () => {
    it('draws numbers in [0, 1), the same sequence for the same seed', () => {
      const a = seededRandom(42);
      const b = seededRandom(42);
      const c = seededRandom(43);
      const first = Array.from({ length: 1000 }, () => a());
      expect(Array.from({ length: 1000 }, () => b())).to.deep.equal(first);
      expect(Array.from({ length: 1000 }, () => c())).to.not.deep.equal(first);
      expect(first.every((x) => x >= 0 && x < 1)).to.equal(true);
      expect(new Set(first).size).to.be.greaterThan(990);
    });

    it('gives about `rate` of deliveries a twin, and about `concurrent` of twins at the same moment', () => {
      const n = 20_000;
      for (const seed of [1, 2, undefined]) {
        const picked = plans({ rate: 0.3, concurrent: 0.25, ...(seed !== undefined ? { seed } : {}) }, n);
        const twins = count(picked, 'ta');
        expect(twins / n, `seed ${String(seed)}`).to.be.closeTo(0.3, 0.02);
        expect(count(picked, 't') / twins, `seed ${String(seed)}`).to.be.closeTo(0.25, 0.03);
      }
    });

    it('is exactly reproducible with a seed, and the concurrent setting does not change which deliveries get twins', () => {
      const seeded = plans({ rate: 0.2, concurrent: 0.5, seed: 7 }, 500);
      expect(plans({ rate: 0.2, concurrent: 0.5, seed: 7 }, 500)).to.equal(seeded);
      expect(plans({ rate: 0.2, concurrent: 0.5, seed: 8 }, 500)).to.not.equal(seeded);
      const allAfter = plans({ rate: 0.2, concurrent: false, seed: 7 }, 500);
      const allConcurrent = plans({ rate: 0.2, concurrent: true, seed: 7 }, 500);
      expect(allAfter.replace(/a/g, 'x')).to.equal(seeded.replace(/[ta]/g, 'x'));
      expect(allConcurrent.replace(/t/g, 'x')).to.equal(seeded.replace(/[ta]/g, 'x'));
    });

    it('never twins at rate 0 and always at rate 1', () => {
      expect(count(plans({ rate: 0 }, 1000), 'ta')).to.equal(0);
      expect(plans({ rate: 1 }, 1000)).to.equal('a'.repeat(1000));
    });

    it('refuses bad options, naming the one at fault', () => {
      const bad: Array<[unknown, RegExp]> = [
        ['often', /delivery\.duplicates must be an object/],
        [{}, /delivery\.duplicates\.rate must be a number from 0 to 1 \(got undefined\)/],
        [{ rate: 1.5 }, /delivery\.duplicates\.rate must be a number from 0 to 1/],
        [{ rate: -0.1 }, /delivery\.duplicates\.rate/],
        [{ rate: Number.NaN }, /delivery\.duplicates\.rate/],
        [{ rate: 0.5, concurrent: 'sometimes' }, /delivery\.duplicates\.concurrent must be a boolean or a probability/],
        [{ rate: 0.5, concurrent: 2 }, /delivery\.duplicates\.concurrent/],
        [{ rate: 0.5, delayMs: -1 }, /delivery\.duplicates\.delayMs must be a non-negative number/],
        [{ rate: 0.5, delayMs: Number.POSITIVE_INFINITY }, /delivery\.duplicates\.delayMs/],
        [{ rate: 0.5, seed: 1.5 }, /delivery\.duplicates\.seed must be an integer/],
        [{ rate: 0.5, probability: 0.5 }, /delivery\.duplicates: unknown option probability/],
      ];
      for (const [duplicates, message] of bad) {
        expect(
          () => deliverySettings({ duplicates: duplicates as DuplicateOptions }),
          JSON.stringify(duplicates),
        ).to.throw(TypeError, message);
      }
      expect(deliverySettings({ duplicates: { rate: 0.5, concurrent: true, seed: -3 } }).duplicates).to.deep.equal({
        rate: 0.5,
        concurrentProbability: 1,
        delayMs: 0,
        seed: -3,
      });
    });

    it('refuses bad options when the emulator starts', async () => {
      let error: unknown;
      await startEmulator({ delivery: { duplicates: { rate: 2 } } }).catch((e: unknown) => {
        error = e;
      });
      expect(error).to.be.instanceOf(TypeError);
      expect((error as Error).message).to.match(/delivery\.duplicates\.rate/);
    });
  });

  describe('delivering twins', () => {
    let emulator: Emulator | undefined;
    let receiver: Receiver;

    beforeEach(async () => {
      receiver = await Receiver.start();
    });
    afterEach(async () => {
      await emulator?.stop();
      emulator = undefined;
      await receiver.close();
    });

    /** Starts an emulator with these duplicates and a signed firehose webhook of the bot's to the receiver. */
    async function start(duplicates: DuplicateOptions): Promise<Emulator> {
      const e = await startTestEmulator({
        delivery: { timeoutMs: 10_000, retryDelaysMs: [20, 20], inactiveAfterFailures: 3, duplicates },
      });
      emulator = e;
      await createHook(await sdkFor(e, e.botToken), receiver.url, { secret: SECRET });
      return e;
    }

    /** Alice writes `n` messages; resolves once every delivery has ended. */
    async function writeMessages(e: Emulator, n: number): Promise<string[]> {
      const ids: string[] = [];
      for (let i = 0; i < n; i++)
        ids.push((await e.say({ personId: e.seed!.alice.id, roomId: e.seed!.directRoom.id, text: `event ${i}` })).id);
      await until(() => e.deliveries().every((d) => d.state !== 'pending'), 'every delivery ended', 15_000);
      return ids;
    }

    const requestsAbout = (dataId: string): Received[] => receiver.requests.filter((r) => r.json?.data?.id === dataId);

    /** Checks one event's original and twin: same bytes and signature, marked, both delivered once. */
    function expectTwinPair(e: Emulator, dataId: string, concurrent: boolean): void {
      const [original, twin, ...more] = e.deliveries().filter((d) => d.dataId === dataId);
      expect(more).to.deep.equal([]);
      expect(original).to.not.have.property('redeliveryOf');
      expect(twin).to.include({
        redeliveryOf: original!.id,
        redeliveryCause: 'duplicate',
        concurrent,
        body: original!.body,
        signature: original!.signature,
        state: 'delivered',
      });
      const received = requestsAbout(dataId);
      expect(received).to.have.length(2);
      expect(received[0]!.raw.equals(received[1]!.raw)).to.equal(true);
      for (const r of received) expect(r.headers['x-spark-signature']).to.equal(signBody(SECRET, r.raw));
    }

    it('delivers about the configured fraction twice, reproducibly with a seed, each twin marked', async () => {
      const options: DuplicateOptions = { rate: 0.3, concurrent: 0.5, seed: 20240611 };
      const pattern = async (): Promise<string> => {
        const e = await start(options);
        const ids = await writeMessages(e, 60);
        const records = e.deliveries();
        const result = ids
          .map((id) => {
            const twin = records.find((d) => d.dataId === id && d.redeliveryCause === 'duplicate');
            return twin ? (twin.concurrent ? 't' : 'a') : '-';
          })
          .join('');
        for (const id of ids) {
          const twinned = records.some((d) => d.dataId === id && d.redeliveryOf !== undefined);
          if (twinned) expectTwinPair(e, id, records.find((d) => d.dataId === id && d.redeliveryOf)!.concurrent!);
          else expect(requestsAbout(id)).to.have.length(1);
        }
        await e.stop();
        emulator = undefined;
        return result;
      };
      const first = await pattern();
      const second = await pattern();
      expect(second).to.equal(first);
      expect(count(first, 'ta')).to.be.within(9, 27); // 0.3 of 60 is 18
      expect(count(first, 't')).to.be.greaterThan(0);
      expect(count(first, 'a')).to.be.greaterThan(0);
      expect(first).to.equal(plans(options, 60)); // the same choices as the planner alone makes
    });

    it('sends a concurrent twin while the original is still in flight', async () => {
      const e = await start({ rate: 1, concurrent: true });
      // Hold each answer until both deliveries of its event are in flight at once.
      const gates = new Map<string, () => void>();
      const opened = new Map<string, Promise<void>>();
      receiver.answer = (r) => {
        const id = String(r.json?.data?.id);
        if (!opened.has(id)) opened.set(id, new Promise<void>((resolve) => gates.set(id, resolve)));
        if (requestsAbout(id).length >= 2) gates.get(id)!();
        return opened.get(id)!.then(() => ({ status: 200 }));
      };
      const ids = await writeMessages(e, 3);
      for (const id of ids) {
        expectTwinPair(e, id, true);
        const [, second] = requestsAbout(id);
        expect(second!.inFlightAtArrival.filter((r) => r.json?.data?.id === id)).to.have.length(1);
      }
    });

    it('sends a twin after the original was answered, delayMs later, when not concurrent', async () => {
      const e = await start({ rate: 1, concurrent: false, delayMs: 10 });
      receiver.answer = () => new Promise((resolve) => setTimeout(() => resolve({ status: 200 }), 40));
      const ids = await writeMessages(e, 3);
      for (const id of ids) {
        expectTwinPair(e, id, false);
        const [, second] = requestsAbout(id);
        expect(second!.inFlightAtArrival.filter((r) => r.json?.data?.id === id)).to.deep.equal([]);
        const [original, twin] = e.deliveries().filter((d) => d.dataId === id) as [DeliveryRecord, DeliveryRecord];
        expect(Date.parse(twin.attempts[0]!.at)).to.be.at.least(Date.parse(original.attempts[0]!.at));
      }
    });

    it('sends no twin without the option', async () => {
      emulator = await startTestEmulator();
      await createHook(await sdkFor(emulator, emulator.botToken), receiver.url);
      const ids = await writeMessages(emulator, 20);
      expect(emulator.deliveries().map((d) => d.dataId)).to.deep.equal(ids);
      expect(emulator.deliveries().filter((d) => d.redeliveryOf !== undefined)).to.deep.equal([]);
    });
  });
});
