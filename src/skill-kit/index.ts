/**
 * What a skill author imports: `import { defineSkill, command } from 'webex-skill-bot'`.
 */
import { isBotError } from '../errors.js';
import type { CardProblemError } from './types.js';

export { defineSkill, command, form } from './define.js';
export type {
  BaseContext,
  CardProblemError,
  CardReplyOptions,
  Command,
  CommandContext,
  CommandHandler,
  CommandInfo,
  FormHandler,
  IncomingMessageInfo,
  PatternCommand,
  Person,
  RegExpCommand,
  Reply,
  ReplyOptions,
  SentMessage,
  Skill,
  SkillInfo,
  SkillLog,
  Space,
  SubmitContext,
  SubmitHandler,
  WebhookEvent,
} from './types.js';
export type { ArgsOf } from './pattern-types.js';
export type {
  CardData,
  CardDataArgument,
  CardId,
  CardTemplates,
  CardText,
  CheckedSubmitKeys,
  SubmitCardId,
} from './card-templates.js';
export type { InputKind, InputSpec, InputSpecKind, InputsOf, InputValue } from './input-types.js';
export type { OnceScopeOptions, SkillState, StateOptions, StateScope, SubmitState } from './state.js';
export { escapeMarkdown, escapeCardMarkdown, markdown, codeBlock } from './markdown.js';
export type { Markdown } from './markdown.js';

/**
 * True when `err` is a card rejected by `reply.cardJson` (its `problems` say why).
 * @example
 * try { await reply.cardJson(card); } catch (err) { if (isCardProblem(err)) await reply.text(err.problems.join('\n')); else throw err; }
 */
export function isCardProblem(err: unknown): err is CardProblemError {
  // A template that renders to an invalid card is a CARD_INVALID too, but without `problems`.
  return isBotError(err, 'CARD_INVALID') && Array.isArray((err as { problems?: unknown }).problems);
}
