/**
 * The outbox with proactive destinations: a message to a person (by e-mail or id) is queued and
 * rate-limited under that person, its space learned from Webex's answer (and remembered, so a
 * card sent to a person can be submitted); a POST to a person that fails in doubt is never sent
 * again, since the space cannot be looked at.
 */
import { expect } from 'chai';
import sinon from 'sinon';
import { isBotError } from '../../../src/errors.js';
import { createLogger } from '../../../src/logging.js';
import { createOutbox, destinationKey } from '../../../src/outbound/outbox.js';
import { SentMessageLedger } from '../../../src/outbound/sent-messages.js';
import { ReplyRateLimiter } from '../../../src/policy/reply-rate.js';

const log = createLogger({ silent: true });
const card = { contentType: 'application/vnd.microsoft.card.adaptive' as const, content: { type: 'AdaptiveCard' } };

function outboxWith(create: sinon.SinonStub, perMinute = 30) {
  const listRecent = sinon.stub().rejects(new Error('should not be listed'));
  const ledger = new SentMessageLedger(sinon.stub().rejects(new Error('no fetch')), () => 'bot');
  const outbox = createOutbox({
    webex: {
      create,
      edit: sinon.stub().rejects(new Error('no edits here')),
      remove: sinon.stub().resolves(),
      listRecent,
    },
    ledger,
    rate: new ReplyRateLimiter({ perMinute }),
    botId: () => 'bot',
    sleep: async () => undefined,
  });
  return { outbox: outbox.forEvent(log), ledger, listRecent };
}

describe('outbox: messages to a person', () => {
  it('keys a message by its space, or by the person (e-mail in lower case)', () => {
    expect(destinationKey({ roomId: 'R1', text: 'x' })).to.equal('R1');
    expect(destinationKey({ toPersonEmail: 'Alice@Example.com', text: 'x' })).to.equal('person:alice@example.com');
    expect(destinationKey({ toPersonId: 'P1', text: 'x' })).to.equal('person:P1');
    expect(() => destinationKey({ text: 'x' })).to.throw(TypeError, 'a message needs a roomId');
  });

  it("posts to toPersonEmail as given and answers with Webex's space, remembered with the card", async () => {
    const create = sinon.stub().resolves({ id: 'M1', roomId: 'DIRECT' });
    const { outbox, ledger } = outboxWith(create);
    expect(await outbox.send({ toPersonEmail: 'alice@example.com', text: 'hi', attachments: [card] })).to.deep.equal({
      id: 'M1',
      roomId: 'DIRECT',
    });
    expect(create.firstCall.args[0]).to.deep.equal({
      toPersonEmail: 'alice@example.com',
      text: 'hi',
      attachments: [card],
    });
    expect((await ledger.lookup('M1'))?.roomId).to.equal('DIRECT');
  });

  it('holds messages to one person back over the reply rate, without touching another', async () => {
    const create = sinon.stub().resolves({ id: 'M', roomId: 'D' });
    const { outbox } = outboxWith(create, 1);
    await outbox.send({ toPersonEmail: 'alice@example.com', text: '1' });
    let held: unknown;
    try {
      await outbox.send({ toPersonEmail: 'ALICE@example.com', text: '2' });
    } catch (err) {
      held = err;
    }
    expect(isBotError(held, 'REPLY_SUPPRESSED')).to.equal(true);
    await outbox.send({ toPersonEmail: 'bob@example.com', text: '3' });
    expect(create.callCount).to.equal(2);
  });

  it('a POST to a person that fails in doubt (a 502) is not sent again: REPLY_UNCERTAIN', async () => {
    const create = sinon.stub().rejects(Object.assign(new Error('bad gateway'), { statusCode: 502 }));
    const { outbox, listRecent } = outboxWith(create);
    let failure: unknown;
    try {
      await outbox.send({ toPersonId: 'P1', text: 'once' });
    } catch (err) {
      failure = err;
    }
    expect(isBotError(failure, 'REPLY_UNCERTAIN')).to.equal(true);
    expect(create.callCount).to.equal(1);
    expect(listRecent.called).to.equal(false);
  });
});
