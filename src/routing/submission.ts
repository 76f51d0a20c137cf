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
 * 5. the handler gets typed inputs, the button's data, its state, and the card's message
 *    (`form`), to replace once the form is accepted.
 *
 * A card sent back with errors replaces the submitted one (a new card where it was, the old one
 * deleted), rather than stacking a second card under it; replies then go in the new card's
 * thread when the card was at the top level.
 */
import {
  COMMAND_INPUT,
  commandsOf,
  CONFIRM_INPUT,
  FORM_ID_INPUT,
  tagOf,
  tagSubmitActions,
  templateIdOf,
} from '../cards/card-tags.js';
import { answerConfirmation, confirmAnswerOf } from './confirm-flow.js';
import { formSteps } from './form-steps.js';
import { inputsOf } from '../cards/card-inputs.js';
import { cardWithErrors } from '../cards/card-with-errors.js';
import { validateSubmission, type FieldError } from '../cards/validate-inputs.js';
import { escapeMarkdown } from '../skill-kit/markdown.js';
import { createSkillState } from '../skill-kit/state.js';
import type { Reply, SentMessage, Space, SubmitContext } from '../skill-kit/types.js';
import type { DispatchCore, DispatchOutcome } from './dispatch-core.js';
import { formProblems } from './form-spec.js';
import type { EventScope, InboundSubmission, SubmittedCardMessage } from './inbound.js';
import { createReply, type ReplyTarget, sendCard } from './reply.js';
import { MessageHandle } from './sent-message.js';
import type { LoadedSkill } from './skill-loader.js';
import { guardsFor } from './guards.js';

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

/** The skill handling a card: its name and its `onSubmit` handler. */
type CardOwner = NonNullable<ReturnType<LoadedSkill['submitHandlers']['get']>> & { readonly skill: string };

/** One submission on its way, step by step (see the file's comment). */
class SubmissionHandling {
  private readonly content: SubmittedCardMessage['content'];
  private readonly target: ReplyTarget;
  private readonly reply: Reply;
  private readonly space: Space;
  /** The submitted card's message (it moves when the card is replaced). */
  private readonly form: MessageHandle;

  constructor(
    private readonly core: DispatchCore,
    private readonly submission: InboundSubmission,
    private readonly scope: EventScope,
  ) {
    this.content = submission.card.content;
    const { threadRoot: cardThread } = submission.card;
    const topLevel = cardThread === submission.messageId;
    this.form = new MessageHandle(
      {
        id: submission.messageId,
        roomId: submission.roomId,
        parentId: topLevel ? undefined : cardThread,
        kind: 'card',
        edits: 0,
      },
      { outbox: scope.outbox, cards: core.options.cards, log: scope.log },
    );
    // A card at the top level is its own thread's root: after a replacement, the new card's.
    const threadRoot = async (): Promise<string> => (topLevel ? this.form.id : cardThread);
    this.target = { roomId: submission.roomId, defaultParentId: threadRoot, threadRoot };
    this.reply = createReply(this.target, scope.outbox, core.options.cards, scope.log);
    this.space = { id: submission.roomId, title: submission.roomTitle, type: submission.roomType };
  }

  async handle(): Promise<DispatchOutcome> {
    // Step 0: the Yes or No of a confirmation card.
    const confirmation = confirmAnswerOf(this.content, this.submission.inputs, CONFIRM_INPUT);
    if (confirmation !== undefined) {
      const { person } = this.submission;
      const pressed = { tag: confirmation, person, space: this.space, target: this.target };
      return answerConfirmation(this.core, pressed, this.scope, this.reply);
    }
    const command = this.submission.inputs[COMMAND_INPUT];
    if (typeof command === 'string' && commandsOf(this.content).includes(command)) return this.pressCommand(command);
    const templateId = templateIdOf(this.content);
    const owner = this.ownerOf(templateId);
    if (!owner) return this.answerUnowned(templateId);
    const formId = tagOf(this.content, FORM_ID_INPUT) ?? this.submission.messageId;
    const validation = validateSubmission(this.content, this.submission.inputs);
    if (validation.kind === 'mismatch') {
      this.scope.log.warn('card submission matches none of its buttons', { skill: owner.skill });
      await this.reply.text(
        "That submission does not match the card I sent, so I did not act on it. Please use the card's own buttons.",
      );
      return { kind: 'invalid-input', skill: owner.skill };
    }
    if (validation.kind === 'invalid') {
      await this.showErrors(owner, formId, validation.errors, validation.typed);
      return { kind: 'invalid-input', skill: owner.skill };
    }
    if (owner.inputs !== undefined && formProblems(owner.inputs, this.content).length > 0) {
      this.scope.log.warn('stale card: its inputs no longer match the form', {
        skill: owner.skill,
        problems: formProblems(owner.inputs, this.content),
      });
      await this.reply.text(STALE);
      return { kind: 'stale-card' };
    }
    return this.run(owner, templateId, formId, validation);
  }

