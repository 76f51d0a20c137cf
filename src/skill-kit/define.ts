/**
 * Helpers skill authors use to declare skills with full type checking.
 */
import type { CheckedSubmitKeys } from './card-templates.js';
import type { ArgsOf } from './pattern-types.js';
import type { InputSpec } from './input-types.js';
import type { CommandHandler, FormHandler, PatternCommand, RegExpCommand, Skill } from './types.js';

/**
 * Declares a command. With a string pattern, `args` in the handler are typed from it.
 *
 * @example
 * command({
 *   pattern: 'roll [<sides:number>]',
 *   help: 'Roll a die',
 *   examples: ['roll', 'roll 20'],
 *   handle: ({ args, reply }) => reply.text(`🎲 ${1 + Math.floor(Math.random() * (args.sides ?? 6))}`),
 * });
 */
export function command<const P extends string>(
  definition: Omit<PatternCommand<P>, 'handle'> & { handle: CommandHandler<ArgsOf<P>> },
): PatternCommand<P>;
export function command(definition: RegExpCommand): RegExpCommand;
export function command(definition: PatternCommand<string> | RegExpCommand): PatternCommand<string> | RegExpCommand {
  return definition;
}

/**
 * Declares a skill; the default export of a file in `skills/`.
 *
 * @example
 * export default defineSkill({
 *   name: 'greet',
 *   description: 'Says hello',
 *   commands: [command({ pattern: 'hello', help: 'Say hello', handle: ({ person, reply }) => reply.text(`Hi ${person.displayName}!`) })],
 * });
 */
export function defineSkill<const S extends Skill>(skill: S & CheckedSubmitKeys<S>): S {
  return skill;
}

/**
 * Declares a card-submit handler with typed inputs: name each input of the card with its kind
 * (`?` when the card does not require it). The bot checks the names and kinds against the card
 * at start, so `inputs` are exactly what the card gives.
 *
 * @example
 * onSubmit: {
 *   'ticket-form': form({
 *     inputs: { title: 'text', priority: 'choice', due: 'date?' },
 *     handle: ({ inputs, reply }) => reply.text(`Opened ${inputs.title} (${inputs.priority}), due ${inputs.due ?? 'whenever'}`),
 *   }),
 * }
 */
export function form<const S extends InputSpec>(definition: FormHandler<S>): FormHandler<S> {
  return definition;
}
