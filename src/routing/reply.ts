/**
 * The `reply` object skills use: markdown (split into several messages when longer than Webex
 * allows), card templates by id, ready-made card JSON (checked first), or a file, into the right
 * thread. Each resolves with the handle of the message posted (`sent-message.ts`): edit it,
 * replace it, delete it.
 */
import type { Logger } from '../logging.js';
import type { CardRegistry } from '../cards/card-registry.js';
import { prepareFile } from './file-upload.js';
import type { CardReplyOptions, Reply, ReplyOptions, SentMessage } from '../skill-kit/types.js';
import { cardContent, checkedCardJson } from './card-content.js';
import { fitMessage } from './fit-message.js';
import { splitMessage } from './split-message.js';
import type { Outbox, OutgoingMessage, PostedMessage } from './inbound.js';
import { type HandleDeps, MessageHandle, type MessageKind } from './sent-message.js';

/**
 * Where replies go by default, and the thread to use when a reply asks for one: a space
 * (`roomId`), or, for a proactive message, a person (`toPersonEmail` or `toPersonId`).
 */
export interface ReplyTarget {
  readonly roomId?: string | undefined;
  readonly toPersonEmail?: string | undefined;
  readonly toPersonId?: string | undefined;
  /** Thread of replies that do not choose (`undefined` = top level). */
  defaultParentId(): Promise<string | undefined>;
  /** Thread of replies that ask for `thread: true` (`undefined`: there is none, e.g. the bot was just added). */
  threadRoot(): Promise<string | undefined>;
}

/** The destination fields of `target`, as the outbox takes them (those set only). */
function destinationOf(target: ReplyTarget): Pick<OutgoingMessage, 'roomId' | 'toPersonEmail' | 'toPersonId'> {
  if (target.roomId !== undefined) return { roomId: target.roomId };
  if (target.toPersonEmail !== undefined) return { toPersonEmail: target.toPersonEmail };
  return { toPersonId: target.toPersonId };
}

/**
 * The handle of a message just posted. Its space is the target's, or, for a message sent to a
 * person, the one Webex answered with (their direct space).
 */
function handleOf(
  posted: PostedMessage,
  target: ReplyTarget,
  parentId: string | undefined,
  kind: MessageKind,
  deps: HandleDeps,
): MessageHandle {
  const roomId = posted.roomId ?? target.roomId ?? '';
  return new MessageHandle({ id: posted.id, roomId, parentId, kind, edits: 0 }, deps);
}

/** The thread a reply with `options` goes to. */
async function parentFor(target: ReplyTarget, options: ReplyOptions | undefined): Promise<string | undefined> {
  if (options?.thread === true) return target.threadRoot();
  if (options?.thread === false) return undefined;
  return target.defaultParentId();
}

/** Sends `card` exactly as given (the caller has checked it), with `fallback` for clients without cards. */
export async function sendCard(
  target: ReplyTarget,
  outbox: Outbox,
  card: Readonly<Record<string, unknown>>,
  fallback: string,
  options: CardReplyOptions | undefined,
  deps: HandleDeps,
): Promise<MessageHandle> {
  const parentId = await parentFor(target, options);
  const posted = await outbox.send({ ...destinationOf(target), parentId, ...cardContent(card, fallback, options) });
  return handleOf(posted, target, parentId, 'card', deps);
}

/** Builds the `reply` for one event. */
export function createReply(target: ReplyTarget, outbox: Outbox, cards: CardRegistry, log: Logger): Reply {
  const deps: HandleDeps = { outbox, cards, log };
  return {
    async text(markdown, options) {
      const parts = splitMessage(markdown);
      if (parts.length > 1)
        log.info('long reply split into several messages', {
          bytes: Buffer.byteLength(markdown),
          messages: parts.length,
        });
      const parentId = await parentFor(target, options);
      let first: SentMessage | undefined;
      // One after the other, so the parts arrive in order.
      for (const part of parts) {
        const sent = await outbox.send({ ...destinationOf(target), markdown: part, parentId });
        first ??= handleOf(sent, target, parentId, 'text', deps);
      }
      return first!;
    },
    // The id and data were type-checked against the card's template (CardTemplates) where the call was written.
    card: (async (cardId: string, data?: Readonly<Record<string, unknown>>, options?: CardReplyOptions) => {
      const rendered = cards.render(cardId, data ?? {});
      return sendCard(target, outbox, rendered.card, rendered.fallbackText, options, deps);
    }) as Reply['card'],
    async cardJson(card, options) {
      const checked = checkedCardJson(card);
      return sendCard(target, outbox, checked.card, checked.fallback, options, deps);
    },
    async file(file, options) {
      const prepared = await prepareFile(file);
      try {
        const parentId = await parentFor(target, options);
        const text = file.text === undefined ? {} : { markdown: fitMessage(file.text).text };
        const sent = await outbox.send({ ...destinationOf(target), parentId, ...text, file: prepared.file });
        log.debug('file sent', { name: prepared.file.name, bytes: prepared.file.size });
        return handleOf(sent, target, parentId, 'file', deps);
      } finally {
        await prepared.dispose();
      }
    },
  };
}
