/**
 * feedback — a card form: `feedback <topic>` sends the `feedback` card (cards/feedback.json)
 * filled in with the sender's name and the topic; its submission comes back here.
 * A small, complete example of a skill that owns a card.
 */
import { command, defineSkill, escapeMarkdown } from '../src/skill-kit/index.js';

const RATINGS: Record<string, string> = { great: '😀 great', ok: '🙂 OK', bad: '🙁 not good' };

export default defineSkill({
  name: 'feedback',
  description: 'Collects feedback with a card',
  commands: [
    command({
      pattern: 'feedback <topic...>',
      help: 'Send a feedback form about a topic',
      examples: ['feedback the new release'],
      async handle({ args, person, reply }) {
        await reply.card('feedback', { name: person.displayName, topic: args.topic }, { fallbackText: `Feedback form: ${args.topic}` });
      },
    }),
  ],
  onSubmit: {
    feedback: async ({ inputs, person, reply, log }) => {
      const rating = typeof inputs['rating'] === 'string' ? inputs['rating'] : '';
      if (!(rating in RATINGS)) {
        await reply.text('Please pick a rating before sending the form.');
        return;
      }
      const comment = typeof inputs['comment'] === 'string' ? inputs['comment'].trim() : '';
      log.info('feedback received', { rating });
      await reply.text(`Thanks ${escapeMarkdown(person.displayName)}, you rated it ${RATINGS[rating]}.${comment ? `\n\n> ${escapeMarkdown(comment).replace(/\n/g, '\n> ')}` : ''}`);
    },
  },
});
