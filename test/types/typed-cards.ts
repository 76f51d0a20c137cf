/**
 * Type tests of typed cards, compiled by `npm run typecheck` (tsconfig.cards.json: the skills
 * with this repository's generated cards/cards.d.ts) and never run. Each `@ts-expect-error`
 * line must be a type error: if one compiled, TypeScript would report the directive unused.
 */
import { defineSkill, form, markdown, type Reply } from 'webex-skill-bot';

declare const reply: Reply;

export async function cardsAreTyped(): Promise<void> {
  await reply.card('feedback', { name: 'Ada', topic: 'the release' });
  await reply.card('feedback', { name: markdown('**Ada**'), topic: 'the release' }, { fallbackText: 'Feedback' });
  await reply.card('help', {
    title: 'Help',
    note: '',
    skills: [{ name: 'echo', description: 'Echoes', commands: [{ usage: 'echo', help: 'Echo' }], buttons: [] }],
  });

  // @ts-expect-error: there is no cards/no-such-card.json
  await reply.card('no-such-card', { anything: 1 });
  // @ts-expect-error: the feedback card reads ${topic}: leaving it out is an error
  await reply.card('feedback', { name: 'Ada' });
  // @ts-expect-error: the feedback card needs its data
  await reply.card('feedback');
  // @ts-expect-error: the sample data gives text for ${name}, not a number
  await reply.card('feedback', { name: 42, topic: 'the release' });
  // @ts-expect-error: each skill of the help card has a description, its commands and its buttons
  await reply.card('help', { title: 'Help', note: '', skills: [{ name: 'echo' }] });
}

export const submitKeysAreChecked = defineSkill({
  name: 'typed-cards',
  description: 'Type tests',
  onSubmit: {
    feedback: form({ inputs: { rating: 'choice' }, handle: () => undefined }),
    '*': () => undefined,
    // @ts-expect-error: there is no card "nope" in cards/
    nope: () => undefined,
  },
});
