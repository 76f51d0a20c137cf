import { expect } from 'chai';
import {
  type AssistantProvider,
  guardStream,
  type ProviderEvent,
  type ProviderRequest,
} from '../../../src/assistant/provider.js';
import { ScriptedProvider } from '../../../src/assistant/scripted-provider.js';
import { isBotError } from '../../../src/errors.js';

const REQUEST = { system: 's', messages: [{ role: 'user' as const, content: 'hi' }], tools: [] };
const GUARD = { timeoutMs: 10_000, maxTokens: 100 };

async function run(
  provider: AssistantProvider,
  guard: Parameters<typeof guardStream>[2] = GUARD,
): Promise<{ events: ProviderEvent[]; error: unknown }> {
  const events: ProviderEvent[] = [];
  try {
    for await (const e of guardStream(provider, REQUEST, guard)) events.push(e);
    return { events, error: undefined };
  } catch (error) {
    return { events, error };
  }
}

describe('assistant: the provider guard', () => {
  it('passes the events through and ends with exactly one done', async () => {
    const { events, error } = await run(new ScriptedProvider([[{ text: 'a' }, { text: 'b' }]]));
    expect(error).to.equal(undefined);
    expect(events).to.deep.equal([
      { type: 'text', delta: 'a' },
      { type: 'text', delta: 'b' },
      { type: 'done', reason: 'stop' },
    ]);
  });

  it('adds the done of a provider that ends without one', async () => {
    const bare: AssistantProvider = {
      name: 'bare',
      async *stream() {
        yield { type: 'text', delta: 'x' };
      },
    };
    expect((await run(bare)).events.at(-1)).to.deep.equal({ type: 'done', reason: 'stop' });
  });

  it('gives the provider the cap, the timeout and a live signal', async () => {
    const provider = new ScriptedProvider([[{ text: 'ok' }]]);
    await run(provider, { timeoutMs: 1234, maxTokens: 56 });
    const request = provider.requests[0]!;
    expect(request).to.deep.include({ timeoutMs: 1234, maxTokens: 56, system: 's' });
    expect(request.signal.aborted).to.equal(true); // released once the stream ended
  });

  it('cuts a stream past the cap (4 characters a token) and aborts the provider', async () => {
    const provider = new ScriptedProvider([[{ forever: 'abcde' }]]);
    const { events, error } = await run(provider, { timeoutMs: 10_000, maxTokens: 5 });
    expect(error).to.equal(undefined);
    expect(events.filter((e) => e.type === 'text')).to.have.length(4); // 20 characters; the 5th chunk is past 20
    expect(events.at(-1)).to.deep.equal({ type: 'done', reason: 'cut' });
    expect(provider.requests[0]!.signal.aborted).to.equal(true);
  });

  it('counts tool call arguments against the cap too', async () => {
    const provider = new ScriptedProvider([[{ toolCall: { name: 't', arguments: 'x'.repeat(50) } }]]);
    const { events } = await run(provider, { timeoutMs: 10_000, maxTokens: 5 });
    expect(events).to.deep.equal([{ type: 'done', reason: 'cut' }]);
  });

  it('ends a provider that ignores its signal and hangs at the timeout, with ASSISTANT_TIMEOUT', async () => {
    const { events, error } = await run(new ScriptedProvider([[{ text: 'thinking' }, { hang: true }]]), {
      timeoutMs: 50,
      maxTokens: 100,
    });
    expect(events).to.deep.equal([{ type: 'text', delta: 'thinking' }]);
    expect(isBotError(error, 'ASSISTANT_TIMEOUT'), String(error)).to.equal(true);
  });

  it("ends with ASSISTANT_ABORTED when the caller's signal aborts (even one aborted before)", async () => {
    const controller = new AbortController();
    const slow = new ScriptedProvider([[{ text: 'a' }, { hang: true }]]);
    const pending = run(slow, { ...GUARD, signal: controller.signal });
    while (slow.requests.length === 0) await new Promise((r) => setImmediate(r));
    controller.abort();
    const { error } = await pending;
    expect(isBotError(error, 'ASSISTANT_ABORTED'), String(error)).to.equal(true);
    const early = await run(new ScriptedProvider([[{ text: 'a' }]]), { ...GUARD, signal: AbortSignal.abort() });
    expect(isBotError(early.error, 'ASSISTANT_ABORTED'), String(early.error)).to.equal(true);
    expect(early.events).to.deep.equal([]);
  });

  it("keeps a provider's coded error and makes any other ASSISTANT_FAILED", async () => {
    const coded = await run(new ScriptedProvider([[{ text: 'a' }, { error: 'ASSISTANT_UNREACHABLE' }]]));
    expect(isBotError(coded.error, 'ASSISTANT_UNREACHABLE')).to.equal(true);
    const plain = await run(new ScriptedProvider([[{ error: new TypeError('boom') }]]));
    expect(isBotError(plain.error, 'ASSISTANT_FAILED')).to.equal(true);
    expect((plain.error as Error).message).to.equal('scripted: boom');
  });

  it('makes ASSISTANT_FAILED of a provider that throws before it streams', async () => {
    const broken: AssistantProvider = {
      name: 'broken',
      stream() {
        throw new Error('not configured');
      },
    };
    const { error } = await run(broken);
    expect(isBotError(error, 'ASSISTANT_FAILED'), String(error)).to.equal(true);
    expect((error as Error).message).to.equal('broken: not configured');
  });

  it('aborts the provider when the reader stops early', async () => {
    const provider = new ScriptedProvider([[{ forever: 'x', everyMs: 1 }]]);
    for await (const e of guardStream(provider, REQUEST, GUARD)) if (e.type === 'text') break;
    expect(provider.requests[0]!.signal.aborted).to.equal(true);
  });
});

