/**
 * "One trace per event": the first log line of an event links the HTTP request that carried it
 * (`requestId`, the `X-Request-Id` of the answer) to its correlation id (`eventId`), which every
 * later line carries; at debug, the log says which command matched and why the nearest did not.
 */
import { expect } from 'chai';
import { startTestBot, type TestBot } from '../../src/testing/test-bot.js';
import { capturedLog, type LogLine } from './support/captured-log.js';
import { deliveryOf, postToBot, settled } from './support/settle.js';

describe('Trace of one event', function () {
  this.timeout(30_000);

  describe('at LOG_LEVEL=debug', () => {
    let t: TestBot;
    let lines: LogLine[];
    before(async () => {
      const captured = capturedLog('debug');
      lines = captured.lines;
      t = await startTestBot({ log: captured.log });
    });
    after(() => t.stop());

    it('links the request id and the event id in the first line, then explains the routing', async () => {
      const sent = await t.direct.send('hepl');
      await settled(t);
      const accepted = lines.find(
        (l) => l.message === 'event accepted' && l['roomId'] === t.direct.roomId && l['level'] === 'info',
      )!;
      expect(accepted, 'an info line "event accepted"').to.not.equal(undefined);
      const eventId = accepted['eventId'] as string;
      const requestId = accepted['requestId'] as string;
      expect(eventId).to.match(/^[0-9a-f]{12}$/);
      expect(requestId).to.match(/^[0-9a-f]{12}$/);
      const ofEvent = lines.filter((l) => l['eventId'] === eventId && l['requestId'] === undefined);
      // The first line carrying the event id is the one that also names the request.
      expect(lines.find((l) => l['eventId'] === eventId)).to.equal(
        lines.find((l) => l['eventId'] === eventId && l['requestId'] === requestId),
      );
      expect(ofEvent.map((l) => l.message)).to.include.members(['command routing', 'no command matched', 'event done']);

      const routing = ofEvent.find((l) => l.message === 'command routing')!;
      expect(routing['level']).to.equal('debug');
      expect(routing['result']).to.equal('none');
      expect(routing['nearest']).to.deep.include({
        skill: 'help',
        usage: 'help [<skill>]',
        why: 'it starts with "help", not "hepl" (a typo?)',
      });
      expect((routing['nearest'] as Array<{ why: string }>).every((n) => /\(a typo\?\)$/.test(n.why))).to.equal(true);

      // Over HTTP: the answer's X-Request-Id is the requestId of the line that opens the delivery's trace.
      const delivery = await deliveryOf(t, sent.id);
      const res = await postToBot(t, delivery.body, { signature: delivery.signature });
      const answer = (await res.json()) as { status: string; eventId: string };
      expect(answer.status).to.equal('duplicate');
      const duplicate = lines.find(
        (l) => l.message === 'duplicate delivery ignored' && l['eventId'] === answer.eventId,
      )!;
      expect(duplicate['requestId']).to.equal(res.headers.get('x-request-id'));
      expect(duplicate['originalEventId']).to.equal(eventId);
    });

    it('names the matched command and why the nearest others lost', async () => {
      await t.direct.say('help echo');
      const routing = lines.filter((l) => l.message === 'command routing').at(-1)!;
      expect(routing['result']).to.equal('match');
      expect(routing['chosen']).to.deep.equal({ skill: 'help', usage: 'help [<skill>]' });
    });
  });

  it('at info: the link is there, the routing explanation is not computed', async () => {
    const { log, lines } = capturedLog('info');
    const t = await startTestBot({ log });
    try {
      await t.direct.say('echo hi');
      await settled(t);
      const accepted = lines.filter((l) => l.message === 'event accepted');
      expect(accepted.length).to.be.at.least(1);
      for (const l of accepted) expect(l['requestId']).to.match(/^[0-9a-f]{12}$/);
      expect(lines.some((l) => l.message === 'command routing')).to.equal(false);
    } finally {
      await t.stop();
    }
  });
});
