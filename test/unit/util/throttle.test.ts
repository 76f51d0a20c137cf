import { expect } from 'chai';
import { Throttle } from '../../../src/util/throttle.js';

describe('Throttle', () => {
  it('lets one call through per interval, and says how many it held back', () => {
    let now = 0;
    const t = new Throttle(60_000, () => now);
    expect(t.take()).to.equal(0);
    now = 1000;
    expect(t.take()).to.equal(undefined);
    now = 59_999;
    expect(t.take()).to.equal(undefined);
    now = 60_000;
    expect(t.take()).to.equal(2);
    t.reset();
    expect(t.take()).to.equal(0);
  });
});
