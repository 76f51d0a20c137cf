/**
 * findPostedReply: whether a reply in doubt (its POST's answer lost, or its instance stopped
 * mid-reply) was posted after all. "Not there" must be proved over every message since the POST,
 * however many people wrote meanwhile; what cannot be proved is "unknown", never "not there".
 */
import { expect } from 'chai';
import { findPostedReply, type ListedMessage, type ListRecent } from '../../../src/outbound/find-posted.js';

const BOT = 'bot-person';
const ROOM = 'room-1';
const POSTED_AT = Date.parse('2026-12-02T10:00:00Z');
const at = (offsetMs: number): string => new Date(POSTED_AT + offsetMs).toISOString();

/** A space's messages, newest first, and a `listRecent` over them that records each `max` asked for. */
function space(messages: ListedMessage[]): { listRecent: ListRecent; asked: number[] } {
  const asked: number[] = [];
  return {
    asked,
    listRecent: async (roomId, max) => {
      asked.push(max);
      return roomId === ROOM ? messages.slice(0, max) : [];
    },
  };
}
const userMessages = (count: number, fromMs: number): ListedMessage[] =>
  Array.from({ length: count }, (_, i) => ({
    id: `user-${fromMs}-${i}`,
    personId: 'alice',
    text: `hi ${i}`,
    created: at(fromMs + (count - i) * 10),
  }));
const reply: ListedMessage = { id: 'reply-1', personId: BOT, markdown: 'got it', created: at(5) };
const older = userMessages(30, -60_000);
const none = (): boolean => false;

describe('findPostedReply (was a reply in doubt posted after all?)', () => {
  it('finds the reply among the newest messages', async () => {
    const { listRecent, asked } = space([...userMessages(3, 100), reply, ...older]);
    expect(await findPostedReply(listRecent, BOT, { roomId: ROOM, markdown: 'got it' }, POSTED_AT, none)).to.equal(
      reply,
    );
    expect(asked).to.deep.equal([20]);
  });

  it('finds it further back when people went on writing meanwhile (25 messages since)', async () => {
    const { listRecent, asked } = space([...userMessages(25, 100), reply, ...older]);
    expect(await findPostedReply(listRecent, BOT, { roomId: ROOM, markdown: 'got it' }, POSTED_AT, none)).to.equal(
      reply,
    );
    expect(asked).to.deep.equal([20, 200]);
  });

  it('says "not there" only once the listing reaches back past the POST', async () => {
    const { listRecent, asked } = space([...userMessages(25, 100), ...older]);
    expect(await findPostedReply(listRecent, BOT, { roomId: ROOM, markdown: 'got it' }, POSTED_AT, none)).to.equal(
      undefined,
    );
    expect(asked).to.deep.equal([20, 200]);
    // A space with fewer messages than asked for is listed whole.
    expect(
      await findPostedReply(
        space(userMessages(5, 100)).listRecent,
        BOT,
        { roomId: ROOM, markdown: 'got it' },
        POSTED_AT,
        none,
      ),
    ).to.equal(undefined);
  });

  it('says "unknown" when more was written since than it can look at, or the space cannot be listed', async () => {
    const busy = space(userMessages(1500, 100));
    expect(await findPostedReply(busy.listRecent, BOT, { roomId: ROOM, markdown: 'got it' }, POSTED_AT, none)).to.equal(
      'unknown',
    );
    expect(busy.asked).to.deep.equal([20, 200, 1000]);
    const refused: ListRecent = async () => {
      throw new Error('403: a bot may not list a group space');
    };
    expect(await findPostedReply(refused, BOT, { roomId: ROOM, markdown: 'got it' }, POSTED_AT, none)).to.equal(
      'unknown',
    );
  });

  it("counts only the bot's own message, in the same thread, with the same content, that no recorded reply accounts for", async () => {
    const look = (messages: ListedMessage[], known: (id: string) => boolean = none) =>
      findPostedReply(
        space([...messages, ...older]).listRecent,
        BOT,
        { roomId: ROOM, markdown: 'got it', parentId: 'parent-1' },
        POSTED_AT,
        known,
      );
    expect(await look([{ ...reply, parentId: 'parent-1', personId: 'alice' }])).to.equal(undefined);
    expect(await look([{ ...reply, parentId: 'parent-2' }])).to.equal(undefined);
    expect(await look([{ ...reply, parentId: 'parent-1', markdown: 'something else' }])).to.equal(undefined);
    expect(await look([{ ...reply, parentId: 'parent-1' }], (id) => id === 'reply-1')).to.equal(undefined);
    expect(await look([{ ...reply, parentId: 'parent-1', created: at(-30_000) }])).to.equal(undefined);
    expect(await look([{ ...reply, parentId: 'parent-1' }])).to.deep.include({ id: 'reply-1' });
  });
});
