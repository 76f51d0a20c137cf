/**
 * The fake's own time for an echo, as a reference for the bot's fire-to-reply latency: starts
 * the bare echo bot (`bare-echo-server.ts`, a process of its own like the bots) and registers
 * its webhook (`messages/created`, signed) with the emulator.
 */
import type { Emulator } from '../../src/emulator/index.js';
import { startNodeScript } from '../../test/e2e/support/processes.js';

/** A running bare echo. */
export interface BareEcho {
  /** Why answers failed, as it reported them. */
  failures(): string[];
  /** Removes its webhook and stops its process. */
  stop(): Promise<void>;
}

/** Starts the bare echo and registers its webhook with `emulator` (there should be no other). */
export async function startBareEcho(emulator: Emulator, secret: string): Promise<BareEcho> {
  const child = startNodeScript('bare echo', 'bench/support/bare-echo-server.ts', {
    BARE_API_URL: emulator.apiUrl,
    BARE_TOKEN: emulator.botToken,
    BARE_SECRET: secret,
    BARE_BOT_ID: emulator.bot.id,
  });
  let webhookId: string | undefined;
  const stop = async (): Promise<void> => {
    if (webhookId !== undefined) emulator.removeWebhook(webhookId);
    await child.stop(5000);
  };
  try {
    const port = (await child.waitFor(/bare echo listening on (\d+)/, 30_000))[1]!;
    const created = await fetch(`${emulator.apiUrl}/webhooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${emulator.botToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'bare echo',
        targetUrl: `http://127.0.0.1:${port}/webhook`,
        resource: 'messages',
        event: 'created',
        secret,
      }),
    });
    if (!created.ok) throw new Error(`could not register the bare echo's webhook: HTTP ${created.status}`);
    webhookId = ((await created.json()) as { id: string }).id;
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    failures: () => [...child.output.matchAll(/^bare echo failed: (.*)$/gm)].map((m) => m[1]!),
    stop,
  };
}
