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
export type {
  BotAddedContext,
  BotRemovedContext,
  FileInfo,
  FilesContext,
  FilesHandler,
  IncomingFile,
  LifecycleContext,
  LifecycleHandlers,
  Member,
  MemberChangeContext,
  MembersOptions,
  OutgoingFile,
  SpaceContext,
} from './types.js';
export type { ArgsOf } from './pattern-types.js';
// Time and conversation: proactive sends, jobs, questions, confirmation, permissions.
export type {
  AllowCheck,
  AnswerContext,
  AnswerHandler,
  AskOptions,
  Confirm,
  FormSteps,
  Guarded,
  Job,
  JobContext,
  JobState,
  JobTick,
  Recipient,
  Send,
  Who,
} from './types.js';
export { dayIn, formatTime, nextTime, timeOfDay } from './time.js';
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

/**
 * True when `err` is a received file over the bot's size limit (`MAX_FILE_SIZE`); a handler
 * that lets it through gets a reply telling the user the limit.
 * @example
 * try { await file.saveTo(target); } catch (err) { if (isFileTooLarge(err)) return reply.text('Too big for me.'); throw err; }
 */
export function isFileTooLarge(err: unknown): err is Error & { readonly limitBytes: number; readonly size?: number } {
  return isBotError(err, 'FILE_TOO_LARGE');
}
