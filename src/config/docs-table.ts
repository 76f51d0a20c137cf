/**
 * The configuration table of docs/configuration.md, made from the settings table: written between
 * the `<!-- config:start -->` and `<!-- config:end -->` markers by `npm run config:docs`, and
 * compared with the table by a test, which names each variable whose row is out of date.
 *
 * @example
 * const page = withConfigTable(readFileSync('docs/configuration.md', 'utf8'));
 * configTableDifferences(page); // []
 */
import { type Setting, settingEntries } from './settings.js';

/** The page the table lives in, relative to the repository. */
export const CONFIG_DOC_PATH = 'docs/configuration.md';

/** The command that writes the table into {@link CONFIG_DOC_PATH}. */
export const CONFIG_DOCS_COMMAND = 'npm run config:docs';

/** The markers the table is written between. */
export const CONFIG_TABLE_START = '<!-- config:start -->';
export const CONFIG_TABLE_END = '<!-- config:end -->';

const HEADER = ['| Variable | Meaning | Default |', '| --- | --- | --- |'];

/** A cell's text, with the `|` that would end it escaped. */
function cell(markdown: string): string {
  return markdown.replace(/(?<!\\)\|/g, '\\|');
}

/** The default of a setting as the table shows it. */
export function shownDefault(setting: Setting): string {
  if (setting.shownDefault !== undefined) return setting.shownDefault;
  return typeof setting.default === 'string' && setting.default !== '' ? `\`${setting.default}\`` : 'unset';
}

/** The rows of the table, one per variable, by variable name. */
function rows(): Map<string, string> {
  return new Map(
    settingEntries().map(([name, setting]) => [
      name,
      `| \`${name}\` | ${cell(setting.meaning)} | ${cell(shownDefault(setting))} |`,
    ]),
  );
}

/** The table in markdown: its header and one row per variable, in the settings' order. */
export function renderConfigTable(): string {
  return [...HEADER, ...rows().values()].join('\n');
}

/** Where the table is in `page`: the text between the markers (throws when they are missing). */
function tableSpan(page: string): { start: number; end: number } {
  const start = page.indexOf(CONFIG_TABLE_START);
  const end = page.indexOf(CONFIG_TABLE_END);
  if (start < 0 || end < start)
    throw new Error(
      `${CONFIG_DOC_PATH} has no ${CONFIG_TABLE_START} … ${CONFIG_TABLE_END} markers around the configuration table`,
    );
  return { start: start + CONFIG_TABLE_START.length, end };
}

/** `page` with the table between the markers replaced by the one the settings make. */
export function withConfigTable(page: string): string {
  const { start, end } = tableSpan(page);
  return `${page.slice(0, start)}\n${renderConfigTable()}\n${page.slice(end)}`;
}

/**
 * How the table in `page` differs from the settings: one sentence per variable whose row is
 * missing, different or unknown, each saying how to regenerate the table; empty when in step.
 */
export function configTableDifferences(page: string): string[] {
  const { start, end } = tableSpan(page);
  const lines = page
    .slice(start, end)
    .split('\n')
    .filter((line) => line.trim() !== '');
  const fix = `run \`${CONFIG_DOCS_COMMAND}\` to write the table from src/config/settings.ts`;
  const where = `the table of ${CONFIG_DOC_PATH}`;
  const expected = rows();
  const found = new Map<string, string>();
  const differences: string[] = [];
  if (lines[0] !== HEADER[0] || lines[1] !== HEADER[1]) differences.push(`${where}: its header differs; ${fix}`);
  for (const line of lines.slice(2)) {
    const name = /^\| `([A-Z0-9_]+)` \|/.exec(line)?.[1];
    if (name === undefined) differences.push(`${where}: "${line}" is not a row of a variable; ${fix}`);
    else found.set(name, line);
  }
  for (const [name, row] of expected) {
    const actual = found.get(name);
    if (actual === undefined) differences.push(`${where} has no row for ${name}; ${fix}`);
    else if (actual !== row) differences.push(`${where}: the row of ${name} differs from its setting; ${fix}`);
  }
  for (const name of found.keys())
    if (!expected.has(name)) differences.push(`${where} has a row for ${name}, which no setting declares; ${fix}`);
  if (differences.length === 0 && [...found.keys()].join() !== [...expected.keys()].join())
    differences.push(`${where}: the rows are not in the settings' order; ${fix}`);
  return differences;
}
