/**
 * Waiting for a test bot to be done with everything sent to it, so that a test can count the
 * answers (exactly one, none twice) without guessing how long to wait: every webhook delivery
 * has ended (delivered, failed or cancelled) and the bot has no event in flight, twice in a row.
 */
import type { Message } from '../../../src/emulator/index.js';
import { signBody } from '../../../src/protocol/signature.js';
import { TEST_WEBHOOK_SECRET, type TestBot } from '../../../src/testing/test-bot.js';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves once deliveries and handling are over (rejects after `timeoutMs`). */
export async function settled(t: TestBot, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quietRounds = 0;
  while (quietRounds < 2) {
    if (Date.now() > deadline)
      throw new Error(`not settled within ${timeoutMs} ms: ${t.bot.pipeline.inFlight} events in flight`);
    const busy = t.emulator.deliveries().some((d) => d.state === 'pending') || t.bot.pipeline.inFlight > 0;
    quietRounds = busy ? 0 : quietRounds + 1;
    await pause(25);
  }
}

/** The bot's messages in a space, oldest first (optionally only those after `after`). */
export function botMessages(t: TestBot, roomId: string, after?: Message): Message[] {
  const all = t.emulator.transcript(roomId).filter((m) => m.personId === t.emulator.bot.id);
  return after ? all.filter((m) => m.created >= after.created && m.id !== after.id) : all;
}

/** POSTs `body` to the bot's webhook URL, signed with `secret` (the test bot's by default) unless a signature is given. */
export function postToBot(
  t: TestBot,
  body: string | Buffer,
  options: { secret?: string; signature?: string | null; headers?: Record<string, string> } = {},
): Promise<Response> {
  const signature =
    options.signature === null
      ? undefined
      : (options.signature ?? signBody(options.secret ?? TEST_WEBHOOK_SECRET, body));
  if (!t.bot.webhookUrl) throw new Error('postToBot: the bot has no webhook URL (websocket mode)');
  return fetch(t.bot.webhookUrl, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      ...(signature ? { 'x-spark-signature': signature } : {}),
      ...options.headers,
    },
  });
}

/** The delivery the emulator made of the event about `dataId` to the bot's messages or cards webhook, once it has ended (rejects after `timeoutMs`). */
export async function deliveryOf(
  t: TestBot,
  dataId: string,
  timeoutMs = 20_000,
): Promise<{ body: string; signature: string }> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() <= deadline) {
    const d = t.emulator
      .deliveries()
      .find((x) => x.dataId === dataId && x.targetUrl === t.bot.webhookUrl && x.signature);
    if (d && d.state !== 'pending') return { body: d.body, signature: d.signature! };
    await pause(25);
  }
  throw new Error(`no ended delivery of ${dataId} within ${timeoutMs} ms`);
}
