import { expect } from 'chai';
import path from 'node:path';
import { JournalError } from '../../../../src/errors.js';
import { EventJournal } from '../../../../src/events/journal/index.js';
import { startNodeScript } from '../../../e2e/support/processes.js';
import { tempDir } from './support.js';

const CHILD = 'test/unit/events/journal/journal-child.ts';

describe('EventJournal: real processes, killed', function () {
  this.timeout(60_000); // starting node with tsx on a busy machine

  it('keeps every event a process accepted when it is SIGKILLed the moment the accepts resolve', async () => {
    const dir = tempDir();
    const child = startNodeScript('journal child', CHILD, {}, ['accept-and-die', dir, '200']);
    await child.exitCode();
    expect(child.child.signalCode).to.equal('SIGKILL');
    expect(child.output).to.include('accepted 200');
    const { journal, recovered } = await EventJournal.open(dir);
    expect(recovered.pending.map((e) => e.eventId)).to.deep.equal(Array.from({ length: 200 }, (_, i) => `ev-${i}`));
    expect(recovered.pending[199]!.envelope.data.roomId).to.equal('room-3');
    expect(recovered.claims.size).to.equal(200);
    await journal.close();
  });

  it('keeps every acknowledged event of a process killed in the middle of its writes', async () => {
    const dir = tempDir();
    const child = startNodeScript('journal child', CHILD, {}, ['stream', dir]);
    await child.waitFor(/ok ev-\d+\n(?:.*\n){300}/);
    child.child.kill('SIGKILL');
    await child.exitCode();
    const acked = [...child.output.matchAll(/^ok (ev-\d+)$/gm)].map((m) => m[1]!);
    expect(acked.length).to.be.greaterThan(300);
    const { journal, recovered } = await EventJournal.open(dir);
    const pending = new Set(recovered.pending.map((e) => e.eventId));
    expect(acked.filter((id) => !pending.has(id))).to.deep.equal([]);
    await journal.close();
  });

  it('refuses the folder while another live process holds it, and takes it over once that process is killed', async () => {
    const dir = tempDir();
    const child = startNodeScript('journal child', CHILD, {}, ['hold', dir]);
    await child.waitFor(/ready/);
    let refusal: unknown;
    try {
      await EventJournal.open(dir);
    } catch (err) {
      refusal = err;
    }
    expect(refusal).to.be.instanceOf(JournalError);
    expect((refusal as JournalError).code).to.equal('JOURNAL_LOCKED');
    expect((refusal as JournalError).message).to.include(`another process (pid ${child.child.pid}`);
    expect((refusal as JournalError).file).to.equal(path.join(dir, 'instance.lock'));

    child.child.kill('SIGKILL');
    await child.exitCode();
    const { journal } = await EventJournal.open(dir);
    await journal.close();
  });
});
