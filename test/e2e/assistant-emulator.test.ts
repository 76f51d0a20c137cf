/**
 * The assistant as `npm start` runs it with `ASSISTANT_BASE_URL` set: the bot (the project's
 * skills and cards) against the emulator, its model an OpenAI-compatible server the test starts
 * (real HTTP, streamed chunks). The emulator enforces Webex's rules on what the bot posts and
 * edits: 7,439 bytes a message, at most 10 edits.
 */
import { expect } from 'chai';
import type { Message } from '../../src/emulator/index.js';
import { startTestBot, type TestBot } from '../../src/testing/test-bot.js';
import { chunk, type ModelServer, startModelServer } from './support/model-server.js';

describe('assistant: an OpenAI-compatible model behind the bot, through the emulator', () => {
  let model: ModelServer;
  let t: TestBot;
  const updates = new Map<string, number>();
  let stopWatching: () => void;

  before(async () => {
    model = await startModelServer();
    t = await startTestBot({
      config: {
        assistantBaseUrl: model.baseUrl,
        assistantModel: 'test-model',
        assistantTimeoutMs: 5000,
        assistantMaxTokens: 20_000,
      },
      // Edits sooner than the default (k × 1 s), so that a 38 KB answer spends the budget.
      tuning: { assistant: { writer: { minIntervalMs: 20, minGrowthBytes: 200 } } },
      replyTimeoutMs: 20_000,
    });
    stopWatching = t.emulator.onEvent((e) => {
      if (e.kind === 'message-updated') updates.set(e.message.id, (updates.get(e.message.id) ?? 0) + 1);
    });
  });
  after(async () => {
    stopWatching();
    await t?.stop();
    await model?.close();
  });

  /** Alice's `text` in the direct space; the bot's messages once it is done with it. */
  async function chat(text: string): Promise<Message[]> {
    const before = new Set(t.direct.transcript().map((m) => m.id));
    const first = t.emulator.waitForMessage({
      roomId: t.direct.roomId,
      personId: t.emulator.bot.id,
      timeoutMs: 20_000,
    });
    await t.direct.send(text);
    await first;
    await t.settled();
    return t.direct.transcript().filter((m) => m.personId === t.emulator.bot.id && !before.has(m.id));
  }

  it('streams a long answer: at most 10 edits a message, continued in new messages, every piece shown once', async () => {
    const line = 'The assistant streams this line, and then another one like it. ';
    const pieces = Array.from({ length: 600 }, (_, i) => `${line}${i % 6 === 5 ? '\n\n' : ''}`);
    model.answer({ chunks: [...pieces.map((p) => chunk({ content: p })), chunk({}, 'stop')], everyMs: 2 });
    const answer = await chat('tell me a long story');
    expect(answer.length).to.be.at.least(5); // about 38 KB
    for (const m of answer) {
      expect(Buffer.byteLength(m.markdown ?? '')).to.be.at.most(7439);
      expect(updates.get(m.id) ?? 0, m.id).to.be.at.most(10);
    }
    expect(
      answer.some((m) => (updates.get(m.id) ?? 0) > 2),
      'edits were shown while streaming',
    ).to.equal(true);
    const flat = (s: string) => s.replace(/\s+/g, ' ').trim();
    expect(flat(answer.map((m) => m.markdown).join(' '))).to.equal(flat(pieces.join('')));
    expect(model.requests.at(-1)?.body).to.deep.include({ model: 'test-model', stream: true });
  });

  it('a model that does not answer in time gets the person an apology pointing to help', async () => {
    model.answer({ hang: true });
    const answer = await chat('hello?');
    expect(answer.map((m) => m.markdown)).to.deep.equal([
      'Sorry, I could not answer that just now. Type `help` to see what I can do.',
    ]);
  });
});
