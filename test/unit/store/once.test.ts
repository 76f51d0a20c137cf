/**
 * `once(key, fn)`: an action run at most once per key, its result kept for the runs that come
 * again; on the embedded stores and as skills see it (`state.<scope>.once`).
 */
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSkillState } from '../../../src/skill-kit/state.js';
import { FileStore, MemoryStore, type KeyValueStore } from '../../../src/store/index.js';
import { once } from '../../../src/store/once.js';

const DAY = 86_400_000;

async function thrown(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

const stores: Array<[string, () => Promise<KeyValueStore>]> = [
  ['MemoryStore', async () => new MemoryStore()],
  ['FileStore', () => FileStore.open(mkdtempSync(path.join(tmpdir(), 'state-')))],
];

for (const [name, make] of stores) {
  describe(`once, on ${name}`, () => {
    it('runs the action once; later calls get its result', async () => {
      const store = await make();
      let runs = 0;
      const action = async () => ({ id: `R${++runs}` });
      expect(await once(store, 'k', action, { ttlMs: DAY })).to.deep.equal({ id: 'R1' });
      expect(await once(store, 'k', action, { ttlMs: DAY })).to.deep.equal({ id: 'R1' });
      expect(await once(store, 'other', action, { ttlMs: DAY })).to.deep.equal({ id: 'R2' });
      expect(runs).to.equal(2);
    });

    it('of many concurrent calls, one runs the action and all get its result', async () => {
      const store = await make();
      let runs = 0;
      let finish!: () => void;
      const slow = async () => {
        runs++;
        await new Promise<void>((r) => (finish = r));
        return 'done';
      };
      const calls = Array.from({ length: 10 }, () => once(store, 'k', slow, { ttlMs: DAY }));
      while (runs === 0) await new Promise((r) => setImmediate(r));
      finish();
      expect(await Promise.all(calls)).to.deep.equal(Array(10).fill('done'));
      expect(runs).to.equal(1);
    });

    it('an action that throws leaves the key free: a retry runs it', async () => {
      const store = await make();
      let runs = 0;
      const flaky = async () => {
        if (++runs === 1) throw new Error('the tracker is down');
        return runs;
      };
      expect(await thrown(once(store, 'k', flaky, { ttlMs: DAY }))).to.have.property('message', 'the tracker is down');
      expect(await once(store, 'k', flaky, { ttlMs: DAY })).to.equal(2);
      expect(await once(store, 'k', flaky, { ttlMs: DAY })).to.equal(2);
    });

    it('waiting calls run the action themselves when the running one fails', async () => {
      const store = await make();
      let runs = 0;
      let fail!: () => void;
      const action = async () => {
        if (++runs === 1) {
          await new Promise<void>((r) => (fail = r));
          throw new Error('first run failed');
        }
        return 'second';
      };
      const first = once(store, 'k', action, { ttlMs: DAY });
      while (runs === 0) await new Promise((r) => setImmediate(r));
      const waiting = once(store, 'k', action, { ttlMs: DAY });
      fail();
      expect(await thrown(first)).to.have.property('message', 'first run failed');
      expect(await waiting).to.equal('second');
    });

    it('a run whose process died (its lease ran out) does not block the key for ever', async () => {
      const store = await make();
      await store.claim('k', { running: 'a process that died' }, { ttlMs: 50 });
      expect(await once(store, 'k', () => 'ran', { ttlMs: DAY, leaseMs: 50 })).to.equal('ran');
    });

    it('keeps undefined, and refuses a result that is not JSON without running the action again', async () => {
      const store = await make();
      expect(await once(store, 'u', () => undefined, { ttlMs: DAY })).to.equal(undefined);
      let runs = 0;
      const bad = () => {
        runs++;
        return () => 1;
      };
      expect(await thrown(once(store, 'f', bad, { ttlMs: DAY }))).to.be.instanceOf(TypeError);
      expect(await once(store, 'f', bad, { ttlMs: DAY })).to.equal(undefined);
      expect(runs).to.equal(1);
    });
  });
}

describe('once, as skills see it (state.<scope>.once)', () => {
  it("is kept per scope, apart from the scope's own keys, and across skill states of one form", async () => {
    const store = new MemoryStore();
    const where = { spaceId: 's1', personId: 'p1', formId: 'f1' };
    const state = createSkillState(store, 'demo', where);
    await state.card.set('x', 'a value');
    expect(await state.card.once('x', () => 'made')).to.equal('made');
    expect(await state.card.get('x')).to.equal('a value');
    // The same event handled again: a new state object, the same store.
    const again = createSkillState(store, 'demo', where);
    expect(await again.card.once('x', () => 'made twice')).to.equal('made');
    expect(await again.space.once('x', () => 'space')).to.equal('space');
    expect(await createSkillState(store, 'demo', { ...where, formId: 'f2' }).card.once('x', () => 'f2')).to.equal('f2');
    expect(() => state.skill.once('', () => 1)).to.throw(TypeError);
  });
});
