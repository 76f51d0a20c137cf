/**
 * The doctor with no token: a bot started here against the built-in emulator, as `npm start`
 * would run it (on free ports, so a running `npm start` is not disturbed), to be checked like
 * a deployment. It shows what a healthy set-up looks like, and that the checks work.
 */
import { randomBytes } from 'node:crypto';
import { startBot, type RunningBot } from '../bot.js';
import type { Config } from '../config.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import type { Logger } from '../logging.js';
import { MemoryStore } from '../store/memory-store.js';
import type { DoctorTarget } from './run.js';

/** A bot and its emulator, started for one doctor run. */
export interface EmulatedDeployment {
  readonly target: DoctorTarget;
  readonly emulator: Emulator;
  readonly bot: RunningBot;
  stop(): Promise<void>;
}

/** Starts the emulator and a bot wired to it. */
export async function startEmulatedDeployment(config: Config, log: Logger): Promise<EmulatedDeployment> {
  // The emulator is local and must never go through a proxy (the SDK's client honours HTTP_PROXY).
  process.env['NO_PROXY'] = [process.env['NO_PROXY'], '127.0.0.1', 'localhost'].filter(Boolean).join(',');
  const emulator = await startEmulator({ port: 0, logger: log });
  const webhookSecret = randomBytes(20).toString('hex');
  let bot: RunningBot;
  try {
    bot = await startBot({
      // As `npm start` would run it, on a free port, with webhooks to its own local address.
      config: {
        ...config,
        transport: 'webhook',
        apiUrl: emulator.apiUrl,
        webhookUrl: undefined,
        webhookSecret,
        port: 0,
        host: '127.0.0.1',
        metrics: undefined,
        redisUrl: undefined,
      },
      token: emulator.botToken,
      log,
      tuning: { stateStore: new MemoryStore() },
    });
  } catch (err) {
    await emulator.stop();
    throw err;
  }
  return {
    target: {
      mode: 'emulator',
      token: emulator.botToken,
      apiUrl: emulator.apiUrl,
      webhookUrl: bot.webhookUrl!,
      webhookSecret,
    },
    emulator,
    bot,
    async stop() {
      await bot.stop(2000);
      await emulator.stop();
    },
  };
}
