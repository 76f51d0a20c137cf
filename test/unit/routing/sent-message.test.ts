/**
 * The handle of a sent message: text edited in place while Webex allows (10 edits), then, or when
 * Webex refuses an edit, or for a card, posted anew where it was (same thread) and the old one
 * deleted — new first; the handle follows the new message.
 */
import { expect } from 'chai';
import { createCardRegistry } from '../../../src/cards/card-registry.js';
import { ReplyRefusedError } from '../../../src/errors.js';
import { silentLogger } from '../../../src/logging.js';
import type { MessageEdit, Outbox, OutgoingMessage } from '../../../src/routing/inbound.js';
import { MAX_MESSAGE_EDITS, MessageHandle } from '../../../src/routing/sent-message.js';

/** An outbox that records what it is asked, in order. */
function recordingOutbox(refuseEdits = false) {
  const calls: string[] = [];
  let next = 1;
  const outbox: Outbox = {
    async send(m: OutgoingMessage) {
      calls.push(`send ${m.markdown ?? m.text} in ${m.parentId ?? 'top'}`);
      return { id: `new-${next++}` };
    },
    async edit(id: string, _roomId: string, content: MessageEdit) {
      if (refuseEdits) throw new ReplyRefusedError('The edit limit has been reached');
      calls.push(`edit ${id} to ${content.markdown}`);
      return { id };
    },
    async remove(id: string) {
      calls.push(`remove ${id}`);
    },
  };
  return { outbox, calls };
}

const deps = (outbox: Outbox) => ({ outbox, cards: createCardRegistry(new Map()), log: silentLogger });

describe('sent message handles', () => {
  it('edits a text message in place up to the limit, then reposts it in its thread and follows the new one', async () => {
    const { outbox, calls } = recordingOutbox();
    const handle = new MessageHandle({ id: 'm1', roomId: 'r', parentId: 'root', kind: 'text', edits: 0 }, deps(outbox));
    for (let i = 1; i <= MAX_MESSAGE_EDITS; i++) await handle.edit(`v${i}`);
    expect(calls).to.have.length(MAX_MESSAGE_EDITS);
    expect(handle.id).to.equal('m1');
    await handle.edit('v11');
    expect(calls.slice(-2)).to.deep.equal(['send v11 in root', 'remove m1']);
    expect(handle.id).to.equal('new-1');
    await handle.edit('v12');
    expect(calls.at(-1)).to.equal('edit new-1 to v12');
  });

  it('reposts when Webex refuses the edit (the limit reached elsewhere): never an error', async () => {
    const { outbox, calls } = recordingOutbox(true);
    const handle = new MessageHandle(
      { id: 'm1', roomId: 'r', parentId: undefined, kind: 'text', edits: 0 },
      deps(outbox),
    );
    await handle.edit('again');
    expect(calls).to.deep.equal(['send again in top', 'remove m1']);
  });

  it('an edit whose new copy is out stays done when the old copy cannot be deleted (logged, not thrown)', async () => {
    const { outbox, calls } = recordingOutbox(true);
    outbox.remove = async () => {
      throw new Error('HTTP 502');
    };
    const handle = new MessageHandle(
      { id: 'm1', roomId: 'r', parentId: undefined, kind: 'card', edits: 0 },
      deps(outbox),
    );
    await handle.edit('the new text');
    expect(calls).to.deep.equal(['send the new text in top']);
    expect(handle.id).to.equal('new-1');
  });

  it('reposts a card or a file (Webex cannot edit them), and deletes', async () => {
    const { outbox, calls } = recordingOutbox();
    const card = new MessageHandle(
      { id: 'c1', roomId: 'r', parentId: undefined, kind: 'card', edits: 0 },
      deps(outbox),
    );
    await card.edit('done');
    const file = new MessageHandle(
      { id: 'f1', roomId: 'r', parentId: undefined, kind: 'file', edits: 0 },
      deps(outbox),
    );
    await file.edit('gone');
    await file.delete();
    expect(calls).to.deep.equal(['send done in top', 'remove c1', 'send gone in top', 'remove f1', 'remove new-2']);
  });
});
