import { expect } from 'chai';
import { silentLogger } from '../../../src/logging.js';
import { onStopSignals, REPEAT_WINDOW_MS } from '../../../src/start/stop-signals.js';

describe('stop signals', () => {
  const signal = 'SIGUSR2' as NodeJS.Signals; // emitted by hand: no real signal reaches the test process
  let clock = 0;
  const setup = (drained = true) => {
    const stops: string[] = [];
    const exits: number[] = [];
    let finish!: (drained: boolean) => void;
    const off = onStopSignals({
      log: silentLogger,
      signals: [signal],
      now: () => clock,
      exit: (code) => exits.push(code),
      stop: (s) => {
        stops.push(s);
        return new Promise((r) => {
          finish = r;
        });
      },
    });
    return { stops, exits, done: () => finish(drained), off };
  };

  it('stops once for a signal and its repeats (npm passing it on), then exits 0', async () => {
    const s = setup();
    process.emit(signal, signal);
    clock += 5;
    process.emit(signal, signal);
    clock += REPEAT_WINDOW_MS - 10;
    process.emit(signal, signal);
    expect(s.stops).to.deep.equal([signal]);
    expect(s.exits).to.deep.equal([]);
    s.done();
    await new Promise((r) => setImmediate(r));
    expect(s.exits).to.deep.equal([0]);
    s.off();
  });

  it('exits at once (1) on a deliberate later signal while stopping', () => {
    const s = setup();
    process.emit(signal, signal);
    clock += REPEAT_WINDOW_MS;
    process.emit(signal, signal);
    expect(s.exits).to.deep.equal([1]);
    s.off();
  });

  it('exits 1 when events in flight had to be abandoned', async () => {
    const s = setup(false);
    process.emit(signal, signal);
    s.done();
    await new Promise((r) => setImmediate(r));
    expect(s.exits).to.deep.equal([1]);
    s.off();
  });
});
