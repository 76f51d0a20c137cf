/**
 * A message poster that keeps Webex's rules as the emulator does: at most 10 edits per message
 * (the 11th throws), at most 7,439 bytes per message, no edit of a deleted message. It keeps every
 * version of every message, for tests to check what a reader saw.
 */
import type { MessagePoster, PostedMessage } from '../../../src/assistant/stream-writer.js';
import { MAX_MESSAGE_BYTES } from '../../../src/protocol/limits.js';

/** One posted message and its history. */
export interface FakeMessage {
  readonly id: string;
  /** Every version shown, the first posted one included. */
  readonly versions: string[];
  edits: number;
  deleted: boolean;
}

export class FakePoster implements MessagePoster {
  readonly messages: FakeMessage[] = [];
  /** Set to make the next edits (or posts) throw. */
  failEdits = false;
  failPosts = false;

  /** @param latencyMs how long each post and edit takes (a timer: use with a fake clock). */
  constructor(private readonly latencyMs = 0) {}

  private async wait(): Promise<void> {
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
  }

  /** The messages not deleted, as they read now. */
  get current(): string[] {
    return this.messages.filter((m) => !m.deleted).map((m) => m.versions.at(-1)!);
  }

  private static check(markdown: string): void {
    const size = Buffer.byteLength(markdown, 'utf8');
    if (size > MAX_MESSAGE_BYTES) throw new Error(`400: markdown is ${size} bytes, over ${MAX_MESSAGE_BYTES}`);
    if (markdown.trim() === '') throw new Error('400: a message needs text');
  }

  async post(markdown: string): Promise<PostedMessage> {
    await this.wait();
    if (this.failPosts) throw new Error('503: posting failed');
    FakePoster.check(markdown);
    const message: FakeMessage = { id: `m${this.messages.length + 1}`, versions: [markdown], edits: 0, deleted: false };
    this.messages.push(message);
    return {
      edit: async (next: string) => {
        await this.wait();
        if (message.deleted) throw new Error('404: the message was deleted');
        if (message.edits >= 10) throw new Error('400: a message can be edited at most 10 times');
        if (this.failEdits) throw new Error('502: the edit failed');
        FakePoster.check(next);
        message.edits += 1;
        message.versions.push(next);
      },
      delete: async () => {
        message.deleted = true;
      },
    };
  }
}
