import { expect } from 'chai';
import { KeyedSerialQueue } from '../../../src/util/keyed-queue.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('KeyedSerialQueue', () => {
  it('runs tasks of one key one at a time, in order', async () => {
    const q = new KeyedSerialQueue();
    const log: string[] = [];
    const task = (name: string, ms: number) => async () => {
      log.push(`start ${name}`);
      await tick(ms);
      log.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all([q.run('a', task('1', 15)), q.run('a', task('2', 1)), q.run('a', task('3', 5))]);
    expect(results).to.deep.equal(['1', '2', '3']);
    expect(log).to.deep.equal(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  it('runs different keys concurrently', async () => {
    const q = new KeyedSerialQueue();
    const log: string[] = [];
    let release!: () => void;
    const blocked = q.run(
      'a',
      () =>
        new Promise<void>((r) => {
          release = r;
        }),
    );
    await q.run('b', async () => void log.push('b ran while a was blocked'));
    expect(log).to.deep.equal(['b ran while a was blocked']);
    release();
    await blocked;
  });

  it('keeps going after a failed task and reports its error to its caller only', async () => {
    const q = new KeyedSerialQueue();
    const failed = q.run('a', async () => {
      throw new Error('nope');
    });
    const next = q.run('a', async () => 'next');
    let message = '';
    await failed.catch((e: Error) => {
      message = e.message;
    });
    expect(message).to.equal('nope');
    expect(await next).to.equal('next');
  });

  it('tracks size and idleness', async () => {
    const q = new KeyedSerialQueue();
    expect(q.size).to.equal(0);
    await q.onIdle();
    let release!: () => void;
    const p = q.run(
      'a',
      () =>
        new Promise<void>((r) => {
          release = r;
        }),
    );
    q.run('a', async () => undefined);
    expect(q.size).to.equal(2);
    let idle = false;
    const idlePromise = q.onIdle().then(() => {
      idle = true;
    });
    await tick(5);
    expect(idle).to.equal(false);
    release();
    await p;
    await idlePromise;
    expect(q.size).to.equal(0);
  });
});
