/**
 * What the dispatch core asks of an assistant, declared where it is used (the assistant, in
 * `src/assistant/`, implements it; routing does not import it): text that matched no command
 * goes in, the answer streams into messages of the reply's space and thread, and each command
 * the assistant picks comes back to the core as typed text.
 */
import type { FormPrefill } from '../cards/prefill.js';
import type { Logger } from '../logging.js';
import type { Person, Space } from '../skill-kit/types.js';
import type { CommandLookup } from './command-index.js';
import type { LoadedSkill } from './skill-loader.js';

/** A message the assistant posted, and what it may still do with it. */
export interface AssistantMessage {
  edit(markdown: string): Promise<unknown>;
  delete(): Promise<unknown>;
}

/** One message for the assistant to answer. */
export interface AssistantTurn {
  /** What the person wrote (the bot's mention already removed). */
  readonly text: string;
  readonly person: Person;
  readonly space: Space;
  /** Posts one message of the answer (in the reply's space and thread). */
  readonly poster: { post(markdown: string): Promise<AssistantMessage> };
  /** Runs `text` as if the person had typed it (the form it opens pre-filled, if asked). */
  runCommand(text: string, options?: { readonly prefill?: FormPrefill | undefined }): Promise<unknown>;
  /** How help is typed here (`help`; `@Bot help` in a group). */
  readonly helpWord?: string | undefined;
  readonly log?: Logger | undefined;
}

/** An assistant, as the dispatch core uses it. */
export interface TextAssistant {
  /** Answers one message; never rejects. */
  answer(turn: AssistantTurn): Promise<{ readonly outcome: string; readonly commands: readonly unknown[] }>;
}

/** Makes the assistant for a dispatcher, with its skills and command lookup (`undefined`: none). */
export type AssistantMaker = (parts: {
  readonly skills: readonly LoadedSkill[];
  readonly find: (text: string) => CommandLookup;
}) => TextAssistant | undefined;
