/**
 * echo — the Webhook Echo Bot from the Webex bots-with-webhooks lab, as a skill:
 * - `echo <text>` replies with the webhook JSON Webex sent (IDs only) and the values the bot
 *   fetched with those IDs: space title, sender, message text;
 * - a message that is Adaptive Card JSON is sent back as a card;
 * - a submission of a card no other skill owns (like that one) is echoed in the card's thread:
 *   the webhook JSON and the submitted inputs;
 * - a file sent to the bot (alone, or with `echo <text>`) is described: its name, type and size
 *   as Webex gives them, and the SHA-256 of its bytes, read as a stream (a file over
 *   `MAX_FILE_SIZE` is refused with a reply saying the limit).
 */
import { createHash } from 'node:crypto';
import { codeBlock, command, defineSkill, escapeMarkdown, type IncomingFile, isCardProblem } from 'webex-skill-bot';

function webhookBlock(payload: unknown): string {
  return codeBlock(JSON.stringify(payload, null, 2), 'json');
}

/** A size for people: bytes, KB or MB. */
function sizeText(bytes: number | undefined): string {
  if (bytes === undefined) return 'size unknown';
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** One line about a file: name, type, size (from Webex), and the SHA-256 of its bytes (downloaded). */
async function describeFile(file: IncomingFile): Promise<string> {
  const { name, type, size } = await file.info();
  const hash = createHash('sha256');
  for await (const chunk of await file.download()) hash.update(chunk as Buffer);
  return `- File: ${escapeMarkdown(name)} (${escapeMarkdown(type)}, ${sizeText(size)}), SHA-256 \`${hash.digest('hex')}\``;
}

async function describeFiles(files: readonly IncomingFile[]): Promise<string[]> {
  const lines: string[] = [];
  for (const f of files) lines.push(await describeFile(f));
  return lines;
}

function quoted(value: unknown): string {
  return escapeMarkdown(typeof value === 'string' ? value : JSON.stringify(value));
}

export default defineSkill({
  name: 'echo',
  description: 'Shows what Webex sends a bot: webhooks, messages and cards (the Webhook Echo Bot)',
  commands: [
    command({
      pattern: 'echo <text...>',
      help: 'Reply with the webhook Webex sent for this message and the values decoded from it',
      examples: ['echo hello'],
      async handle({ event, space, person, text, files, reply }) {
        await reply.text(
          [
            `**Webhook received** (${event.payload['resource'] as string} / ${event.payload['event'] as string})`,
            webhookBlock(event.payload),
            '**Decoded by the bot** (fetched from the Webex API with the IDs above)',
            `- Space: ${escapeMarkdown(space.title)} (${space.type})`,
            `- Sender: ${escapeMarkdown(person.displayName)} (${escapeMarkdown(person.email)})`,
            `- Message: ${escapeMarkdown(text)}`,
            ...(await describeFiles(files)),
          ].join('\n\n'),
        );
      },
    }),
    command({
      pattern: /^\s*\{[\s\S]*\}\s*$/,
      usage: '<Adaptive Card JSON>',
      help: 'Paste the JSON of an Adaptive Card (e.g. from the Webex Card Designer) and I send it back as a card',
      examples: ['{"type": "AdaptiveCard", "version": "1.3", "body": [{"type": "TextBlock", "text": "Hi"}]}'],
      async handle({ text, reply }) {
        let card: unknown;
        try {
          card = JSON.parse(text);
        } catch (err) {
          await reply.text(`That looks like JSON, but it does not parse: ${escapeMarkdown((err as Error).message)}`);
          return;
        }
        if (typeof card !== 'object' || card === null || (card as Record<string, unknown>)['type'] !== 'AdaptiveCard') {
          await reply.text(
            'That JSON is not an Adaptive Card: a card needs `"type": "AdaptiveCard"` and a `"version"` (Webex renders up to 1.3).',
          );
          return;
        }
        try {
          await reply.cardJson(card as Record<string, unknown>, {
            fallbackText: 'Your Adaptive Card (open this message in Webex to see it)',
          });
        } catch (err) {
          if (!isCardProblem(err)) throw err;
          await reply.text(
            `I can't send that card back:\n${err.problems.map((p) => `- ${escapeMarkdown(p)}`).join('\n')}`,
          );
        }
      },
    }),
  ],
  // Files sent without a command: what Webex says of each, and what is in it.
  async onFiles({ event, person, files, reply }) {
    await reply.text(
      [
        `**File received** (${event.payload['resource'] as string} / ${event.payload['event'] as string})`,
        webhookBlock(event.payload),
        `**Decoded by the bot** (Webex's HEAD on the file's URL, then its bytes), sent by ${escapeMarkdown(person.displayName)}`,
        ...(await describeFiles(files)),
      ].join('\n\n'),
    );
  },
  onSubmit: {
    // Cards no other skill owns: the ones users paste.
    '*': async ({ event, inputs, person, space, reply }) => {
      const lines = Object.entries(inputs)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `- ${escapeMarkdown(k)}: ${quoted(v)}`);
      await reply.text(
        [
          `**Card submitted** (${event.payload['resource'] as string} / ${event.payload['event'] as string})`,
          webhookBlock(event.payload),
          '**Decoded by the bot** (the attachment action fetched with the ID above)',
          `- Space: ${escapeMarkdown(space.title)} (${space.type})`,
          `- Submitted by: ${escapeMarkdown(person.displayName)} (${escapeMarkdown(person.email)})`,
          `- Inputs:${lines.length > 0 ? `\n${lines.join('\n')}` : ' none'}`,
        ].join('\n\n'),
      );
    },
  },
});
