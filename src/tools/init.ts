/**
 * `npx webex-skill-bot init <folder> [--toolkit <npm spec>]`: writes a new bot project in
 * `<folder>` (see `project-template.ts`), refusing a folder that holds anything already. Its
 * dependency on `webex-skill-bot` is this version (`^<version>`) unless `--toolkit` says
 * otherwise (a tarball, a path, a tag).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { projectLayout } from '../start/layout.js';
import { EXAMPLE_SKILL, packageNameOf, projectFiles } from './project-template.js';

const { toolkitRoot } = projectLayout(import.meta.url, 1);

/** The help skill's files, as the toolkit ships them. */
const HELP_FILES = ['skills/help.ts', 'cards/help.json', 'cards/help.data.json'];

/** The development tools a project's tests and type check use, at the versions the toolkit is tested with. */
const PROJECT_DEV_TOOLS = ['@types/chai', '@types/mocha', '@types/node', 'chai', 'mocha', 'typescript'];

interface ToolkitManifest {
  version: string;
  engines?: { node?: string };
  devDependencies?: Record<string, string>;
}

/** Why `dir` cannot take a new project, or undefined when it can (missing, empty, or only a git repository). */
export function folderRefusal(dir: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  let entries: string[];
  try {
    entries = readdirSync(dir).filter((e) => e !== '.git');
  } catch {
    return `${dir} is not a folder`;
  }
  if (entries.length === 0) return undefined;
  const shown = entries.slice(0, 5).join(', ') + (entries.length > 5 ? ', …' : '');
  return `${dir} is not empty (${shown}): give a new folder, or an empty one, so that nothing of yours is overwritten`;
}

/**
 * Writes the cards' types; false when the toolkit's dependencies are not installed (init needs
 * none of them: it can run from the package alone).
 */
async function cardTypesWritten(cardsDir: string): Promise<boolean> {
  let cardTypes: typeof import('../cards/card-types.js');
  try {
    cardTypes = await import('../cards/card-types.js');
  } catch {
    return false;
  }
  cardTypes.writeCardTypes(cardsDir);
  return true;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { toolkit: { type: 'string' } } });
  if (positionals.length !== 1) {
    process.stderr.write("init: give the new project's folder: npx webex-skill-bot init <folder>, e.g. init my-bot\n");
    return 1;
  }
  const dir = path.resolve(positionals[0]!);
  const refusal = folderRefusal(dir);
  if (refusal) {
    process.stderr.write(`init: ${refusal}\n`);
    return 1;
  }
  const manifest = JSON.parse(readFileSync(path.join(toolkitRoot, 'package.json'), 'utf8')) as ToolkitManifest;
  const devDependencies = Object.fromEntries(
    PROJECT_DEV_TOOLS.map((name) => [name, manifest.devDependencies?.[name] ?? 'latest']),
  );
  const help = Object.fromEntries(HELP_FILES.map((f) => [f, readFileSync(path.join(toolkitRoot, f), 'utf8')]));
  const files = projectFiles(
    {
      name: packageNameOf(path.basename(dir)),
      toolkit: values.toolkit ?? `^${manifest.version}`,
      devDependencies,
      node: manifest.engines?.node ?? '>=20',
    },
    help,
  );
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content, { flag: 'wx' });
  }
  const typed = await cardTypesWritten(path.join(dir, 'cards'));
  const shown = path.relative(process.cwd(), dir) || '.';
  process.stdout.write(
    [
      `init: a new bot project in ${shown}/:`,
      ...Object.keys(files).map((f) => `  ${f}`),
      typed
        ? "  cards/cards.d.ts (generated: the cards' ids and data, for the type check)"
        : "  (cards/cards.d.ts, the cards' types, is written by the first npm test or npm start)",
      '',
      'Next:',
      `  cd ${shown}`,
      '  npm install',
      '  npm start          # the bot against the built-in Webex emulator; open the chat playground it prints',
      '  npm test           # the type check and every test (what CI runs)',
      `  npm test -- test/skills/${EXAMPLE_SKILL}.test.ts   # one test file alone`,
      '',
    ].join('\n'),
  );
  return 0;
}

process.exit(await main());
