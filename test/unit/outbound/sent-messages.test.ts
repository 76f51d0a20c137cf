import { expect } from 'chai';
import sinon from 'sinon';
import { SentMessageLedger } from '../../../src/outbound/sent-messages.js';

const card = { type: 'AdaptiveCard', version: '1.3', body: [] };

describe('SentMessageLedger', () => {
  it('answers for messages it recorded without asking Webex, with their thread and card', async () => {
    const fetch = sinon.stub().rejects(new Error('should not be called'));
    const ledger = new SentMessageLedger(fetch, () => 'bot');
    ledger.remember({ id: 'm1', roomId: 'R1', parentId: 'root', attachments: [{ content: card }] });
    ledger.remember({ id: 'm2' });
    expect(await ledger.lookup('m1')).to.deep.equal({ id: 'm1', roomId: 'R1', threadRoot: 'root', card });
    expect(await ledger.lookup('m2')).to.deep.equal({ id: 'm2', roomId: undefined, threadRoot: 'm2', card: undefined });
    expect(ledger.knows('m1')).to.equal(true);
    expect(fetch.called).to.equal(false);
  });

  it("fetches other messages from Webex: the bot's own count, anybody else's and deleted ones do not", async () => {
    const fetch = sinon.stub();
    fetch.withArgs('mine').resolves({ id: 'mine', roomId: 'R2', personId: 'bot', attachments: [{ content: card }] });
    fetch.withArgs('theirs').resolves({ id: 'theirs', personId: 'alice', attachments: [{ content: card }] });
    fetch.withArgs('gone').rejects(Object.assign(new Error('not found'), { statusCode: 404 }));
    fetch.withArgs('broken').rejects(Object.assign(new Error('down'), { statusCode: 503 }));
    const ledger = new SentMessageLedger(fetch, () => 'bot');
    expect(await ledger.lookup('mine')).to.deep.equal({ id: 'mine', roomId: 'R2', threadRoot: 'mine', card });
    expect(await ledger.lookup('theirs')).to.equal(undefined);
    expect(await ledger.lookup('gone')).to.equal(undefined);
    let err: unknown;
    try {
      await ledger.lookup('broken');
    } catch (e) {
      err = e;
    }
    expect((err as { statusCode: number }).statusCode).to.equal(503);
    // Found once, remembered after.
    await ledger.lookup('mine');
    expect(fetch.withArgs('mine').callCount).to.equal(1);
  });

  it('stays within its capacity, forgetting the oldest', async () => {
    const fetch = sinon.stub().resolves({ id: 'x', personId: 'someone else' });
    const ledger = new SentMessageLedger(fetch, () => 'bot', 2);
    ledger.remember({ id: 'a' });
    ledger.remember({ id: 'b' });
    ledger.remember({ id: 'c' });
    expect(ledger.knows('a')).to.equal(false);
    expect(ledger.knows('c')).to.equal(true);
  });
});
