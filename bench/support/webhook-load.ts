/**
 * The ack benchmark's load generator, run as a process of its own (so that its work does not
 * share an event loop with the emulator or either server):
 * `node --import tsx bench/support/webhook-load.ts '<json settings>'`.
 *
 * It POSTs `requests` signed webhook bodies to `url` over `connections` keep-alive connections
 * (a `node:http` Agent; each connection sends its next request once the previous one is
 * answered) and prints one line, `result <json>` ({@link LoadResult}). The bodies are made and
 * signed before the clock starts: with `distinct`, `envelope` with a fresh message id, the next
 * of `roomIds` and the current time in its `data` for each request; with `same`, `envelope` as
 * it is, every time (one event redelivered over and over).
 */
import http from 'node:http';
import { mintId } from '../../src/emulator/ids.js';
import { SIGNATURE_HEADER, signBody } from '../../src/protocol/signature.js';

/** The settings, as JSON in the first argument. */
export interface LoadSettings {
  readonly url: string;
  readonly secret: string;
  readonly requests: number;
  readonly connections: number;
  readonly bodies: 'distinct' | 'same';
  /** A webhook body as Webex sends it. */
  readonly envelope: { readonly data: Readonly<Record<string, unknown>> } & Readonly<Record<string, unknown>>;
  /** Spaces the distinct events are spread over. */
  readonly roomIds?: readonly string[];
}

/** What the generator prints. */
export interface LoadResult {
  readonly requests: number;
  readonly seconds: number;
  /** Answers per status code ("error" for a request that got none). */
  readonly statuses: Readonly<Record<string, number>>;
  /** CPU the generator used while sending (ms). */
  readonly cpuMs: number;
}

interface SignedBody {
  readonly bytes: Buffer;
  readonly signature: string;
}

function signed(secret: string, value: unknown): SignedBody {
  const bytes = Buffer.from(JSON.stringify(value), 'utf8');
  return { bytes, signature: signBody(secret, bytes) };
}

function bodiesFor(s: LoadSettings): SignedBody[] {
  if (s.bodies === 'same') return [signed(s.secret, s.envelope)];
  const rooms = s.roomIds && s.roomIds.length > 0 ? s.roomIds : [s.envelope.data['roomId']];
  return Array.from({ length: s.requests }, (_, n) =>
    signed(s.secret, {
      ...s.envelope,
      data: {
        ...s.envelope.data,
        id: mintId('MESSAGE'),
        roomId: rooms[n % rooms.length],
        created: new Date().toISOString(),
      },
    }),
  );
}

async function main(): Promise<void> {
  const s = JSON.parse(process.argv[2] ?? '') as LoadSettings;
  const bodies = bodiesFor(s);
  const target = new URL(s.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: s.connections });
  const statuses: Record<string, number> = {};
  const post = (body: SignedBody): Promise<void> =>
    new Promise((resolve) => {
      const req = http.request(
        {
          agent,
          method: 'POST',
          hostname: target.hostname,
          port: target.port,
          path: target.pathname,
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'content-length': String(body.bytes.length),
            [SIGNATURE_HEADER]: body.signature,
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            const key = String(res.statusCode);
            statuses[key] = (statuses[key] ?? 0) + 1;
            resolve();
          });
        },
      );
      req.on('error', () => {
        statuses['error'] = (statuses['error'] ?? 0) + 1;
        resolve();
      });
      req.end(body.bytes);
    });
  let next = 0;
  const connection = async (): Promise<void> => {
    while (next < s.requests) {
      const n = next++;
      await post(bodies[n % bodies.length]!);
    }
  };
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: s.connections }, connection));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  agent.destroy();
  const result: LoadResult = { requests: s.requests, seconds, statuses, cpuMs: (cpu.user + cpu.system) / 1000 };
  process.stdout.write(`result ${JSON.stringify(result)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
