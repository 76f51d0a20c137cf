/**
 * A small load balancer on 127.0.0.1: each request goes to the next instance in turn. An
 * instance that refuses the connection (it is down) is skipped, as a balancer's health check
 * would; one that fails after taking the request gets the request's client a 502, so the
 * sender (the emulator, as Webex) delivers it again later.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listen } from '../../../src/util/listen.js';

/** A running proxy. */
export interface RoundRobinProxy {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Requests forwarded to each instance (by index). */
  readonly forwarded: number[];
  /** Sends every request to instance `index` (undefined: round robin again). */
  pin(index: number | undefined): void;
  stop(): Promise<void>;
}

/** Starts a proxy in front of `ports` (instances on 127.0.0.1). */
export async function startRoundRobinProxy(ports: readonly number[]): Promise<RoundRobinProxy> {
  let next = 0;
  let pinned: number | undefined;
  const forwarded = ports.map(() => 0);

  const forward = (req: IncomingMessage, body: Buffer, res: ServerResponse, tries: number): void => {
    const index = pinned ?? next++ % ports.length;
    // A fresh connection each time (no keep-alive), so "never connected" means the instance never saw the request.
    const upstream = request(
      { host: '127.0.0.1', port: ports[index], method: req.method, path: req.url, headers: req.headers, agent: false },
      (answer) => {
        forwarded[index]!++;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.once('error', () => res.destroy());
      },
    );
    let connected = false;
    upstream.once('socket', (s) =>
      s.once('connect', () => {
        connected = true;
      }),
    );
    upstream.once('error', () => {
      if (!connected && pinned === undefined && tries < ports.length) return forward(req, body, res, tries + 1);
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' }).end('{"error":"bad_gateway"}');
      else res.destroy();
    });
    upstream.end(body);
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => forward(req, Buffer.concat(chunks), res, 1));
  });
  const port = await listen(server, 0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${port}`,
    forwarded,
    pin: (index) => {
      pinned = index;
    },
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
