import { expect } from 'chai';
import { createRateLimiter } from '../../../src/assistant/limits.js';
import { createMemory, MAX_REMEMBERED_CHARS, NO_MEMORY } from '../../../src/assistant/memory.js';
import { MemoryStore } from '../../../src/store/memory-store.js';
import type { KeyValueStore } from '../../../src/store/types.js';

const ada = { spaceId: 'room-1', personId: 'ada' };
const bob = { spaceId: 'room-1', personId: 'bob' };

/** A store whose every call fails (a state folder gone read-only, Redis down). */
const failing: KeyValueStore = {
  get: () => Promise.reject(new Error('down')),
  set: () => Promise.reject(new Error('down')),
  delete: () => Promise.reject(new Error('down')),
  claim: () => Promise.reject(new Error('down')),
  update: () => Promise.reject(new Error('down')),
  close: () => Promise.resolve(),
};

describe('assistant: memory', () => {
  let clock = 1_000_000;
  let store: MemoryStore;
  beforeEach(() => {
    clock = 1_000_000;
    store = new MemoryStore({ now: () => clock });
  });

  it('keeps the last turns per person per space, oldest first', async () => {
    const memory = createMemory(store, { turns: 2, ttlMs: 60_000 });
    await memory.remember(ada, { user: 'one', assistant: 'first' });
    await memory.remember(ada, { user: 'two', assistant: 'second' });
    await memory.remember(ada, { user: 'three', assistant: 'third' });
    await memory.remember(bob, { user: 'hello', assistant: 'hi bob' });
    expect(await memory.recall(ada)).to.deep.equal([
      { role: 'user', content: 'two' },
      { role: 'assistant', content: 'second' },
      { role: 'user', content: 'three' },
      { role: 'assistant', content: 'third' },
    ]);
    expect(await memory.recall(bob)).to.have.length(2);
    expect(await memory.recall({ spaceId: 'room-2', personId: 'ada' })).to.deep.equal([]);
  });

  it('forgets a conversation a while after its last turn, and on `forget`', async () => {
    const memory = createMemory(store, { turns: 5, ttlMs: 60_000 });
    await memory.remember(ada, { user: 'one', assistant: 'first' });
    clock += 50_000;
    await memory.remember(ada, { user: 'two', assistant: 'second' });
    clock += 50_000; // 100 s after the first turn, 50 s after the last: still there
    expect(await memory.recall(ada)).to.have.length(4);
    clock += 11_000;
    expect(await memory.recall(ada)).to.deep.equal([]);
    await memory.remember(bob, { user: 'x', assistant: 'y' });
    expect(await memory.forget(bob)).to.equal(true);
    expect(await memory.recall(bob)).to.deep.equal([]);
    expect(await memory.forget(bob)).to.equal(false);
  });

  it('keeps long texts bounded', async () => {
    const memory = createMemory(store, { turns: 5, ttlMs: 60_000 });
    await memory.remember(ada, { user: 'u'.repeat(10_000), assistant: 'a' });
    const [user] = await memory.recall(ada);
    expect(user!.content.length).to.equal(MAX_REMEMBERED_CHARS);
  });

  it('remembers nothing when off', async () => {
    const memory = createMemory(store, undefined);
    expect(memory).to.equal(NO_MEMORY);
    await memory.remember(ada, { user: 'one', assistant: 'first' });
    expect(await memory.recall(ada)).to.deep.equal([]);
  });

  it('never fails a turn when the store fails: nothing is recalled, nothing remembered', async () => {
    const warnings: string[] = [];
    const log = {
      warn: (m: string) => void warnings.push(m),
      error() {},
      info() {},
      debug() {},
      child() {
        return log;
      },
    };
    const memory = createMemory(failing, { turns: 5, ttlMs: 60_000 }, log);
    expect(await memory.recall(ada)).to.deep.equal([]);
    await memory.remember(ada, { user: 'one', assistant: 'first' });
    expect(warnings).to.have.length(2);
  });

  it('ignores what it does not recognise in the store', async () => {
    await store.set('assistant:memory:room-1:ada', [{ user: 'ok', assistant: 'fine' }, { nonsense: true }, 'x']);
    const memory = createMemory(store, { turns: 5, ttlMs: 60_000 });
    expect(await memory.recall(ada)).to.have.length(2);
  });
});

describe('assistant: the rate limit', () => {
  it('lets a person make at most N requests in any minute, and says when to come back', async () => {
    let clock = 0;
    const store = new MemoryStore({ now: () => clock });
    const rate = createRateLimiter(store, 3, () => clock);
    for (let i = 0; i < 3; i++) {
      expect(await rate.take('ada')).to.deep.equal({ allowed: true });
      clock += 10_000;
    }
    expect(await rate.take('ada')).to.deep.equal({ allowed: false, retryAfterMs: 30_000 });
    expect(await rate.take('bob'), 'another person has their own count').to.deep.equal({ allowed: true });
    clock = 60_001; // the first request is a minute old
    expect(await rate.take('ada')).to.deep.equal({ allowed: true });
    expect(await rate.take('ada')).to.deep.include({ allowed: false });
  });

  it('counts requests made at once exactly (the store updates atomically)', async () => {
    const rate = createRateLimiter(new MemoryStore(), 5);
    const verdicts = await Promise.all(Array.from({ length: 12 }, () => rate.take('ada')));
    expect(verdicts.filter((v) => v.allowed)).to.have.length(5);
  });

  it('lets requests through when the store fails', async () => {
    expect(await createRateLimiter(failing, 1).take('ada')).to.deep.equal({ allowed: true });
  });
});
