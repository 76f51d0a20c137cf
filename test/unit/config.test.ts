import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, readEnvironment } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';

const SECRET = 'a-long-enough-secret-0123';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  expect.fail('expected a ConfigError');
}

describe('config', () => {
  it('defaults to emulator mode with no token', () => {
    const c = loadConfig({});
    expect(c.mode).to.equal('emulator');
    expect(c.botToken).to.equal(undefined);
    expect(c.apiUrl).to.equal('https://webexapis.com/v1');
    expect(c.port).to.equal(3000);
    expect(c.emulatorPort).to.equal(4000);
    expect(c.logLevel).to.equal('info');
    expect(c.host).to.equal('127.0.0.1');
    expect(Object.isFrozen(c)).to.equal(true);
    expect(c.skillsDir).to.equal(path.resolve('skills'));
    expect(c.cardsDir).to.equal(path.resolve('cards'));
    expect(c.stateDir).to.equal(path.resolve('data'));
  });

  it('reads a full real-Webex configuration', () => {
    const c = loadConfig({
      WEBEX_BOT_TOKEN: 'abc_def_123',
      WEBEX_API_URL: 'http://127.0.0.1:4000/v1/',
      WEBHOOK_URL: 'https://bot.example.com/hooks/webex',
      WEBHOOK_SECRET: SECRET,
      PORT: '8080',
      LOG_LEVEL: 'DEBUG',
      NODE_ENV: 'production',
    });
    expect(c).to.include({
      mode: 'webex',
      botToken: 'abc_def_123',
      apiUrl: 'http://127.0.0.1:4000/v1',
      webhookUrl: 'https://bot.example.com/hooks/webex',
      webhookSecret: SECRET,
      port: 8080,
      host: '0.0.0.0',
      logLevel: 'debug',
      logFormat: 'json',
    });
  });

  it('refuses WEBHOOK_URL without WEBHOOK_SECRET', () => {
    const problems = problemsOf({ WEBHOOK_URL: 'https://bot.example.com/webhook' });
    expect(problems.join('\n')).to.match(/WEBHOOK_SECRET is required when WEBHOOK_URL is set/);
  });

  it('refuses a short secret', () => {
    const problems = problemsOf({ WEBHOOK_URL: 'https://bot.example.com/webhook', WEBHOOK_SECRET: 'short' });
    expect(problems.join('\n')).to.match(/at least 16 characters/);
  });

  it('with a token and no WEBHOOK_URL, takes events over the event socket and serves HTTP on 127.0.0.1 only', () => {
    expect(loadConfig({ WEBEX_BOT_TOKEN: 'x_y_z' })).to.include({
      mode: 'webex',
      transport: 'websocket',
      host: '127.0.0.1',
      webhookUrl: undefined,
    });
    expect(loadConfig({ WEBEX_BOT_TOKEN: 'x_y_z', HOST: '0.0.0.0' }).host).to.equal('0.0.0.0');
    expect(
      loadConfig({ WEBEX_BOT_TOKEN: 'x_y_z', WEBHOOK_URL: 'https://bot.example.com/webhook', WEBHOOK_SECRET: SECRET })
        .transport,
    ).to.equal('webhook');
    expect(loadConfig({}).transport).to.equal('webhook');
  });

  it('lets WEBEX_TRANSPORT choose: webhook needs WEBHOOK_URL, websocket needs none (and no secret), anything else is refused', () => {
    expect(problemsOf({ WEBEX_BOT_TOKEN: 'x_y_z', WEBEX_TRANSPORT: 'webhook' }).join('\n')).to.match(
      /WEBHOOK_URL is required with WEBEX_TRANSPORT=webhook/,
    );
    expect(
      loadConfig({
        WEBEX_BOT_TOKEN: 'x_y_z',
        WEBEX_TRANSPORT: 'WebSocket',
        WEBHOOK_URL: 'https://bot.example.com/webhook',
      }),
    ).to.include({ transport: 'websocket', host: '127.0.0.1' });
    expect(loadConfig({ WEBEX_TRANSPORT: 'websocket' })).to.include({ mode: 'emulator', transport: 'websocket' });
    expect(problemsOf({ WEBEX_TRANSPORT: 'carrier-pigeon' })).to.deep.equal([
      'WEBEX_TRANSPORT must be webhook or websocket, got "carrier-pigeon"',
    ]);
  });

  it('reports every bad value at once, naming each variable', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
      WEBEX_API_URL: 'ftp://x',
      WEBHOOK_URL: 'not a url',
      WEBHOOK_SECRET: SECRET,
      EMULATOR_PORT: '70000',
    });
    expect(problems).to.have.length(5);
    expect(problems.join('\n'))
      .to.include('PORT')
      .and.include('LOG_LEVEL')
      .and.include('WEBEX_API_URL')
      .and.include('WEBHOOK_URL')
      .and.include('EMULATOR_PORT');
  });

  it('rejects a token with whitespace', () => {
    expect(
      problemsOf({
        WEBEX_BOT_TOKEN: 'abc def',
        WEBHOOK_URL: 'https://x.example/webhook',
        WEBHOOK_SECRET: SECRET,
      }).join(),
    ).to.match(/whitespace/);
  });

  it('resolves SKILLS_DIR, CARDS_DIR and STATE_DIR against the project root', () => {
    const c = loadConfig({ SKILLS_DIR: 'my-skills', CARDS_DIR: '/abs/cards', STATE_DIR: 'var/state' }, '/srv/bot');
    expect(c.stateDir).to.equal('/srv/bot/var/state');
    expect(c.skillsDir).to.equal('/srv/bot/my-skills');
    expect(c.cardsDir).to.equal('/abs/cards');
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ WEBEX_BOT_TOKEN: '  ', PORT: '' }).mode).to.equal('emulator');
  });

  it('reads a .env file under the real environment', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cfg-'));
    const file = path.join(dir, '.env');
    writeFileSync(file, 'PORT=3100\nLOG_LEVEL=debug\n# comment\nWEBHOOK_SECRET="quoted value here!!"\n');
    const env = readEnvironment(file, { LOG_LEVEL: 'warn' });
    expect(env['PORT']).to.equal('3100');
    expect(env['LOG_LEVEL']).to.equal('warn');
    expect(env['WEBHOOK_SECRET']).to.equal('quoted value here!!');
    expect(readEnvironment(path.join(dir, 'missing.env'), { A: '1' })).to.deep.equal({ A: '1' });
  });

  it('reads the reliability and security settings, with their defaults', () => {
    const d = loadConfig({});
    expect(d).to.deep.include({
      webhookSecretPrevious: undefined,
      respondToBots: false,
      replyRatePerMinute: 30,
      shutdownTimeoutMs: 10_000,
      webhookCheckIntervalMs: 300_000,
    });
    expect(d.access).to.deep.equal({ domains: [], emails: [] });
    const c = loadConfig({
      WEBHOOK_URL: 'https://bot.example.com/webhook',
      WEBHOOK_SECRET: SECRET,
      WEBHOOK_SECRET_PREVIOUS: 'the-previous-secret-0123',
      ALLOWED_DOMAINS: 'Example.com, @corp.example.org ,',
      ALLOWED_EMAILS: 'Guest@Partner.example',
      RESPOND_TO_BOTS: 'true',
      REPLY_RATE_LIMIT: '5',
      SHUTDOWN_TIMEOUT: '2.5',
      WEBHOOK_CHECK_INTERVAL: '60',
    });
    expect(c).to.deep.include({
      webhookSecretPrevious: 'the-previous-secret-0123',
      respondToBots: true,
      replyRatePerMinute: 5,
      shutdownTimeoutMs: 2500,
      webhookCheckIntervalMs: 60_000,
    });
    expect(c.access).to.deep.equal({ domains: ['example.com', 'corp.example.org'], emails: ['guest@partner.example'] });
  });

  it('refuses bad reliability and security settings, each with its reason', () => {
    const problems = problemsOf({
      WEBHOOK_SECRET_PREVIOUS: 'whatever-long-enough-0123',
      ALLOWED_DOMAINS: 'not a domain',
      ALLOWED_EMAILS: 'nobody',
      RESPOND_TO_BOTS: 'maybe',
      REPLY_RATE_LIMIT: '0',
      SHUTDOWN_TIMEOUT: 'soon',
    }).join('\n');
    expect(problems)
      .to.include('WEBHOOK_SECRET_PREVIOUS is only used with WEBHOOK_SECRET')
      .and.include('ALLOWED_DOMAINS: "not a domain"')
      .and.include('ALLOWED_EMAILS: "nobody"')
      .and.include('RESPOND_TO_BOTS must be true or false')
      .and.include('REPLY_RATE_LIMIT must be a positive number')
      .and.include('SHUTDOWN_TIMEOUT must be a positive number');
    expect(
      problemsOf({
        WEBHOOK_URL: 'https://x.example/w',
        WEBHOOK_SECRET: SECRET,
        WEBHOOK_SECRET_PREVIOUS: SECRET,
      }).join(),
    ).to.include('must differ');
  });

  it('reads REDIS_URL and REDIS_LEASE_TIMEOUT (several instances), unset by default', () => {
    expect(loadConfig({})).to.include({ redisUrl: undefined, redisLeaseMs: 10_000 });
    expect(loadConfig({ REDIS_URL: 'redis://:pw@redis.internal:6379/2', REDIS_LEASE_TIMEOUT: '4' })).to.include({
      redisUrl: 'redis://:pw@redis.internal:6379/2',
      redisLeaseMs: 4000,
    });
    expect(loadConfig({ REDIS_URL: 'rediss://redis.example.com:6380' }).redisUrl).to.equal(
      'rediss://redis.example.com:6380',
    );
  });

  it('refuses a REDIS_URL that is not a redis:// URL, and a bad lease timeout', () => {
    const problems = problemsOf({ REDIS_URL: 'http://127.0.0.1:6379', REDIS_LEASE_TIMEOUT: '0' }).join('\n');
    expect(problems)
      .to.include('REDIS_URL must be a redis:// or rediss:// URL')
      .and.include('REDIS_LEASE_TIMEOUT must be a positive number of seconds');
    expect(problemsOf({ REDIS_URL: 'not a url' }).join()).to.include('REDIS_URL must be a redis://');
  });
});
