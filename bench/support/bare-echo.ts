/**
 * The fake's own time for an echo, as a reference for the bot's fire-to-reply latency: a bare
 * echo in this process that does only what any bot must do to answer a message, with nothing of
 * its own in between. A `node:http` server receives the emulator's webhook (`messages/created`,
 * signed), checks the signature and answers 200; then, with Node's `fetch`, it reads the message
 * (`GET /messages/{id}`: webhooks carry ids only) and posts the answer (`POST /messages`), a
 * markdown echo of the same shape as the echo skill's (the webhook JSON, which quotes the
 * message's id, and the text). Its own messages coming back are dropped from the webhook's data,
 * with no call. It looks nothing else up: a bot that knows the sender and the space already
 * (a warm cache) needs no more.
 */
import http from 'node:http';
import type { Emulator } from '../../src/emulator/index.js';
import { SIGNATURE_HEADER, verifySignature } from '../../src/protocol/signature.js';
import { listen } from '../../src/util/listen.js';

/** A running bare echo. */
export interface BareEcho {
  /** Answers that failed (a REST call refused or unreachable). */
  readonly failures: number;
  /** Removes its webhook and stops its server. */
  stop(): Promise<void>;
}

/** Starts the bare echo and registers its webhook with `emulator` (there should be no other). */
export async function startBareEcho(emulator: Emulator, secret: string): Promise<BareEcho> {
  const auth = { authorization: `Bearer ${emulator.botToken}` };
  let failures = 0;
  const answer = async (envelope: { data: { id: string; roomId: string } }): Promise<void> => {
    const read = await fetch(`${emulator.apiUrl}/messages/${envelope.data.id}`, { headers: auth });
    if (!read.ok) throw new Error(`GET /messages answered ${read.status}`);
    const message = (await read.json()) as { text?: string };
    const markdown = [
      '**Webhook received** (messages / created)',
      `\`\`\`json\n${JSON.stringify(envelope, null, 2)}\n\`\`\``,
      `- Message: ${message.text ?? ''}`,
    ].join('\n\n');
    const posted = await fetch(`${emulator.apiUrl}/messages`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ roomId: envelope.data.roomId, markdown }) });
    if (!posted.ok) throw new Error(`POST /messages answered ${posted.status}`);
    await posted.arrayBuffer();
  };
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
      const envelope = JSON.parse(body.toString('utf8')) as { resource: string; event: string; data: { id: string; roomId: string; personId: string } };
      if (envelope.resource !== 'messages' || envelope.event !== 'created' || envelope.data.personId === emulator.bot.id) return;
      answer(envelope).catch(() => {
        failures++;
      });
    });
  });
  const port = await listen(server, 0, '127.0.0.1');
  const created = await fetch(`${emulator.apiUrl}/webhooks`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bare echo', targetUrl: `http://127.0.0.1:${port}/webhook`, resource: 'messages', event: 'created', secret }),
  });
  if (!created.ok) {
    server.close();
    throw new Error(`could not register the bare echo's webhook: HTTP ${created.status}`);
  }
  const webhook = (await created.json()) as { id: string };
  return {
    get failures() {
      return failures;
    },
    async stop() {
      emulator.removeWebhook(webhook.id);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
