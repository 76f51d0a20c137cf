/**
 * A bare echo bot, run as a process of its own (`node --import tsx bench/support/bare-echo-server.ts`),
 * doing only what any bot must do to answer a message, with nothing of its own in between: the
 * reference for the fake's own time in the events benchmark (started by `bare-echo.ts`).
 *
 * Node's `http` receives the webhook, checks `X-Spark-Signature` (as the bot does) and answers
 * 200; then, over keep-alive connections, it reads the message (`GET /messages/{id}`: webhooks
 * carry ids only) and posts the answer (`POST /messages`), a markdown echo of the same shape as
 * the echo skill's (the webhook JSON, which quotes the message's id, and the text). Its own
 * messages coming back are dropped from the webhook's data, with no call. It looks nothing else
 * up: a bot that already knows the sender and the space (a warm cache) needs no more.
 *
 * Environment: `BARE_API_URL`, `BARE_TOKEN`, `BARE_SECRET`, `BARE_BOT_ID`. It listens on a free
 * port of 127.0.0.1 and prints `bare echo listening on <port>`; a failed answer prints
 * `bare echo failed: <reason>` on stderr. Exits on SIGTERM or SIGINT.
 */
import http from 'node:http';
import { SIGNATURE_HEADER, verifySignature } from '../../src/protocol/signature.js';
import { listen } from '../../src/util/listen.js';

const setting = (name: string): string => {
  const value = process.env[name];
  if (!value) {
    process.stderr.write(`${name} is not set\n`);
    process.exit(2);
  }
  return value;
};
const api = new URL(setting('BARE_API_URL'));
const token = setting('BARE_TOKEN');
const secret = setting('BARE_SECRET');
const botId = setting('BARE_BOT_ID');
const agent = new http.Agent({ keepAlive: true });

/** One REST call to the API; resolves with the status and the parsed answer. */
function call(method: 'GET' | 'POST', route: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const bytes = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        method,
        hostname: api.hostname,
        port: api.port,
        path: `${api.pathname}${route}`,
        headers: {
          authorization: `Bearer ${token}`,
          ...(bytes ? { 'content-type': 'application/json', 'content-length': String(bytes.length) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(bytes);
  });
}

interface Envelope {
  readonly resource: string;
  readonly event: string;
  readonly data: { readonly id: string; readonly roomId: string; readonly personId: string };
}

async function answer(envelope: Envelope): Promise<void> {
  const read = await call('GET', `/messages/${envelope.data.id}`);
  if (read.status !== 200) throw new Error(`GET /messages answered ${read.status}`);
  const markdown = [
    '**Webhook received** (messages / created)',
    `\`\`\`json\n${JSON.stringify(envelope, null, 2)}\n\`\`\``,
    `- Message: ${(read.json as { text?: string }).text ?? ''}`,
  ].join('\n\n');
  const posted = await call('POST', '/messages', { roomId: envelope.data.roomId, markdown });
  if (posted.status !== 200) throw new Error(`POST /messages answered ${posted.status}`);
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    if (!verifySignature(secret, body, req.headers[SIGNATURE_HEADER] as string | undefined)) {
      res.writeHead(401).end();
      return;
    }
    res.writeHead(200).end();
    const envelope = JSON.parse(body.toString('utf8')) as Envelope;
    if (envelope.resource !== 'messages' || envelope.event !== 'created' || envelope.data.personId === botId) return;
    answer(envelope).catch((err: unknown) => process.stderr.write(`bare echo failed: ${(err as Error).message}\n`));
  });
});

const port = await listen(server, 0, '127.0.0.1');
process.stdout.write(`bare echo listening on ${port}\n`);

const stop = (): void => {
  agent.destroy();
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
