/**
 * A small OpenAI-compatible chat completions server for tests, on 127.0.0.1: each POST to
 * `/v1/chat/completions` is answered by the next scripted answer (SSE `data:` chunks, an error,
 * a stream that never ends, one that hangs), and every request is kept (headers and JSON body).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the server answers one request. */
export type ModelAnswer =
  /** 200 with these SSE `data:` chunks (objects are JSON-encoded; strings sent as they are), `everyMs` apart, then `[DONE]`. */
  | { readonly chunks: readonly (object | string)[]; readonly done?: boolean; readonly everyMs?: number }
  /** An HTTP error with this JSON body. */
  | { readonly status: number; readonly body: object }
  /** 200, then `chunk` every `everyMs` until the client goes away. */
  | { readonly forever: object; readonly everyMs: number }
  /** 200 and the headers, `first` chunks, then nothing more (until the client goes away). */
  | { readonly hang: true; readonly first?: readonly object[] };

/** A request the server got. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly rawBody: string;
  readonly body: Record<string, unknown>;
  /** Resolves when the client closed the connection (or the answer ended). */
  readonly closed: Promise<void>;
}

/** A running model server. */
export interface ModelServer {
  /** The base URL to give the provider (`http://127.0.0.1:<port>/v1`). */
  readonly baseUrl: string;
  readonly requests: SeenRequest[];
  answer(...answers: ModelAnswer[]): void;
  close(): Promise<void>;
}

/** A streamed chunk of a chat completion: `delta` and, optionally, the finish reason. */
export function chunk(delta: object, finish: string | null = null): object {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'm',
    choices: [{ index: 0, delta, finish_reason: finish }],
  };
}

function sse(res: ServerResponse, data: object | string): void {
  res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
}

async function playChunks(answer: Extract<ModelAnswer, { chunks: unknown }>, res: ServerResponse): Promise<void> {
  for (const c of answer.chunks) {
    if (res.destroyed) return;
    sse(res, c);
    if (answer.everyMs) await new Promise((resolve) => setTimeout(resolve, answer.everyMs));
  }
  if (answer.done !== false) sse(res, '[DONE]');
  res.end();
}

function play(answer: ModelAnswer | undefined, res: ServerResponse): void {
  if (answer === undefined) {
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: 'the test scripted no answer for this request' } }));
    return;
  }
  if ('status' in answer) {
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  if ('chunks' in answer) {
    void playChunks(answer, res);
  } else if ('forever' in answer) {
    const timer = setInterval(() => sse(res, answer.forever), answer.everyMs);
    res.on('close', () => clearInterval(timer));
  } else {
    for (const c of answer.first ?? []) sse(res, c);
  }
}

/** Starts a model server on a free port. */
export async function startModelServer(): Promise<ModelServer> {
  const answers: ModelAnswer[] = [];
  const requests: SeenRequest[] = [];
  const open = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      const rawBody = Buffer.concat(parts).toString('utf8');
      const closed = new Promise<void>((resolve) => res.on('close', () => resolve()));
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(rawBody) as Record<string, unknown>;
      } catch {
        body = {};
      }
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawBody, body, closed });
      open.add(res);
      res.on('close', () => open.delete(res));
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404).end();
        return;
      }
      play(answers.shift(), res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    answer: (...more) => void answers.push(...more),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
