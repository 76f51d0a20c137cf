/**
 * Server-Sent Events for `GET /_emulator/events`: each EmulatorEvent is sent with `event:` set
 * to its kind and the event as JSON in `data:`. `?kinds=message,delivery` narrows the stream.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorEvent } from '../types.js';

/** A comment line every so often keeps proxies and browsers from dropping an idle stream. */
const KEEPALIVE_MS = 15_000;

/** The open event streams of one emulator. */
export class SseHub {
  private readonly clients = new Map<ServerResponse, () => void>();
  private nextId = 1;

  constructor(private readonly subscribe: (listener: (e: EmulatorEvent) => void) => () => void) {}

  /** Serves one stream until the client goes away or {@link closeAll}. */
  handle(req: IncomingMessage, res: ServerResponse, kinds?: ReadonlySet<string>): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(': webex emulator events\n\n');
    const off = this.subscribe((e) => {
      if (kinds && !kinds.has(e.kind)) return;
      res.write(`id: ${this.nextId++}\nevent: ${e.kind}\ndata: ${JSON.stringify(e)}\n\n`);
    });
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
    const cleanup = (): void => {
      off();
      clearInterval(keepalive);
      this.clients.delete(res);
    };
    this.clients.set(res, cleanup);
    req.on('close', cleanup);
    res.on('close', cleanup);
  }

  /** Ends every stream (on stop). */
  closeAll(): void {
    for (const [res, cleanup] of [...this.clients]) {
      cleanup();
      res.end();
    }
  }
}
