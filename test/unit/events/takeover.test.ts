import { expect } from 'chai';
import { createLogger } from '../../../src/logging.js';
import { decideTakeover, type FindPosted, type TakeoverDeps } from '../../../src/events/takeover.js';

const log = createLogger({ silent: true });
const note = (at: number) => JSON.stringify({ message: { roomId: 'r1', markdown: 'got x' }, at });

function deps(
  findPosted: FindPosted,
  recorded: string[] = [],
): TakeoverDeps & { slept: number[]; recordedNow: string[]; asked: Array<ReadonlySet<string>> } {
  const slept: number[] = [];
  const recordedNow: string[] = [];
  const asked: Array<ReadonlySet<string>> = [];
  return {
    findPosted: async (m, since, known) => {
      asked.push(known);
      return findPosted(m, since, known);
    },
    recordedReplies: async () => new Set(recorded),
    recordPosted: async (id) => void recordedNow.push(id),
    inDoubtMs: 10_000,
    maxAttempts: 3,
    log,
    sleep: async (ms) => void slept.push(ms),
    slept,
    recordedNow,
    asked,
  };
}
const never: FindPosted = async () => expect.fail('Webex must not be asked');

describe('taking over an event from an instance that stopped on it', () => {
  it('a first handling is just handled', async () => {
    expect(await decideTakeover({ attempts: 0, posting: '', replies: 0 }, deps(never))).to.deep.equal({ handle: true });
  });

  it('stopped before answering (no reply, no POST under way): handled again, Webex not asked', async () => {
    expect(await decideTakeover({ attempts: 1, posting: '', replies: 0 }, deps(never))).to.deep.equal({ handle: true });
  });

  it('a reply recorded: not answered again', async () => {
    expect(await decideTakeover({ attempts: 1, posting: '', replies: 1 }, deps(never))).to.include({
      handle: false,
      reason: 'already answered',
    });
  });

  it('a POST under way that reached Webex: waits until it can no longer land, finds it, records it, not answered again', async () => {
    const d = deps(async () => ({ id: 'M9' }), ['M1', 'M2']);
    const verdict = await decideTakeover({ attempts: 1, posting: note(Date.now()), replies: 0 }, d);
    expect(verdict).to.include({ handle: false, reason: 'already answered' });
    expect(d.slept).to.have.length(1);
    expect(d.slept[0]).to.be.greaterThan(9000);
    expect(d.recordedNow).to.deep.equal(['M9']);
    expect([...d.asked[0]!]).to.deep.equal(['M1', 'M2']); // recorded replies of the space never count as this one
  });

  it('a POST under way that provably never reached Webex: handled again', async () => {
    const d = deps(async () => undefined);
    expect(await decideTakeover({ attempts: 1, posting: note(Date.now() - 60_000), replies: 0 }, d)).to.deep.equal({
      handle: true,
    });
    expect(d.slept).to.deep.equal([]);
  });

  it('a second reply under way that never landed, after a first recorded: not answered again (never repeated)', async () => {
    expect(
      await decideTakeover(
        { attempts: 1, posting: note(0), replies: 1 },
        deps(async () => undefined),
      ),
    ).to.include({ handle: false });
  });

  it('a POST under way where Webex cannot be asked (group space): not answered again', async () => {
    expect(
      await decideTakeover(
        { attempts: 1, posting: note(0), replies: 0 },
        deps(async () => 'unknown'),
      ),
    ).to.include({ handle: false, reason: 'cannot check' });
  });

  it('every holder stopped on it: dropped after maxAttempts', async () => {
    expect(await decideTakeover({ attempts: 3, posting: '', replies: 0 }, deps(never))).to.include({
      handle: false,
      reason: 'given up',
    });
  });
});
