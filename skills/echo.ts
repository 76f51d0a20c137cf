/**
 * echo — the Webhook Echo Bot from the Webex bots-with-webhooks lab, as a skill:
 * - `echo <text>` replies with the webhook JSON Webex sent (IDs only) and the values the bot
 *   fetched with those IDs: space title, sender, message text;
 * - a message that is Adaptive Card JSON is sent back as a card;
 * - a submission of a card no other skill owns (like that one) is echoed in the card's thread:
 *   the webhook JSON and the submitted inputs.
 */
import { codeBlock, command, defineSkill, escapeMarkdown, isCardProblem } from 'webex-skill-bot';

function webhookBlock(payload: unknown): string {
  return codeBlock(JSON.stringify(payload, null, 2), 'json');
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
      async handle({ event, space, person, text, reply }) {
        await reply.text(
          [
            `**Webhook received** (${event.payload['resource'] as string} / ${event.payload['event'] as string})`,
            webhookBlock(event.payload),
            '**Decoded by the bot** (fetched from the Webex API with the IDs above)',
            `- Space: ${escapeMarkdown(space.title)} (${space.type})`,
            `- Sender: ${escapeMarkdown(person.displayName)} (${escapeMarkdown(person.email)})`,
            `- Message: ${escapeMarkdown(text)}`,
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
