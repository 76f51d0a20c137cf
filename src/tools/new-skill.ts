/**
 * `npm run new-skill <name> [-- --root DIR]`: writes a new skill that works and is tested —
 * `skills/<name>.ts`, `cards/<name>.json` with `cards/<name>.data.json`, and
 * `test/skills/<name>.test.ts` (see `skill-template.ts`). A name that is not lower-case words
 * joined by dashes, or that is taken (a file that exists, a skill of that name, a command word
 * in use), is refused with the reason, and nothing is written.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { projectLayout } from '../start/layout.js';
import { writeCardTypes } from '../cards/card-types.js';
import { type LoadedSkill, loadSkills, SKILL_NAME } from '../routing/skill-loader.js';
import { formatNewFiles } from './format-new-files.js';
import { skillFiles } from './skill-template.js';

// The project in the working directory: this repository, or a user's bot project.
const projectRoot = projectLayout(import.meta.url, 1).root;

/** Why `name` cannot be a new skill in `root`, or `undefined` when it can. */
export async function refusal(name: string | undefined, root: string): Promise<string | undefined> {
  if (name === undefined || name === '')
    return 'give the new skill a name: npm run new-skill <name>, e.g. npm run new-skill stand-up';
  if (!SKILL_NAME.test(name))
    return `"${name}" is not a skill name: use lower-case letters and digits, words joined by dashes, starting with a letter (e.g. stand-up)`;
  const existing = Object.keys(skillFiles(name)).filter((f) => existsSync(path.join(root, f)));
  if (existing.length > 0)
    return `"${name}" is taken: ${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''}`;
  let skills: LoadedSkill[];
  try {
    skills = await loadSkills(path.join(root, 'skills'));
  } catch (err) {
    return `cannot check "${name}" against the existing skills, which do not load: ${(err as Error).message}`;
  }
  const sameName = skills.find((s) => s.info.name === name);
  if (sameName) return `"${name}" is taken: ${sameName.file} is already the skill "${name}"`;
  const sameWord = skills.find((s) => s.commands.some((c) => c.compiled?.prefix[0] === name));
  if (sameWord)
    return `"${name}" is taken: the skill "${sameWord.info.name}" (${sameWord.file}) already has commands starting with "${name}"`;
  return undefined;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { root: { type: 'string' } } });
  const root = path.resolve(values.root ?? projectRoot);
  const name = positionals[0];
  if (positionals.length > 1) {
    process.stderr.write(`new-skill: one name at a time (got ${positionals.length}: ${positionals.join(' ')})\n`);
    return 1;
  }
  const why = await refusal(name, root);
  if (why !== undefined) {
    process.stderr.write(`new-skill: ${why}\n`);
    return 1;
  }
  const files = skillFiles(name!);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content, { flag: 'wx' });
  }
  formatNewFiles(root, Object.keys(files)); // in the project's style, when it has a formatter
  writeCardTypes(path.join(root, 'cards')); // the new card's id and data, for the type check
  process.stdout.write(
    [
      `new-skill: created the skill "${name}":`,
      ...Object.keys(files).map((f) => `  ${f}`),
      '',
      `Try it: npm run dev, then type "${name}" in the chat playground.`,
      `Test it alone: npm test -- test/skills/${name}.test.ts`,
      '',
    ].join('\n'),
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`new-skill: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(2);
  },
);
