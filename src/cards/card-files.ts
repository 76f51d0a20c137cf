/**
 * Loading the `cards/` folder: every `<id>.json` is a template, every `<id>.data.json` its
 * sample data. Each template is rendered with its sample data (placeholders when it has none)
 * and checked as Webex would take it; a folder with any bad card is refused as a whole, with
 * each file and each of its problems, so start-up stops before a user meets a broken card.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CardCheckError, type FileProblems } from '../errors.js';
import { isRecord } from '../util/is-record.js';
import { createCardRegistry, type CardRegistry } from './card-registry.js';
import { checkTemplate } from './check-template.js';

const CARD_ID = /^[a-z0-9][a-z0-9-_]*$/i;
const DATA_SUFFIX = '.data.json';

/** `file` relative to the working directory when it is inside it, else absolute: short, and findable. */
export function shownPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? path.resolve(file) : relative;
}

/** Parses a JSON file, or says why it cannot. */
function readJson(file: string): { value: unknown } | { problem: string } {
  try {
    return { value: JSON.parse(readFileSync(file, 'utf8')) };
  } catch (err) {
    return { problem: `not valid JSON (${(err as Error).message})` };
  }
}

/**
 * Loads and checks every card in `dir` (a missing folder holds no cards).
 *
 * @throws {CardCheckError} `CARD_CHECK_FAILED`, listing each bad file and its problems.
 * @example
 * const cards = loadCards('cards');   // throws when cards/feedback.json has version "1.6"
 * cards.render('feedback', { name: 'Alice', topic: 'the release' });
 */
export function loadCards(dir: string): CardRegistry {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return createCardRegistry(new Map());
    throw err;
  }
  const shown = (name: string): string => shownPath(path.join(dir, name));
  const templates = new Map<string, unknown>();
  const previews = new Map<string, Record<string, unknown>>();
  const bad: FileProblems[] = [];
  const ids = new Set(names.filter((n) => !n.endsWith(DATA_SUFFIX)).map((n) => n.slice(0, -'.json'.length)));

  for (const name of names.filter((n) => n.endsWith(DATA_SUFFIX))) {
    if (!ids.has(name.slice(0, -DATA_SUFFIX.length))) {
      bad.push({
        file: shown(name),
        problems: [`sample data for a card that does not exist (no ${name.slice(0, -DATA_SUFFIX.length)}.json)`],
      });
    }
  }
  for (const id of ids) {
    const file = shown(`${id}.json`);
    if (!CARD_ID.test(id)) {
      bad.push({ file, problems: ['card ids (file names) are letters, digits, "-" and "_"'] });
      continue;
    }
    const parsed = readJson(path.join(dir, `${id}.json`));
    if ('problem' in parsed) {
      bad.push({ file, problems: [parsed.problem] });
      continue;
    }
    const t = parsed.value;
    if (!isRecord(t) || t['type'] !== 'AdaptiveCard' || typeof t['version'] !== 'string') {
      bad.push({ file, problems: ['a card template must be an object with "type": "AdaptiveCard" and a "version"'] });
      continue;
    }
    let sample: Record<string, unknown> | undefined;
    if (names.includes(`${id}${DATA_SUFFIX}`)) {
      const data = readJson(path.join(dir, `${id}${DATA_SUFFIX}`));
      if ('problem' in data || !isRecord(data.value)) {
        bad.push({
          file: shown(`${id}${DATA_SUFFIX}`),
          problems: ['problem' in data ? data.problem : 'sample data must be a JSON object'],
        });
        continue;
      }
      sample = data.value;
    }
    const check = checkTemplate(t, sample);
    if (check.problems.length > 0) {
      const placeholders = sample === undefined && JSON.stringify(t).includes('${');
      bad.push({
        file,
        problems: placeholders
          ? [
              ...check.problems,
              `(rendered with placeholders: add ${id}${DATA_SUFFIX} with sample data for a real check)`,
            ]
          : check.problems,
      });
      continue;
    }
    templates.set(id, t);
    if (check.preview) previews.set(id, check.preview);
  }
  if (bad.length > 0) throw new CardCheckError(bad);
  return createCardRegistry(templates, previews);
}
