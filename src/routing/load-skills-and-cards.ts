/**
 * Loading what the bot runs: the skills, the cards, and the checks between them (every
 * `onSubmit` names a card that exists, every card's submit button reaches a skill, every command
 * button runs a command). Start-up,
 * `npm run cards:check` and `npm run dev`'s reloads all go through here, so they refuse the same
 * things with the same words.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { COMMAND_INPUT, commandsOf } from '../cards/card-tags.js';
import { loadCards, shownPath } from '../cards/card-files.js';
import type { CardRegistry } from '../cards/card-registry.js';
import { forEachObject } from '../cards/webex-rules.js';
import { CardCheckError, SkillLoadError, type FileProblems } from '../errors.js';
import { buildCommandIndex } from './command-index.js';
import { formProblems } from './form-spec.js';
import { checkSkillSet, loadSkills, type LoadedSkill, type ModuleImporter } from './skill-loader.js';

/** Skills and cards that passed every check. */
export interface SkillsAndCards {
  readonly skills: readonly LoadedSkill[];
  readonly cards: CardRegistry;
}

/** Whether the card has an Action.Submit that is not a command button (so it needs an owner). */
function hasFormSubmit(card: unknown): boolean {
  let found = false;
  forEachObject(card, (o) => {
    const data = o['data'];
    if (
      o['type'] === 'Action.Submit' &&
      !(
        typeof data === 'object' &&
        data !== null &&
        typeof (data as Record<string, unknown>)[COMMAND_INPUT] === 'string'
      )
    )
      found = true;
  });
  return found;
}

/**
 * Cards whose submit buttons reach no skill: a user would press one and get nothing useful.
 * A button that runs a command (`"_command"`) needs no owner.
 */
export function unownedCards(skills: readonly LoadedSkill[], cards: CardRegistry, cardsDir: string): FileProblems[] {
  const owned = new Set(skills.flatMap((s) => [...s.submitHandlers.keys()]));
  const problems: FileProblems[] = [];
  for (const id of cards.ids) {
    const preview = cards.preview(id);
    if (owned.has(id) || !hasFormSubmit(preview)) continue;
    const commands = commandsOf(preview).length;
    problems.push({
      file: shownPath(path.join(cardsDir, `${id}.json`)),
      problems: [
        `its Action.Submit reaches no skill: add onSubmit: { '${id}': … } to a skill${commands > 0 ? '' : ', or make the button run a command with "data": { "_command": "…" }'}`,
      ],
    });
  }
  return problems;
}

/**
 * Command buttons that run no command: a button whose `"_command"` is written in the template
 * (not bound to data, which only the skill knows) must be a command of the loaded skills, with
 * arguments it takes — else pressing it gets "Sorry, I don't know".
 */
export function unmatchedCommandButtons(
  skills: readonly LoadedSkill[],
  cards: CardRegistry,
  cardsDir: string,
): FileProblems[] {
  const index = buildCommandIndex(skills);
  const problems: FileProblems[] = [];
  for (const id of cards.ids) {
    const file = path.join(cardsDir, `${id}.json`);
    const written = commandsOf(JSON.parse(readFileSync(file, 'utf8'))).filter((c) => !c.includes('${'));
    const found = written.flatMap((text) => {
      const lookup = index.find(text);
      if (lookup.kind === 'match') return [];
      return [
        lookup.kind === 'usage'
          ? `its button runs "${text}" ("_command"), which starts like the command "${lookup.command.info.usage}" but ${lookup.problem}`
          : `its button runs "${text}" ("_command"), which is no command of the skills: pressing it would get "I don't know" (commands: ${index.commands.map((c) => c.info.usage).join(', ') || 'none'})`,
      ];
    });
    if (found.length > 0) problems.push({ file: shownPath(file), problems: found });
  }
  return problems;
}

/**
 * Each form handler's declared inputs against its card (as rendered with the sample data), and
 * each command's `opensForm` against the cards.
 * @throws {SkillLoadError} naming the skill file, the card and each disagreement.
 */
export function checkForms(skills: readonly LoadedSkill[], cards: CardRegistry): void {
  for (const s of skills) {
    for (const c of s.commands) {
      const opens = c.command.opensForm;
      if (opens !== undefined && !cards.has(opens))
        throw new SkillLoadError(
          s.file,
          `command "${c.info.usage}": opensForm names the card "${opens}", which is not in the cards folder (${cards.ids.join(', ') || 'no cards'})`,
        );
    }
    for (const [cardId, handler] of s.submitHandlers) {
      if (handler.inputs === undefined || cardId === '*') continue;
      const problems = formProblems(handler.inputs, cards.preview(cardId));
      if (problems.length > 0) {
        throw new SkillLoadError(
          s.file,
          `onSubmit["${cardId}"]: its inputs do not match cards/${cardId}.json:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
        );
      }
    }
  }
}

/**
 * Loads and checks the skills in `skillsDir` and the cards in `cardsDir`.
 * @throws {SkillLoadError} for a bad skill file, {CardCheckError} for bad card files.
 */
export async function loadSkillsAndCards(
  skillsDir: string,
  cardsDir: string,
  importer?: ModuleImporter,
): Promise<SkillsAndCards> {
  const cards = loadCards(cardsDir);
  const skills = await loadSkills(skillsDir, importer);
  checkSkillSet(skills, new Set(cards.ids));
  checkForms(skills, cards);
  const unreachable = [...unownedCards(skills, cards, cardsDir), ...unmatchedCommandButtons(skills, cards, cardsDir)];
  if (unreachable.length > 0) throw new CardCheckError(unreachable);
  return { skills, cards };
}
