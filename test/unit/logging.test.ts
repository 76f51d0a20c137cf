import { expect } from 'chai';
import { Writable } from 'node:stream';
import { createLogger, type LoggerOptions } from '../../src/logging.js';

function capture(options: LoggerOptions = {}) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, log: createLogger({ stream, ...options }) };
}

describe('logging', () => {
  it('writes one JSON object per line in json format, with child context', () => {
    const { lines, log } = capture({ format: 'json' });
    log.child({ eventId: 'ev1' }).child({ skill: 'echo' }).info('handled', { ms: 3 });
    expect(lines).to.have.length(1);
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(entry).to.include({ level: 'info', message: 'handled', eventId: 'ev1', skill: 'echo', ms: 3 });
    expect(entry['timestamp']).to.be.a('string');
  });

  it('writes readable lines in pretty format', () => {
    const { lines, log } = capture({ format: 'pretty' });
    log.warn('webhook refused', { reason: 'bad signature' });
    expect(lines[0]).to.match(/^\S+ warn webhook refused {2}reason=bad signature\n?$/);
  });

  it('never logs credentials, at any level or depth', () => {
    const { lines, log } = capture({ format: 'json', level: 'debug' });
    log.debug('config', {
      token: 'T0KEN',
      nested: { webhookSecret: 'S3CRET', headers: { authorization: 'Bearer T0KEN', 'x-spark-signature': 'abc' } },
    });
    log.error('failed', { secret: 'S3CRET' });
    expect(lines.join('')).to.not.include('T0KEN').and.not.include('S3CRET').and.not.include('abc');
    expect(lines.join('')).to.include('[redacted]');
  });

  it('keeps message bodies and inputs out of info and above, but shows them at debug', () => {
    const { lines, log } = capture({ format: 'json', level: 'debug' });
    log.info('message', { text: 'private words', data: { inputs: { a: 'typed' }, markdown: 'md body' } });
    log.debug('message', { text: 'private words' });
    expect(lines[0]).to.not.include('private words').and.not.include('typed').and.not.include('md body');
    expect(lines[1]).to.include('private words');
  });

  it('serialises errors with name, message, code and stack', () => {
    const { lines, log } = capture({ format: 'json' });
    const err = Object.assign(new Error('went wrong'), { code: 'E_X' });
    log.error('failed', { err });
    const entry = JSON.parse(lines[0]!) as { err: Record<string, unknown> };
    expect(entry.err).to.include({ name: 'Error', message: 'went wrong', code: 'E_X' });
    expect(entry.err['stack']).to.match(/went wrong/);
  });

  it('respects the level', () => {
    const { lines, log } = capture({ format: 'json', level: 'warn' });
    log.info('hidden');
    log.debug('hidden');
    log.warn('shown');
    expect(lines).to.have.length(1);
  });
});
