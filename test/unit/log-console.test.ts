import { expect } from 'chai';
import { Writable } from 'node:stream';
import { routeConsoleToLog, scrubSecrets } from '../../src/log-console.js';
import { createLogger } from '../../src/logging.js';

describe('console output of the framework and the SDK', () => {
  it('goes through winston as JSON lines, at warn for errors, scrubbed of the token and secrets', () => {
    const lines: Array<Record<string, unknown>> = [];
    const stream = new Writable({
      write(chunk, _enc, cb) {
        lines.push(JSON.parse(String(chunk)));
        cb();
      },
    });
    const log = createLogger({ format: 'json', stream, level: 'debug' });
    const restore = routeConsoleToLog(log, ['the-bot-token-value', 'the-webhook-secret']);
    try {
      console.error('Failed spawning a bot in roomId: %s.  Error: %s', 'room-1', 'boom');
      console.log('calling with the-bot-token-value and Authorization: Bearer abc.def-123');
      console.debug('details', { secret: 'the-webhook-secret' });
    } finally {
      restore();
    }
    expect(lines.map((l) => [l['level'], l['source']])).to.deep.equal([
      ['warn', 'console'],
      ['info', 'console'],
      ['debug', 'console'],
    ]);
    expect(lines[0]!['message']).to.equal('Failed spawning a bot in roomId: room-1.  Error: boom');
    expect(lines[1]!['message']).to.equal('calling with [redacted] and Authorization: Bearer [redacted]');
    expect(JSON.stringify(lines[2])).not.to.include('the-webhook-secret');
  });

  it('restores console afterwards', () => {
    const original = console.log;
    routeConsoleToLog(createLogger({ silent: true }), [])();
    expect(console.log).to.equal(original);
  });

  it('scrubs bearer tokens whatever their case and quoting', () => {
    expect(scrubSecrets('"authorization":"bearer x_y_z"', [])).to.equal('"authorization":"bearer [redacted]"');
  });
});
