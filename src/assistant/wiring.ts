/**
 * What joins the assistant to the bot: who may run what (the role policy, as `help` and typed
 * commands use it), the poster its answers stream into (the reply's own messages, with their
 * edit and delete handles), and a reply whose form is sent pre-filled (a tool call that opens a
 * form).
 *
 * @example
 * const mayRun = policyMayRun(roles, skills);
 * await assistant.answer({ text, person, space, poster: replyPoster(reply), runCommand });
 */
import type { CardRegistry } from '../cards/card-registry.js';
import { type FormPrefill, prefillInputs } from '../cards/prefill.js';
import type { Logger } from '../logging.js';
import type { RolePolicy } from '../policy/roles.js';
import type { LoadedCommand, LoadedSkill } from '../routing/skill-loader.js';
import type { CardReplyOptions, Reply, SentMessage } from '../skill-kit/types.js';
import type { MayRun, Refusal } from './abilities.js';
import type { MessagePoster } from './stream-writer.js';

/**
 * Whether a person may run a command, by the role policy: the skill's and the command's `roles`
 * and `allow`, as `help` lists and as a typed command is checked.
 */
export function policyMayRun(roles: RolePolicy, skills: readonly LoadedSkill[]): MayRun {
  return (command, { person, space }) =>
    roles.allows({ person, space, roles: roles.rolesOf(person) }, ...guardsOf(command, skills));
}

/** The role policy's refusal of `command`, word for word what a person typing it is told. */
export function policyRefusal(roles: RolePolicy, skills: readonly LoadedSkill[]): Refusal {
  return (command) => roles.refusal(`\`${command.info.usage}\``, ...guardsOf(command, skills));
}

/** The skill's guard, then the command's. */
function guardsOf(command: LoadedCommand, skills: readonly LoadedSkill[]) {
  const skill = skills.find((s) => s.info.name === command.skill)?.skill;
  return [
    { roles: skill?.roles, allow: skill?.allow },
    { roles: command.command.roles, allow: command.command.allow },
  ] as const;
}

/**
 * The assistant's messages as replies: each posted with `reply.text` (in the reply's thread,
 * through the outbox: in the space's order, within its reply rate), edited and deleted through
 * the handle it resolves with.
 */
export function replyPoster(reply: Reply): MessagePoster {
  return { post: (markdown) => reply.text(markdown) };
}

/** Sends a card exactly as given (the card was rendered and checked by the registry). */
export type SendCard = (
  card: Readonly<Record<string, unknown>>,
  fallback: string,
  options: CardReplyOptions | undefined,
) => Promise<SentMessage>;

/**
 * `reply`, except that the first `reply.card(prefill.cardId, …)` sends the form with the values
 * of `prefill` in its inputs (those that fit them: `prefillInputs`). Nothing is submitted.
 */
export function prefilledReply(
  reply: Reply,
  prefill: FormPrefill,
  cards: CardRegistry,
  send: SendCard,
  log: Logger,
): Reply {
  let used = false;
  const card = async (cardId: string, data?: Readonly<Record<string, unknown>>, options?: CardReplyOptions) => {
    if (used || cardId !== prefill.cardId)
      return (reply.card as (id: string, ...rest: unknown[]) => Promise<SentMessage>)(cardId, data, options);
    used = true;
    const rendered = cards.render(cardId, data ?? {});
    const { card: filledIn, filled, refused } = prefillInputs(rendered.card, prefill.values);
    log.info('form opened pre-filled for the assistant', {
      card: cardId,
      filled,
      ...(refused.length > 0 ? { refused: refused.map((r) => r.id) } : {}),
    });
    return send(filledIn, rendered.fallbackText, options);
  };
  return { ...reply, card: card as Reply['card'] };
}
