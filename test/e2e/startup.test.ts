/**
 * Start-up against the emulator, in-process: it waits for the webhooks and fails loudly when
 * they cannot be created; it refuses a bad token.
 */
import { expect } from 'chai';
import { type BotSettings, startBot } from '../../src/bot.js';
import { loadConfig } from '../../src/config.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { StartupError } from '../../src/errors.js';
import { silentLogger } from '../../src/logging.js';
import { projectRoot } from './support/processes.js';

function settings(emulator: Emulator, over: Partial<BotSettings> = {}): BotSettings {
  return {
    config: {
      ...loadConfig({ WEBHOOK_SECRET: 'startup-test-secret-0123456789', PORT: '0' }, projectRoot),
      apiUrl: emulator.apiUrl,
    },
    token: emulator.botToken,
    log: silentLogger,
    tuning: { stateStore: new MemoryStore() },
    ...over,
  };
}

async function startupError(promise: Promise<unknown>): Promise<StartupError> {
  try {
    await promise;
  } catch (err) {
    expect(err).to.be.instanceOf(StartupError);
    return err as StartupError;
  }
  expect.fail('start-up should have failed');
}

describe('start-up', () => {
  let emulator: Emulator;
  beforeEach(async () => {
    emulator = await startEmulator({});
  });
  afterEach(() => emulator.stop());

  it('is ready only once both webhooks exist', async () => {
    const bot = await startBot(settings(emulator));
    try {
      const hooks = emulator.webhooks().filter((h) => h.targetUrl === bot.webhookUrl);
      expect(hooks.map((h) => `${h.resource}/${h.event}`).sort()).to.deep.equal([
        'all/all',
        'attachmentActions/created',
      ]);
      expect((await fetch(`http://127.0.0.1:${bot.port}/healthz`)).status).to.equal(200);
    } finally {
      await bot.stop();
    }
  });

  it('fails loudly when the webhooks cannot be created, and frees its port', async () => {
    emulator.faults.add({ method: 'POST', path: '/v1/webhooks', status: 500, count: 10 });
    const err = await startupError(startBot(settings(emulator)));
    expect(err.code).to.equal('WEBHOOKS_FAILED');
    expect(err.message).to.match(/Could not register the webhooks for http:\/\/127\.0\.0\.1:\d+\/webhook: HTTP 500/);
  });

  it('refuses a token Webex rejects', async () => {
    const err = await startupError(
      startBot(settings(emulator, { token: 'bogus_PF84_00000000-0000-0000-0000-000000000000' })),
    );
    expect(err.code).to.equal('WEBEX_UNAUTHORIZED');
  });

  it('gives up after the start-up timeout when Webex hangs', async () => {
    emulator.faults.add({ method: 'GET', path: '/v1/people/me', hang: true, count: 1 });
    const err = await startupError(
      startBot(settings(emulator, { tuning: { startupTimeoutMs: 500, stateStore: new MemoryStore() } })),
    );
    expect(err.code).to.equal('STARTUP_TIMEOUT');
  });
});
