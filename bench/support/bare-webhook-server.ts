/**
 * The ack benchmark's baseline, run as a process of its own
 * (`node --import tsx bench/support/bare-webhook-server.ts`): the least a webhook endpoint can do.
 * Node's `http` reads the body, checks `X-Spark-Signature` (the hex HMAC-SHA1 of the raw bytes
 * with the secret, compared in constant time: the same check as the bot's) and answers 200, or
 * 401 when the signature does not match; nothing else.
 *
 * Environment: `BARE_WEBHOOK_SECRET`. It listens on a free port of 127.0.0.1, prints
 * `bare webhook server listening on <port>`, and exits on SIGTERM or SIGINT.
 */
import http from 'node:http';
import { SIGNATURE_HEADER, verifySignature } from '../../src/protocol/signature.js';
import { listen } from '../../src/util/listen.js';

const secret = process.env['BARE_WEBHOOK_SECRET'];
if (!secret) {
  process.stderr.write('BARE_WEBHOOK_SECRET is not set\n');
  process.exit(2);
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const ok = verifySignature(secret, Buffer.concat(chunks), req.headers[SIGNATURE_HEADER] as string | undefined);
    res.writeHead(ok ? 200 : 401).end();
  });
});

const port = await listen(server, 0, '127.0.0.1');
process.stdout.write(`bare webhook server listening on ${port}\n`);

const stop = (): void => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
