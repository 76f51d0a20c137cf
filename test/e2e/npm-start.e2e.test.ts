/**
 * `npm start` as a newcomer runs it: no token → the built-in emulator, a banner saying where
 * it runs and how to talk to the bot; and start-up failures that end with a clear message and
 * exit code 1, not a stack trace.
 */
import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmulator } from '../../src/emulator/index.js';
import { ControlClient } from './support/control-client.js';
import { startNpm } from './support/processes.js';

describe('npm start', function () {
  this.timeout(60_000);

  it('with no token, runs against the built-in emulator and says how to talk to the bot', async () => {
    const app = startNpm('npm start', ['start'], { PORT: '0', EMULATOR_PORT: '0' });
    try {
      const [, emulatorUrl] = await app.waitFor(/Emulator:\s+(http:\/\/127\.0\.0\.1:\d+)/);
      const [, roomId, personId] = await app.waitFor(
        /_emulator\/rooms\/([^/]+)\/messages \\\n\s+-H 'content-type: application\/json' -d '\{"personId":"([^"]+)","text":"help"\}'/,
      );
      expect(app.output).to.match(/running against the built-in Webex emulator/);
      const control = new ControlClient(emulatorUrl!);
      const { bot } = await control.state();
      const reply = await control.ask(roomId!, personId!, bot.id, 'help');
      expect(reply.markdown).to.match(/^Here is what I can do/);
    } finally {
      expect(await app.stop()).to.equal(0);
    }
    expect(app.output).to.include('bot stopped');
  });

  it('refuses a bad configuration with the reason and exit code 1', async () => {
    const app = startNpm('npm start', ['start'], { PORT: 'eighty', WEBHOOK_URL: 'https://bot.example.com/webhook' });
    expect(await app.exitCode()).to.equal(1);
    expect(app.output).to.include('PORT must be an integer from 0 to 65535, got "eighty"');
    expect(app.output).to.include('WEBHOOK_SECRET is required when WEBHOOK_URL is set');
    expect(app.output).to.not.match(/\n\s+at .*\(.*:\d+:\d+\)/);
  });

  it('stops on a broken skill file, naming it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bad-skills-'));
    writeFileSync(
      path.join(dir, 'broken.ts'),
      "export default { name: 'broken', description: 'x', commands: [{ pattern: 'echo <text...> more', help: 'h', handle() {} }] };\n",
    );
    const app = startNpm('npm start', ['start'], { PORT: '0', EMULATOR_PORT: '0', SKILLS_DIR: dir });
    expect(await app.exitCode()).to.equal(1);
    expect(app.output).to.match(/Could not start the bot: .*broken\.ts: commands\[0\]: Invalid command pattern/);
    expect(app.output).to.not.match(/\n\s+at .*\(.*:\d+:\d+\)/);
  });

  it('fails loudly when Webex rejects the token', async () => {
    const emulator = await startEmulator({});
    try {
      const app = startNpm('npm start', ['start'], {
        WEBEX_BOT_TOKEN: 'wrong_PF84_00000000-0000-0000-0000-000000000000',
        WEBEX_API_URL: emulator.apiUrl,
        WEBHOOK_URL: 'http://127.0.0.1:9/webhook',
        WEBHOOK_SECRET: 'a-secret-that-is-long-enough',
        PORT: '0',
      });
      expect(await app.exitCode()).to.equal(1);
      expect(app.output).to.include(
        `Could not start the bot: Webex rejected WEBEX_BOT_TOKEN (HTTP 401) at ${emulator.apiUrl}`,
      );
    } finally {
      await emulator.stop();
    }
  });

  it('fails loudly when Webex cannot be reached', async () => {
    const app = startNpm('npm start', ['start'], {
      WEBEX_BOT_TOKEN: 'some_PF84_00000000-0000-0000-0000-000000000000',
      WEBEX_API_URL: 'http://127.0.0.1:9/v1',
      WEBHOOK_URL: 'http://127.0.0.1:9/webhook',
      WEBHOOK_SECRET: 'a-secret-that-is-long-enough',
      PORT: '0',
    });
    expect(await app.exitCode()).to.equal(1);
    expect(app.output).to.match(/Could not start the bot: Could not reach Webex at http:\/\/127\.0\.0\.1:9\/v1/);
  });
});
