/**
 * Permissions and confirmation around a matched command:
 * - a person the command's (or its skill's) `roles`/`allow` refuse gets a clear answer, and the
 *   handler does not run — typed, or pressed on a card button;
 * - a command with `confirm` answers with a Yes/No card naming what it will do; the Yes of the
 *   same person, within the time, once, runs it with the text (so the arguments) first typed.
 */
import { confirmTagsOf } from '../cards/card-tags.js';
import { confirmationCard, parseConfirmTag } from '../conversation/confirmations.js';
import { escapeMarkdown } from '../skill-kit/markdown.js';
import type { CommandContext, Person, Reply, Space } from '../skill-kit/types.js';
import type { DispatchCore, DispatchOutcome, TextEvent } from './dispatch-core.js';
import type { EventScope } from './inbound.js';
import { sendCard, type ReplyTarget } from './reply.js';
import type { LoadedCommand } from './skill-loader.js';
import { guardsFor } from './guards.js';

/** True (after answering) when `command` must not run now: refused, or waiting for a Yes. */
export async function holdCommand(
  core: DispatchCore,
  command: LoadedCommand,
  event: TextEvent,
  context: CommandContext,
  scope: EventScope,
): Promise<boolean> {
  const guards = guardsFor(core.options.skills, command.skill, command);
  const { person, space } = event;
  if (!core.conversation.roles.allows({ person, space, roles: context.roles }, ...guards)) {
    scope.log.info('command refused: the person lacks the role or permission', { skill: command.skill });
    await context.reply.text(core.conversation.roles.refusal(`\`${command.info.usage}\``, ...guards));
    return true;
  }
  const confirm = command.command.confirm;
  if (event.confirmed || confirm === undefined) return false;
  const what = await confirm(context as never);
  if (what === undefined) return false;
  const { token, record } = await core.conversation.confirmations.create({
    skill: command.skill,
    usage: command.info.usage,
    text: event.text,
    personId: person.id,
    personName: person.displayName,
    spaceId: space.id,
    what,
    message: { id: event.message.id, parentId: event.message.parentId, created: event.message.created },
  });
  scope.log.info('asked to confirm', { skill: command.skill, usage: command.info.usage });
  await sendCard(
    event.target,
    scope.outbox,
    confirmationCard(token, record),
    `Are you sure? ${what} (answer Yes or No on the card)`,
    undefined,
    { outbox: scope.outbox, cards: core.options.cards, log: scope.log },
  );
  return true;
}

/** The answer (`<token>:yes|no`) pressed on a confirmation card, if the card as sent carries it. */
export function confirmAnswerOf(
  card: unknown,
  inputs: Readonly<Record<string, unknown>>,
  key: string,
): string | undefined {
  const tag = inputs[key];
  return typeof tag === 'string' && confirmTagsOf(card).includes(tag) ? tag : undefined;
}

/** Settles a Yes or No pressed by `person` on a confirmation card: runs the command once, or says why not. */
export async function answerConfirmation(
  core: DispatchCore,
  pressed: { readonly tag: string; readonly person: Person; readonly space: Space; readonly target: ReplyTarget },
  scope: EventScope,
  reply: Reply,
): Promise<DispatchOutcome> {
  const parsed = parseConfirmTag(pressed.tag);
  if (!parsed) return { kind: 'stale-card' };
  const answer = await core.conversation.confirmations.answer(parsed.token, parsed.yes, pressed.person.id);
  switch (answer.kind) {
    case 'gone':
      await reply.text('This was already answered, or it expired: nothing more was done.');
      return { kind: 'stale-card' };
    case 'expired':
      await reply.text('Too late: this confirmation expired, and nothing was done. Type the command again.');
      return { kind: 'stale-card' };
    case 'not-yours':
      scope.log.info('confirmation refused: pressed by someone else', { skill: answer.pending.skill });
      await reply.text(
        `Only ${escapeMarkdown(answer.pending.personName)}, who asked for it, can answer this. Nothing was done.`,
      );
      return { kind: 'handled', skill: answer.pending.skill };
    case 'declined':
      await reply.text(`OK, not done: ${escapeMarkdown(answer.pending.what)}`);
      return { kind: 'handled', skill: answer.pending.skill };
    case 'run': {
      const { pending } = answer;
      scope.log.info('confirmed: running the command', { skill: pending.skill, usage: pending.usage });
      return core.dispatchText(
        {
          text: pending.text,
          person: pressed.person,
          space: pressed.space,
          message: { ...pending.message, rawText: pending.text },
          target: pressed.target,
          resource: 'attachmentActions',
          confirmed: true,
        },
        scope,
      );
    }
  }
}
