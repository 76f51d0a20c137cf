/**
 * feedback — a card form: `feedback <topic>` sends the `feedback` card (cards/feedback.json)
 * filled in with the sender's name and the topic; its submission comes back here.
 * A small, complete example of a skill that owns a card: the card declares its rules (a rating
 * is required, a comment has at most 500 characters), the bot enforces them before the handler
 * runs, and the handler gets typed inputs.
 */
import { command, defineSkill, escapeMarkdown, form } from 'webex-skill-bot';

const RATINGS: Readonly<Record<string, string>> = { great: '😀 great', ok: '🙂 OK', bad: '🙁 not good' };

export default defineSkill({
  name: 'feedback',
  description: 'Collects feedback with a card',
  commands: [
    command({
      pattern: 'feedback <topic...>',
      help: 'Send a feedback form about a topic',
      examples: ['feedback the new release'],
      async handle({ args, person, reply }) {
        await reply.card(
          'feedback',
          { name: person.displayName, topic: args.topic },
          { fallbackText: `Feedback form: ${args.topic}` },
        );
      },
    }),
  ],
  onSubmit: {
    feedback: form({
      inputs: { rating: 'choice', comment: 'text?' },
      async handle({ inputs, person, reply, log }) {
        log.info('feedback received', { rating: inputs.rating });
        const comment = inputs.comment?.trim();
        await reply.text(
          `Thanks ${escapeMarkdown(person.displayName)}, you rated it ${RATINGS[inputs.rating] ?? inputs.rating}.${comment ? `\n\n> ${escapeMarkdown(comment).replace(/\n/g, '\n> ')}` : ''}`,
        );
      },
    }),
  },
});