describe('assistant: the scripted provider', () => {
  const request = (signal = new AbortController().signal): ProviderRequest => ({
    ...REQUEST,
    maxTokens: 10,
    timeoutMs: 1000,
    signal,
  });
  const all = async (events: AsyncIterable<ProviderEvent>) => {
    const out: ProviderEvent[] = [];
    for await (const e of events) out.push(e);
    return out;
  };

  it('plays one turn per request, numbering tool calls, and keeps the requests', async () => {
    const provider = new ScriptedProvider([
      [{ toolCall: { name: 'echo', arguments: { text: 'hi' } } }, { toolCall: { name: 'raw', arguments: '{bad' } }],
      (r) => [{ text: `you said ${r.messages.length} things` }],
    ]);
    expect(await all(provider.stream(request()))).to.deep.equal([
      { type: 'tool-call', call: { id: 'call_1', name: 'echo', arguments: '{"text":"hi"}' } },
      { type: 'tool-call', call: { id: 'call_2', name: 'raw', arguments: '{bad' } },
      { type: 'done', reason: 'tool-calls' },
    ]);
    expect(await all(provider.stream(request()))).to.deep.equal([
      { type: 'text', delta: 'you said 1 things' },
      { type: 'done', reason: 'stop' },
    ]);
    expect(provider.requests).to.have.length(2);
    expect(provider.remaining).to.equal(0);
  });

  it('says clearly when the script has no turn left', async () => {
    const provider = new ScriptedProvider([]);
    try {
      await all(provider.stream(request()));
      expect.fail('no error');
    } catch (err) {
      expect((err as Error).message).to.match(/request 1 has no turn left/);
    }
  });

  it('ends a delay early when the request is aborted, and ends with the done it is given', async () => {
    const controller = new AbortController();
    const provider = new ScriptedProvider([
      [{ text: 'a' }, { done: 'length' }, { text: 'never' }],
      [{ delayMs: 60_000 }],
    ]);
    expect(await all(provider.stream(request()))).to.deep.equal([
      { type: 'text', delta: 'a' },
      { type: 'done', reason: 'length' },
    ]);
    const waiting = all(provider.stream(request(controller.signal)));
    controller.abort();
    expect(await waiting).to.deep.equal([]);
  });
});
