/**
 * `npm run cards:check [-- --cards DIR --skills DIR]`: the start-up check of the cards, on
 * demand. Every template is rendered with its sample data and checked as Webex takes it, and the
 * skills are loaded to check that every submit button reaches one. Exits 1 naming each bad file
 * and each problem; 0 when all is well. Folders default to CARDS_DIR and SKILLS_DIR (else
 * `cards/` and `skills/` of the project).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { projectLayout } from '../start/layout.js';
import { CARD_TYPES_FILE, writeCardTypes } from '../cards/card-types.js';
import { isBotError } from '../errors.js';
import { loadSkillsAndCards } from '../routing/load-skills-and-cards.js';

// The project in the working directory: this repository, or a user's bot project.
const projectRoot = projectLayout(import.meta.url, 1).root;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { cards: { type: 'string' }, skills: { type: 'string' } } });
  const cardsDir = path.resolve(values.cards ?? path.resolve(projectRoot, process.env['CARDS_DIR'] || 'cards'));
  const skillsDir = path.resolve(values.skills ?? path.resolve(projectRoot, process.env['SKILLS_DIR'] || 'skills'));
  try {
    const { cards, skills } = await loadSkillsAndCards(skillsDir, cardsDir);
    const typesWritten = writeCardTypes(cardsDir);
    process.stdout.write(
      `cards:check: ${cards.ids.length} card${cards.ids.length === 1 ? '' : 's'} OK (${cards.ids.join(', ') || 'none'}): each rendered with its sample data and checked as Webex takes it; every submit button reaches one of ${skills.length} skills.${typesWritten ? ` Their types written to ${path.join(path.relative(process.cwd(), cardsDir) || '.', CARD_TYPES_FILE)}.` : ''}\n`,
    );
    return 0;
  } catch (err) {
    if (!isBotError(err)) throw err;
    process.stderr.write(`cards:check: ${err.message}\n`);
    return 1;
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`cards:check: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(2);
  },
);
