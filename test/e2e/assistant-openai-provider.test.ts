/**
 * The OpenAI-compatible provider against a real HTTP server on 127.0.0.1 speaking the chat
 * completions API (SSE `data:` chunks): streamed text, tool calls assembled from their pieces,
 * errors as coded errors, a stream that never ends cut at the cap, one that hangs cut at the
 * timeout, and the API key sent only as the Authorization header and never logged.
 */
import { expect } from 'chai';
import { createServer } from 'node:net';
import { createOpenAiProvider } from '../../src/assistant/openai-provider.js';
import { guardStream, type ProviderEvent } from '../../src/assistant/provider.js';
import { isBotError } from '../../src/errors.js';
import { capturedLog } from './support/captured-log.js';
import { chunk, type ModelServer, startModelServer } from './support/model-server.js';

const KEY = 'sk-test-9f8e7d6c5b4a39281706';
const TOOL = {
  name: 'ticket_open',
  description: 'Open a ticket',
  parameters: { type: 'object', properties: { title: { type: 'string' } }, required: ['title'] },
};

async function collect(events: AsyncIterable<ProviderEvent>): Promise<ProviderEvent[]> {
  const out: ProviderEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

async function failure(events: AsyncIterable<ProviderEvent>): Promise<unknown> {
  try {
    await collect(events);
  } catch (err) {
    return err;
  }
  throw new Error('the stream did not fail');
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('assistant: the OpenAI-compatible provider against a local server', () => {
  let server: ModelServer;
  const captured = capturedLog('debug');
  const request = {
    system: 'You are a test.',
    messages: [{ role: 'user' as const, content: 'open a ticket: VPN is down' }],
    tools: [TOOL],
  };

  beforeEach(async () => {
    server = await startModelServer();
    captured.lines.length = 0;
  });
  afterEach(() => server.close());

  const provider = (options: { apiKey?: string } = { apiKey: KEY }) =>
    createOpenAiProvider({ baseUrl: server.baseUrl, apiKey: options.apiKey, model: 'test-model', log: captured.log });

  it('streams text as it comes and assembles tool calls from their pieces, asking as the API wants', async () => {
    server.answer({
      chunks: [
        chunk({ role: 'assistant', content: '' }),
        chunk({ content: 'Opening ' }),
        chunk({ content: 'it now.' }),
        chunk({
          tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'ticket_', arguments: '' } }],
        }),
        chunk({
          tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'help', arguments: '{}' } }],
        }),
        chunk({ tool_calls: [{ index: 0, function: { name: 'open', arguments: '{"title":' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '"VPN is down"}' } }] }),
        chunk({}, 'tool_calls'),
      ],
    });
    const events = await collect(guardStream(provider(), request, { timeoutMs: 10_000, maxTokens: 100 }));
    expect(events).to.deep.equal([
      { type: 'text', delta: 'Opening ' },
      { type: 'text', delta: 'it now.' },
      { type: 'tool-call', call: { id: 'call_a', name: 'ticket_open', arguments: '{"title":"VPN is down"}' } },
      { type: 'tool-call', call: { id: 'call_b', name: 'help', arguments: '{}' } },
      { type: 'done', reason: 'tool-calls' },
    ]);
    const seen = server.requests[0]!;
    expect(seen.body).to.deep.include({ model: 'test-model', stream: true, max_tokens: 100 });
    expect(seen.body['messages']).to.deep.equal([
      { role: 'system', content: 'You are a test.' },
      { role: 'user', content: 'open a ticket: VPN is down' },
    ]);
    expect(seen.body['tools']).to.deep.equal([{ type: 'function', function: TOOL }]);
  });

  it('sends the conversation back with the tool calls and their results', async () => {
    server.answer({ chunks: [chunk({ content: 'Done.' }), chunk({}, 'stop')] });
    const events = await collect(
      guardStream(
        provider(),
        {
          ...request,
          messages: [
            { role: 'user', content: 'open a ticket' },
            { role: 'assistant', content: '', toolCalls: [{ id: 'call_a', name: 'ticket_open', arguments: '{}' }] },
            { role: 'tool', toolCallId: 'call_a', content: 'The command ran.' },
          ],
        },
        { timeoutMs: 10_000, maxTokens: 100 },
      ),
    );
    expect(events).to.deep.equal([
      { type: 'text', delta: 'Done.' },
      { type: 'done', reason: 'stop' },
    ]);
    expect((server.requests[0]!.body['messages'] as unknown[]).slice(2)).to.deep.equal([
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_a', type: 'function', function: { name: 'ticket_open', arguments: '{}' } }],
      },
      { role: 'tool', tool_call_id: 'call_a', content: 'The command ran.' },
    ]);
  });

  it("says 'length' when the model stopped at max_tokens", async () => {
    server.answer({ chunks: [chunk({ content: 'A long' }), chunk({}, 'length')] });
    const events = await collect(guardStream(provider(), request, { timeoutMs: 10_000, maxTokens: 2 }));
    expect(events.at(-1)).to.deep.equal({ type: 'done', reason: 'length' });
  });

  it('turns an HTTP error into ASSISTANT_FAILED with the status and what the server said', async () => {
    server.answer({ status: 503, body: { error: { message: 'model is loading', type: 'server_error' } } });
    const err = await failure(guardStream(provider(), request, { timeoutMs: 10_000, maxTokens: 100 }));
    if (!isBotError(err, 'ASSISTANT_FAILED')) throw err;
    expect(err.status).to.equal(503);
    expect(err.message).to.include('503').and.include('model is loading');
    expect(server.requests).to.have.length(1); // no retry: a person is waiting
  });

  it('turns an error reported inside the stream into ASSISTANT_FAILED', async () => {
    server.answer({ chunks: [chunk({ content: 'Hel' }), { error: { message: 'overloaded' } }] });
    const err = await failure(guardStream(provider(), request, { timeoutMs: 10_000, maxTokens: 100 }));
    if (!isBotError(err, 'ASSISTANT_FAILED')) throw err;
    expect(err.message).to.include('overloaded');
  });

  it('turns a stream that is not JSON into ASSISTANT_BAD_ANSWER, and an empty one too', async () => {
    server.answer({ chunks: ['{not json'] }, { chunks: [] });
    const bad = await failure(guardStream(provider(), request, { timeoutMs: 10_000, maxTokens: 100 }));
    expect(isBotError(bad, 'ASSISTANT_BAD_ANSWER'), String(bad)).to.equal(true);
    const empty = await failure(guardStream(provider(), request, { timeoutMs: 10_000, maxTokens: 100 }));
    expect(isBotError(empty, 'ASSISTANT_BAD_ANSWER'), String(empty)).to.equal(true);
  });

  it('turns a server that is not there into ASSISTANT_UNREACHABLE', async () => {
    const gone = createOpenAiProvider({
      baseUrl: `http://127.0.0.1:${await closedPort()}/v1`,
      apiKey: KEY,
      model: 'm',
      log: captured.log,
    });
    const err = await failure(guardStream(gone, request, { timeoutMs: 10_000, maxTokens: 100 }));
    expect(isBotError(err, 'ASSISTANT_UNREACHABLE'), String(err)).to.equal(true);
    expect((err as Error).message).to.include('ECONNREFUSED');
  });

  it('cuts a stream that never ends at the token cap, and closes the connection', async () => {
    server.answer({ forever: chunk({ content: 'and on ' }), everyMs: 5 });
    const events = await collect(guardStream(provider(), request, { timeoutMs: 20_000, maxTokens: 10 }));
    expect(events.at(-1)).to.deep.equal({ type: 'done', reason: 'cut' });
    const text = events.map((e) => (e.type === 'text' ? e.delta : '')).join('');
    expect(text.length).to.be.within(30, 40); // 10 tokens at 4 characters: the cut comes with the chunk past 40
    await server.requests[0]!.closed;
  });

  it('gives up on a stream that stops coming at the timeout (ASSISTANT_TIMEOUT), and closes the connection', async () => {
    server.answer({ hang: true, first: [chunk({ content: 'Let me think' })] });
    const seen: ProviderEvent[] = [];
    let err: unknown;
    try {
      for await (const e of guardStream(provider(), request, { timeoutMs: 300, maxTokens: 100 })) seen.push(e);
    } catch (caught) {
      err = caught;
    }
    expect(seen).to.deep.equal([{ type: 'text', delta: 'Let me think' }]);
    expect(isBotError(err, 'ASSISTANT_TIMEOUT'), String(err)).to.equal(true);
    await server.requests[0]!.closed;
  });

  it('sends the API key only as the Authorization header, and never logs it', async () => {
    server.answer(
      { chunks: [chunk({ content: 'ok' })] },
      { status: 401, body: { error: { message: 'bad key', type: 'invalid_request_error' } } },
      { chunks: ['{"broken'] },
    );
    await collect(guardStream(provider(), request, { timeoutMs: 10_000, maxTokens: 100 }));
    const refused = await failure(guardStream(provider(), request, { timeoutMs: 10_000, maxTokens: 100 }));
    const broken = await failure(guardStream(provider(), request, { timeoutMs: 10_000, maxTokens: 100 }));
    for (const seen of server.requests) {
      expect(seen.headers.authorization).to.equal(`Bearer ${KEY}`);
      const elsewhere = Object.entries(seen.headers).filter(
        ([name, value]) => name !== 'authorization' && String(value).includes(KEY),
      );
      expect(elsewhere).to.deep.equal([]);
      expect(seen.rawBody).to.not.include(KEY);
      expect(seen.url).to.not.include(KEY);
    }
    expect(String(refused)).to.not.include(KEY);
    expect(String(broken)).to.not.include(KEY);
    // The client logged the broken chunk (through the bot's logger); no line holds the key.
    expect(captured.lines.some((line) => JSON.stringify(line).includes('broken'))).to.equal(true);
    for (const line of captured.lines) expect(JSON.stringify(line)).to.not.include(KEY);
  });

  it('sends no Authorization header at all without a key (local servers)', async () => {
    server.answer({ chunks: [chunk({ content: 'hi' })] });
    const events = await collect(guardStream(provider({}), request, { timeoutMs: 10_000, maxTokens: 100 }));
    expect(events[0]).to.deep.equal({ type: 'text', delta: 'hi' });
    expect(server.requests[0]!.headers.authorization).to.equal(undefined);
  });

  it('takes the URL, key and organisation from its settings, never from OPENAI_* variables', async () => {
    const saved = { ...process.env };
    process.env['OPENAI_BASE_URL'] = 'http://127.0.0.1:9/v1';
    process.env['OPENAI_ORG_ID'] = 'org-from-env';
    process.env['OPENAI_API_KEY'] = 'sk-from-env';
    try {
      server.answer({ chunks: [chunk({ content: 'hi' })] });
      await collect(guardStream(provider(), request, { timeoutMs: 10_000, maxTokens: 100 }));
      const headers = server.requests[0]!.headers;
      expect(headers['openai-organization']).to.equal(undefined);
      expect(headers.authorization).to.equal(`Bearer ${KEY}`);
    } finally {
      for (const name of ['OPENAI_BASE_URL', 'OPENAI_ORG_ID', 'OPENAI_API_KEY']) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    }
  });
});
