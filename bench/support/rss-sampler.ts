/**
 * The peak resident memory of a process over a stretch of time, read from `/proc` at a fixed
 * interval (the process's own accounting; a peak between two samples is missed).
 */
import { rssMb } from './bot-process.js';

/** A running sampler. */
export interface RssSampler {
  /** The highest RSS seen so far, in MB (NaN before the first sample). */
  readonly peakMb: number;
  /** Samples taken so far. */
  readonly samples: number;
  /** Stops sampling (also stops by itself once the process is gone). */
  stop(): void;
}

/** Samples `pid`'s RSS every `everyMs` (default 100 ms) until stopped or the process is gone. */
export function sampleRss(pid: number, everyMs = 100): RssSampler {
  let peak = NaN;
  let samples = 0;
  const take = (): void => {
    let mb: number;
    try {
      mb = rssMb(pid);
    } catch {
      clearInterval(timer); // the process is gone
      return;
    }
    if (!Number.isFinite(mb)) return; // a zombie has no VmRSS line
    samples++;
    if (!(mb <= peak)) peak = mb;
  };
  const timer = setInterval(take, everyMs);
  take();
  return {
    get peakMb() {
      return peak;
    },
    get samples() {
      return samples;
    },
    stop: () => clearInterval(timer),
  };
}
