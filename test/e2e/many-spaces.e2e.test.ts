/**
 * Start-up does not crawl spaces: the bot, started as a process as `npm start` runs it, against
 * an emulator holding 10,000 direct spaces becomes ready with the same Webex API calls as against
 * one holding 10, and then answers a message in the last space created (one it has never seen).
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { createDirectSpaces, type LoadSpace } from '../scale/support/load.js';
import { freePort, startNodeScript, type RunningProcess } from './support/processes.js';

const SECRET = 'many-spaces-webhook-secret-0123456789';

/** The SDK fetches its service catalog in the background: it may land before or after ready. */
const withoutCatalog = (calls: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(calls).filter(([route]) => !route.endsWith('/catalog')));

describe('start-up in 10,000 spaces (bot as a process)', function () {
  // Two bot processes started one after the other, and 10,000 spaces made: 20 s on a loaded 2-core machine.
  this.timeout(180_000);

  const emulators: Emulator[] = [];
  const bots: RunningProcess[] = [];
  const stateDirs: string[] = [];

  /** An emulator holding `count` direct spaces (each a person of its own and the bot). */
  async function emulatorWith(count: number): Promise<{ emulator: Emulator; spaces: LoadSpace[] }> {
    const emulator = await startEmulator({ seed: false });
    emulators.push(emulator);
    return { emulator, spaces: createDirectSpaces(emulator, count, `many${count}`) };
  }

  /** Starts the bot against `emulator` and resolves with the calls it made until it said it was ready. */
  async function startBotAgainst(emulator: Emulator): Promise<Record<string, number>> {
    emulator.resetCalls();
    const port = await freePort();
    const stateDir = mkdtempSync(path.join(tmpdir(), 'many-spaces-state-'));
    stateDirs.push(stateDir);
    const bot = startNodeScript('bot', 'src/main.ts', {
      WEBEX_BOT_TOKEN: emulator.botToken,
      WEBEX_API_URL: emulator.apiUrl,
      WEBHOOK_URL: `http://127.0.0.1:${port}/webhook`,
      WEBHOOK_SECRET: SECRET,
      PORT: String(port),
      STATE_DIR: stateDir,
      LOG_LEVEL: 'info',
    });
    bots.push(bot);
    await bot.waitFor(/bot ready/, 80_000);
    return emulator.calls();
  }

  after(async () => {
    for (const bot of bots) await bot.stop();
    for (const emulator of emulators) await emulator.stop();
    for (const dir of stateDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('is ready with the same calls as in 10 spaces, and answers a message in the last space', async () => {
    const few = await emulatorWith(10);
    const many = await emulatorWith(10_000);
    const callsWithFew = await startBotAgainst(few.emulator);
    const callsWithMany = await startBotAgainst(many.emulator);

    expect(withoutCatalog(callsWithMany), 'calls until ready in 10,000 spaces vs in 10').to.deep.equal(
      withoutCatalog(callsWithFew),
    );
    expect(Object.values(callsWithMany).reduce((a, b) => a + b, 0)).to.be.below(20);

    const last = many.spaces.at(-1)!;
    const answer = many.emulator.waitForMessage({
      roomId: last.room.id,
      personId: many.emulator.bot.id,
      timeoutMs: 15_000,
    });
    await many.emulator.say({ personId: last.person.id, roomId: last.room.id, text: 'echo hello from the last space' });
    expect((await answer).markdown).to.contain('hello from the last space');
  });
});
