import { expect } from 'chai';
import { earlierAttempts, EventJournal, type PendingEvent } from '../../../../src/events/journal/index.js';
import { createLogger } from '../../../../src/logging.js';
import { decideTakeover, type FindPosted } from '../../../../src/events/takeover.js';
import { crashImage, input, tempDir } from './support.js';

const log = createLogger({ silent: true });

/** What a restart finds of event 1 after `steps` ran on it in a process that then died. */
async function afterCrash(steps: (journal: EventJournal) => Promise<void>): Promise<PendingEvent> {
  const dir = tempDir();
  const { journal } = await EventJournal.open(dir);
  await journal.accept(input(1));
  await steps(journal);
  const image = await EventJournal.open(crashImage(dir));
  await image.journal.close();
  await journal.close();
  return image.recovered.pending[0]!;
}

const decide = (event: PendingEvent, findPosted: FindPosted = async () => expect.fail('Webex must not be asked')) =>
  decideTakeover(earlierAttempts(event), {
    findPosted,
    recordedReplies: async () => new Set(event.replies),
    recordPosted: async () => undefined,
    inDoubtMs: 10_000,
    maxAttempts: 3,
    log,
    sleep: async () => undefined,
  });

describe('EventJournal: what a restart finds decides, as for a takeover, whether an event is handled again', () => {
  const message = { roomId: 'room-1', markdown: 'the answer' };

  it('accepted, never started: handled', async () => {
    const event = await afterCrash(async () => undefined);
    expect(earlierAttempts(event)).to.deep.equal({ attempts: 0, posting: '', replies: 0 });
    expect(await decide(event)).to.deep.equal({ handle: true });
  });

  it('started, stopped before any reply: handled again', async () => {
    const event = await afterCrash((j) => j.started('ev-1'));
    expect(await decide(event)).to.deep.equal({ handle: true });
  });

  it('answered (the reply recorded): not answered again', async () => {
    const event = await afterCrash(async (j) => {
      await j.started('ev-1');
      await j.beforePost('ev-1', message);
      await j.posted('ev-1', 'reply-1');
    });
    expect(await decide(event)).to.include({ handle: false, reason: 'already answered' });
  });

  it('stopped during the POST: Webex is asked for exactly that message since the POST started', async () => {
    const event = await afterCrash(async (j) => {
      await j.started('ev-1');
      await j.beforePost('ev-1', message);
    });
    const asked: Array<[unknown, number]> = [];
    const found: FindPosted = async (m, since) => {
      asked.push([m, since]);
      return { id: 'reply-1' };
    };
    expect(await decide(event, found)).to.include({ handle: false, reason: 'already answered' });
    expect(asked).to.deep.equal([[message, event.posting!.since]]);
    expect(await decide(event, async () => undefined)).to.deep.equal({ handle: true });
    expect(await decide(event, async () => 'unknown')).to.include({ handle: false, reason: 'cannot check' });
  });

  it('an event that took the process down at each of 3 attempts is given up', async () => {
    const event = await afterCrash(async (j) => {
      for (let i = 0; i < 3; i++) await j.started('ev-1');
    });
    expect(await decide(event)).to.include({ handle: false, reason: 'given up' });
  });
});
