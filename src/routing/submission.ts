/**
 * A card submission, from the card the bot sent to one handler run:
 * 1. a command button (`_command` on one of the card's own buttons) runs its command, as if the
 *    person who pressed it had typed it;
 * 2. the owner is the skill whose `onSubmit` names the card's template (read from the card as
 *    sent, never from the inputs); a ready-made card goes to `onSubmit['*']`; a card of a
 *    template that no longer exists is answered as out of date;
 * 3. the inputs are validated against the card's own rules: a failure sends the card again with
 *    the errors next to the fields (or, when that cannot be, a reply listing them), and the
 *    handler does not run;
 * 4. a form handler whose declared inputs no longer match the card as sent is not run either
 *    (the card is from an older version of the bot);
 * 5. the handler gets typed inputs, the button's data, and its state.
 */
import { COMMAND_INPUT, commandsOf, FORM_ID_INPUT, tagOf, templateIdOf } from '../cards/card-tags.js';
import { inputsOf } from '../cards/card-inputs.js';
import { cardWithErrors } from '../cards/card-with-errors.js';
import { validateSubmission, type FieldError } from '../cards/validate-inputs.js';
import { escapeMarkdown } from '../skill-kit/markdown.js';
import { createSkillState } from '../skill-kit/state.js';
import type { SentMessage, SubmitContext } from '../skill-kit/types.js';
import type { DispatchCore, DispatchOutcome } from './dispatch-core.js';
import { formProblems } from './form-spec.js';
import type { EventScope, InboundSubmission } from './inbound.js';
import { createReply, sendCard, type ReplyTarget } from './reply.js';

/** The errors as a text reply, for when the card cannot be sent again: one line per field. */
export function errorsAsText(errors: readonly FieldError[]): string {
  return [
    'Please fix these fields and send the form again:',
    ...errors.map((e) => `- **${escapeMarkdown(e.label)}**: ${escapeMarkdown(e.message)}`),
  ].join('\n');
}

/** What was submitted for each input of the card, as text (to show it again). */
function typedText(card: unknown, submitted: Readonly<Record<string, unknown>>): Record<string, string> {
  const typed: Record<string, string> = {};
  for (const input of inputsOf(card)) {
    const v = submitted[input.id];
    if (typeof v === 'string' && Object.hasOwn(submitted, input.id)) typed[input.id] = v;
  }
  return typed;
}

const STALE =
  'This card is from an older version of me and can no longer be sent. Ask me for a new one (type `help` to see how).';

/** Handles one submission; never rejects for a skill's failure (see the dispatcher). */
export async function handleSubmission(
  core: DispatchCore,
  submission: InboundSubmission,
  scope: EventScope,
): Promise<DispatchOutcome> {
  const { cards } = core.options;
  const content = submission.card.content;
  const threadRoot = async (): Promise<string> => submission.card.threadRoot;
  const target: ReplyTarget = { roomId: submission.roomId, defaultParentId: threadRoot, threadRoot };
  const reply = createReply(target, scope.outbox, cards, scope.log);
  const space = { id: submission.roomId, title: submission.roomTitle, type: submission.roomType } as const;

  const command = submission.inputs[COMMAND_INPUT];
  if (typeof command === 'string' && commandsOf(content).includes(command)) {
    scope.log.debug('command button pressed', { command });
    return core.dispatchText(
      {
        text: command,
        person: submission.person,
        space,
        message: {
          id: submission.messageId,
          parentId: submission.card.threadRoot,
          rawText: command,
          created: submission.created,
        },
        target,
        resource: 'attachmentActions',
      },
      scope,
    );
  }

  const owners = new Map(
    core.options.skills.flatMap((s) =>
      [...s.submitHandlers].map(([id, h]) => [id, { skill: s.info.name, ...h }] as const),
    ),
  );
  const templateId = templateIdOf(content);
  const owner = templateId === undefined ? owners.get('*') : owners.get(templateId);
  if (!owner) {
    scope.log.warn('card submission with no owner', { cardId: templateId ?? '' });
    if (templateId !== undefined && !cards.has(templateId)) {
      await reply.text(STALE);
      return { kind: 'stale-card' };
    }
    await reply.text('Sorry, nothing here handles that card any more.');
    return { kind: 'unowned-card' };
  }

  const formId = tagOf(content, FORM_ID_INPUT) ?? submission.messageId;
  const showErrors = async (
    errors: readonly FieldError[],
    typed: Readonly<Record<string, string>>,
  ): Promise<SentMessage> => {
    scope.log.info('card sent again with errors', { skill: owner.skill, fields: errors.map((e) => e.id) });
    const again = cardWithErrors(content, typed, errors, formId);
    if (again === undefined) return reply.text(errorsAsText(errors));
    return sendCard(target, scope.outbox, again, errorsAsText(errors));
  };

  const validation = validateSubmission(content, submission.inputs);
  if (validation.kind === 'mismatch') {
    scope.log.warn('card submission matches none of its buttons', { skill: owner.skill });
    await reply.text(
      "That submission does not match the card I sent, so I did not act on it. Please use the card's own buttons.",
    );
    return { kind: 'invalid-input', skill: owner.skill };
  }
  if (validation.kind === 'invalid') {
    await showErrors(validation.errors, validation.typed);
    return { kind: 'invalid-input', skill: owner.skill };
  }
  if (owner.inputs !== undefined && formProblems(owner.inputs, content).length > 0) {
    scope.log.warn('stale card: its inputs no longer match the form', {
      skill: owner.skill,
      problems: formProblems(owner.inputs, content),
    });
    await reply.text(STALE);
    return { kind: 'stale-card' };
  }

  const labels = new Map(inputsOf(content).map((i) => [i.id, i.label]));
  const context: SubmitContext = {
    ...core.baseContext(scope, reply, owner.skill, space, submission.person, 'attachmentActions'),
    inputs: validation.inputs,
    button: validation.button,
    cardId: templateId,
    action: { id: submission.id, messageId: submission.messageId, created: submission.created },
    state: createSkillState(core.store, owner.skill, { spaceId: space.id, personId: submission.person.id, formId }),
    rejectInputs: (errors) =>
      showErrors(
        Object.entries(errors).map(([id, message]) => ({ id, label: labels.get(id) ?? id, message })),
        typedText(content, submission.inputs),
      ),
  };
  scope.log.debug('card submission routed', { skill: owner.skill, cardId: templateId });
  return core.guarded(owner.skill, scope, reply, () => owner.handle(context));
}
