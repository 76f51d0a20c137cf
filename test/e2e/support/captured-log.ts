/** A JSON logger whose lines a test can read. */
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../../src/logging.js';

/** One captured log line. */
export type LogLine = Record<string, unknown> & { level: string; message: string };

export function capturedLog(level: 'debug' | 'info' = 'info'): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(JSON.parse(String(chunk)) as LogLine);
      cb();
    },
  });
  return { log: createLogger({ format: 'json', stream, level }), lines };
}
