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

/** The `.json` files of `dir`, sorted; `undefined` when there is no such folder. */
function jsonFiles(dir: string): string[] | undefined {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Sample data files whose card does not exist. */
function orphanSamples(dir: string, names: readonly string[], ids: ReadonlySet<string>): FileProblems[] {
  return names
    .filter((name) => name.endsWith(DATA_SUFFIX) && !ids.has(name.slice(0, -DATA_SUFFIX.length)))
    .map((name) => ({
      file: shownPath(path.join(dir, name)),
      problems: [`sample data for a card that does not exist (no ${name.slice(0, -DATA_SUFFIX.length)}.json)`],
    }));
}

/** A card's sample data (`<id>.data.json`), or what is wrong with it. */
function readSample(dir: string, id: string): { sample: Record<string, unknown> } | FileProblems {
  const data = readJson(path.join(dir, `${id}${DATA_SUFFIX}`));
  if ('problem' in data || !isRecord(data.value))
    return {
      file: shownPath(path.join(dir, `${id}${DATA_SUFFIX}`)),
      problems: ['problem' in data ? data.problem : 'sample data must be a JSON object'],
    };
  return { sample: data.value };
}

/** One card read and checked: its template (and the preview it renders to), or what is wrong with a file. */
type LoadedCard = { readonly template: unknown; readonly preview: Record<string, unknown> | undefined } | FileProblems;

function loadCard(dir: string, id: string, hasSample: boolean): LoadedCard {
  const file = shownPath(path.join(dir, `${id}.json`));
  if (!CARD_ID.test(id)) return { file, problems: ['card ids (file names) are letters, digits, "-" and "_"'] };
  const parsed = readJson(path.join(dir, `${id}.json`));
  if ('problem' in parsed) return { file, problems: [parsed.problem] };
  const t = parsed.value;
  if (!isRecord(t) || t['type'] !== 'AdaptiveCard' || typeof t['version'] !== 'string')
    return { file, problems: ['a card template must be an object with "type": "AdaptiveCard" and a "version"'] };
  let sample: Record<string, unknown> | undefined;
  if (hasSample) {
    const read = readSample(dir, id);
    if ('problems' in read) return read;
    sample = read.sample;
  }
  const check = checkTemplate(t, sample);
  if (check.problems.length > 0) {
    const placeholders = sample === undefined && JSON.stringify(t).includes('${');
    return {
      file,
      problems: placeholders
        ? [...check.problems, `(rendered with placeholders: add ${id}${DATA_SUFFIX} with sample data for a real check)`]
        : check.problems,
    };
  }
  return { template: t, preview: check.preview };
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
  const names = jsonFiles(dir);
  if (names === undefined) return createCardRegistry(new Map());
  const templates = new Map<string, unknown>();
  const previews = new Map<string, Record<string, unknown>>();
  const ids = new Set(names.filter((n) => !n.endsWith(DATA_SUFFIX)).map((n) => n.slice(0, -'.json'.length)));
  const bad: FileProblems[] = orphanSamples(dir, names, ids);
  for (const id of ids) {
    const card = loadCard(dir, id, names.includes(`${id}${DATA_SUFFIX}`));
    if ('problems' in card) {
      bad.push(card);
      continue;
    }
    templates.set(id, card.template);
    if (card.preview) previews.set(id, card.preview);
  }
  if (bad.length > 0) throw new CardCheckError(bad);
  return createCardRegistry(templates, previews);
}
