/**
 * What the assistant says: the system text the model gets, what it is told of a command that
 * ran, and the short texts the person sees when the assistant cannot answer.
 *
 * @example
 * systemText({ botName: 'Helper', person, space, skills, today: '2025-06-02' });
 * apology('help'); // → 'Sorry, I could not answer that just now. Type `help` to see what I can do.'
 */
import type { LoadedSkill } from '../routing/skill-loader.js';
import type { Person, Space } from '../skill-kit/types.js';
import { ABILITIES_TOOL } from './tools.js';

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

/** What the system text is made of. */
export interface SystemTextInput {
  readonly botName: string | undefined;
  readonly person: Person;
  readonly space: Space;
  /** The skills with a command the person may run. */
  readonly skills: readonly LoadedSkill[];
  /** `YYYY-MM-DD`, for requests about dates. */
  readonly today: string;
}

/** The instructions for the model: who it is, what it may do (only call tools), how to answer. */
export function systemText({ botName, person, space, skills, today }: SystemTextInput): string {
  const where = space.type === 'direct' ? 'a direct (1:1) space' : `the group space "${space.title}"`;
  const listed = skills.map((s) => `- ${s.info.name}: ${s.info.description}`).join('\n');
  return [
    `You are the assistant of a Webex bot${botName ? ` called ${botName}` : ''}, talking with ${person.displayName} in ${where}. Today is ${today}.`,
    "You act only through the tools. Each tool is one of the bot's commands, and calling it runs the command exactly as if the person had typed it, with the same permissions and confirmations. You cannot do anything else, and you never say that something was done unless a tool did it.",
    'When the person asks for something a command does, call its tool, with arguments taken only from what they said; when something the command needs is missing, ask for it instead of guessing.',
    `When they ask what you can do, or for help, call ${ABILITIES_TOOL}.`,
    'After a command ran, its answer has already been shown to the person: do not repeat it; add one short sentence at most.',
    'Otherwise answer briefly, in Markdown. If nothing fits, say so and suggest typing `help`.',
    listed ? `The skills this person may use:\n${listed}` : 'This person may use no skill here.',
  ].join('\n\n');
}

/** What a command run for the assistant ended as (a `DispatchOutcome` fits). */
export interface CommandRun {
  readonly kind: string;
}

/** What the model is told of a command it had run. */
export function runResultForModel(text: string, run: CommandRun, prefilled = false): string {
  const command = code(text);
  switch (run.kind) {
    case 'handled':
      return prefilled
        ? `The command ${command} ran: its form has been shown to the person with the fields you gave filled in (those that fit). They check it and send it themselves; it is not sent yet.`
        : `The command ${command} ran; its answer has been shown to the person.`;
    case 'usage':
      return `The command ${command} did not accept its arguments; the person was shown how to use it.`;
    case 'failed':
      return `The command ${command} failed; the person was told. Do not try it again.`;
    default:
      return `The command ${command} ended as "${run.kind}"; the person was told. Do not try it again.`;
  }
}

/** The short apology for a model that failed or did not answer in time. */
export function apology(helpWord: string): string {
  return `Sorry, I could not answer that just now. Type ${code(helpWord)} to see what I can do.`;
}

/** What the person sees when over their rate. */
export function slowDown(retryAfterMs: number, helpWord: string): string {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return `You have asked me a lot in the last minute: please try again in ${seconds} s. Commands work as usual meanwhile (type ${code(helpWord)} to see them).`;
}

/** Closes an answer that was cut at the token cap. */
export const CUT_NOTE = '_(cut short: the answer was longer than I may write)_';

/** Closes an answer the model did not finish (time ran out, or it failed). */
export const UNFINISHED_NOTE = '_(I could not finish this answer.)_';
