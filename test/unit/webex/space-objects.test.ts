import { expect } from 'chai';
import { SpaceObjectLimit, type FrameworkBots } from '../../../src/webex/space-objects.js';

function frameworkWith(rooms: string[]) {
  const forgotten: string[] = [];
  const stopped: string[] = [];
  const bot = (id: string) => ({
    room: { id },
    forget: async () => {
      forgotten.push(id);
    },
    stop: () => {
      stopped.push(id);
    },
  });
  const framework: FrameworkBots = { bots: rooms.map(bot) };
  return { framework, forgotten, stopped, spawn: (id: string) => framework.bots.push(bot(id)) };
}

describe("SpaceObjectLimit (a bound on the framework's bot objects)", () => {
  it('keeps the bot objects of the most recently active spaces, dropping the least recent past the bound', async () => {
    const { framework, forgotten, stopped, spawn } = frameworkWith([]);
    const limit = new SpaceObjectLimit(framework, 10);
    for (let i = 0; i < 11; i++) {
      limit.touched(`r${i}`);
      spawn(`r${i}`);
    }
    limit.touched('r0'); // r0 active again: now r1 is the least recent
    expect(framework.bots).to.have.length(11); // within the slack: nothing trimmed yet
    limit.touched('r11');
    spawn('r11'); // 12 spaces: past the slack, back to the 10 most recent
    const kept = framework.bots.map((b) => b.room!.id);
    expect(kept).to.have.length(10);
    expect(kept).to.not.include.members(['r1', 'r2']);
    expect(kept).to.include.members(['r0', 'r3', 'r10', 'r11']);
    expect(limit.size).to.equal(10);
    await new Promise((r) => setImmediate(r));
    expect(forgotten).to.deep.equal(['r1', 'r2']);
    expect(stopped).to.deep.equal(['r1', 'r2']);
  });

  it('never drops a space being touched now, and leaves bot objects of spaces it never saw', () => {
    const { framework, spawn } = frameworkWith(['seen-at-start']);
    const limit = new SpaceObjectLimit(framework, 1);
    for (const id of ['a', 'b', 'c', 'now']) {
      limit.touched(id);
      spawn(id);
    }
    const kept = framework.bots.map((b) => b.room!.id);
    expect(kept).to.include.members(['seen-at-start', 'now']);
    expect(kept).to.not.include.members(['a', 'b']);
  });

  it('refuses a bound below 1', () => {
    expect(() => new SpaceObjectLimit({ bots: [] }, 0)).to.throw(RangeError);
  });
});