  /** Step 1: a command button runs its command, as if typed by whoever pressed it. */
  private pressCommand(command: string): Promise<DispatchOutcome> {
    const { submission } = this;
    this.scope.log.debug('command button pressed', { command });
    return this.core.dispatchText(
      {
        text: command,
        person: submission.person,
        space: this.space,
        message: {
          id: submission.messageId,
          parentId: submission.card.threadRoot,
          rawText: command,
          created: submission.created,
        },
        target: this.target,
        resource: 'attachmentActions',
      },
      this.scope,
    );
  }

  /** Step 2: the skill whose `onSubmit` names the card's template (`*` for a ready-made card). */
  private ownerOf(templateId: string | undefined): CardOwner | undefined {
    const owners = new Map(
      this.core.options.skills.flatMap((s) =>
        [...s.submitHandlers].map(([id, h]) => [id, { skill: s.info.name, ...h }] as const),
      ),
    );
    return templateId === undefined ? owners.get('*') : owners.get(templateId);
  }

  private async answerUnowned(templateId: string | undefined): Promise<DispatchOutcome> {
    this.scope.log.warn('card submission with no owner', { cardId: templateId ?? '' });
    if (templateId !== undefined && !this.core.options.cards.has(templateId)) {
      await this.reply.text(STALE);
      return { kind: 'stale-card' };
    }
    await this.reply.text('Sorry, nothing here handles that card any more.');
    return { kind: 'unowned-card' };
  }

  /** The card again with the errors next to its fields, in its place; when that cannot be, a reply listing them. */
  private showErrors(
    owner: CardOwner,
    formId: string,
    errors: readonly FieldError[],
    typed: Readonly<Record<string, string>>,
  ): Promise<SentMessage> {
    this.scope.log.info('card sent again with errors', { skill: owner.skill, fields: errors.map((e) => e.id) });
    const again = cardWithErrors(this.content, typed, errors, formId);
    if (again === undefined) return this.reply.text(errorsAsText(errors));
    return this.form.replaceWithCard(again, errorsAsText(errors));
  }

  /** Step 5: the handler, with typed inputs, the button's data and its state. */
  private run(
    owner: CardOwner,
    templateId: string | undefined,
    formId: string,
    validation: Extract<ReturnType<typeof validateSubmission>, { kind: 'valid' }>,
  ): Promise<DispatchOutcome> {
    const { core, submission, scope, content } = this;
    const labels = new Map(inputsOf(content).map((i) => [i.id, i.label]));
    const base = core.baseContext(scope, this.reply, owner.skill, this.space, submission.person, 'attachmentActions');
    const earlierSteps = formSteps(core, owner.skill, formId);
    const context: SubmitContext = {
      ...base,
      steps: { id: formId, answers: {} },
      nextStep: async (cardId, data, options) => {
        await earlierSteps.record(templateId ?? 'card', validation.inputs);
        const card = structuredClone(core.options.cards.render(cardId, data ?? {}));
        tagSubmitActions(card.card as Record<string, unknown>, FORM_ID_INPUT, formId);
        const deps = { outbox: scope.outbox, cards: core.options.cards, log: scope.log };
        return sendCard(this.target, scope.outbox, card.card, card.fallbackText, options, deps);
      },
      inputs: validation.inputs,
      button: validation.button,
      cardId: templateId,
      action: { id: submission.id, messageId: submission.messageId, created: submission.created },
      state: createSkillState(core.store, owner.skill, {
        spaceId: this.space.id,
        personId: submission.person.id,
        formId,
      }),
      form: this.form,
      rejectInputs: (errors) =>
        this.showErrors(
          owner,
          formId,
          Object.entries(errors).map(([id, message]) => ({ id, label: labels.get(id) ?? id, message })),
          typedText(content, submission.inputs),
        ),
    };
    scope.log.debug('card submission routed', { skill: owner.skill, cardId: templateId });
    return core.guarded(owner.skill, scope, this.reply, async () => {
      const guards = guardsFor(core.options.skills, owner.skill);
      const who = { person: submission.person, space: this.space, roles: base.roles };
      if (!core.conversation.roles.allows(who, ...guards)) {
        await this.reply.text(core.conversation.roles.refusal(`the ${owner.skill} skill`, ...guards));
        return;
      }
      // Only a card that carries a form's id (a later step, or a card sent back) can have earlier steps.
      const stepped = tagOf(content, FORM_ID_INPUT) !== undefined;
      await owner.handle({ ...context, steps: { id: formId, answers: stepped ? await earlierSteps.answers() : {} } });
    });
  }
}

/** Handles one submission; never rejects for a skill's failure (see the dispatcher). */
export function handleSubmission(
  core: DispatchCore,
  submission: InboundSubmission,
  scope: EventScope,
): Promise<DispatchOutcome> {
  return new SubmissionHandling(core, submission, scope).handle();
}
