/**
 * A small HTTP proxy for tests, as a corporate proxy behaves: `CONNECT host:port` opens a tunnel
 * (what HTTPS and websockets need), an absolute-form request (`GET http://host/path`) is
 * forwarded, and with `auth` every request must carry `Proxy-Authorization: Basic …` (407
 * otherwise). It records each connection it opened to a target, by the local port it came from,
 * so that a test can tell which connections a server saw came through it.
 */
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';

/** A running test proxy. */
export interface TestProxy {
  /** `http://[user:password@]127.0.0.1:port` */
  readonly url: string;
  /** Local ports of the connections the proxy opened to targets. */
  readonly upstreamPorts: Set<number>;
  /** Requests and tunnels refused for want of credentials. */
  readonly refused: number;
  /** Tunnels opened (`CONNECT`) and requests forwarded. */
  readonly tunnels: number;
  readonly forwarded: number;
  close(): Promise<void>;
}

/** Starts a proxy on 127.0.0.1 (a free port); with `auth`, it requires those credentials. */
export async function startTestProxy(auth?: { user: string; password: string }): Promise<TestProxy> {
  const upstreamPorts = new Set<number>();
  const counts = { refused: 0, tunnels: 0, forwarded: 0 };
  const expected = auth ? `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}` : undefined;
  const allowed = (req: http.IncomingMessage): boolean =>
    expected === undefined || req.headers['proxy-authorization'] === expected;
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket): void => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  };

  const server = http.createServer((req, res) => {
    if (!allowed(req)) {
      counts.refused++;
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"' }).end();
      return;
    }
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('absolute-form requests only');
      return;
    }
    counts.forwarded++;
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: req.method,
        headers,
        agent: false,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('socket', (s) => {
      track(s);
      s.on('connect', () => upstreamPorts.add(s.localPort!));
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connection', track);
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    if (!allowed(req)) {
      counts.refused++;
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n');
      return;
    }
    counts.tunnels++;
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host, () => {
      upstreamPorts.add(upstream.localPort!);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    track(upstream);
    const end = (): void => {
      upstream.destroy();
      client.destroy();
    };
    upstream.on('error', end);
    client.on('error', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const credentials = auth ? `${encodeURIComponent(auth.user)}:${encodeURIComponent(auth.password)}@` : '';
  return {
    url: `http://${credentials}127.0.0.1:${port}`,
    upstreamPorts,
    get refused() {
      return counts.refused;
    },
    get tunnels() {
      return counts.tunnels;
    },
    get forwarded() {
      return counts.forwarded;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
