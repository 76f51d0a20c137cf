/**
 * Loading skills: every `*.ts` / `*.js` file in the skills folder is imported at start, and its
 * default export checked against the skill contract. A bad file stops start-up with an error
 * naming the file and what is wrong with it.
 *
 * Files whose names start with `_` or `.`, declaration files and `*.test.*` files are skipped,
 * so helpers can live next to skills. Files load in name order, which is also the order of
 * skills in help and the tie-breaker between equally specific commands.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { importTypeScript, isUnloadableTypeScript, TYPESCRIPT_SKILL_HINT } from './typescript-skills.js';
import { isBotError, SkillLoadError } from '../errors.js';
import { isRecord } from '../util/is-record.js';
import { compilePattern, describeToken, type CompiledPattern } from './pattern.js';
import type { InputSpec } from '../skill-kit/input-types.js';
import type { Command, CommandInfo, Skill, SkillInfo, SubmitHandler } from '../skill-kit/types.js';
import { checkInputSpec } from './form-spec.js';
import { checkCommandExtras, checkSkillExtras, hasJobs } from '../conversation/check-skill.js';

/** A command ready for matching. */
export interface LoadedCommand {
  readonly skill: string;
  readonly command: Command;
  /** Compiled text pattern, or undefined for a RegExp command. */
  readonly compiled: CompiledPattern | undefined;
  readonly priority: number;
  readonly info: CommandInfo;
}

/** A card-submit handler, with the inputs it declares when it is a `form({...})`. */
export interface LoadedSubmitHandler {
  readonly handle: SubmitHandler;
  readonly inputs: InputSpec | undefined;
}

/** A skill that passed the checks. */
export interface LoadedSkill {
  readonly skill: Skill;
  /** The file it came from (relative to the working directory), for error messages. */
  readonly file: string;
  readonly commands: readonly LoadedCommand[];
  readonly submitHandlers: ReadonlyMap<string, LoadedSubmitHandler>;
  readonly info: SkillInfo;
}

/** What a skill name looks like: lower-case words joined by dashes. */
export const SKILL_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const SKILL_FILE = /^[^_.].*\.(ts|mts|js|mjs)$/;

function checkCommand(file: string, skillName: string, raw: unknown, index: number): LoadedCommand {
  const where = `commands[${index}]`;
  if (!isRecord(raw)) throw new SkillLoadError(file, `${where} is not an object (use command({...}))`);
  const { pattern, help, examples, priority, handle, usage } = raw;
  if (typeof handle !== 'function') throw new SkillLoadError(file, `${where}: "handle" must be a function`);
  if (typeof help !== 'string' || help.trim() === '')
    throw new SkillLoadError(file, `${where}: "help" must say what the command does`);
  if (examples !== undefined && (!Array.isArray(examples) || examples.some((e) => typeof e !== 'string'))) {
    throw new SkillLoadError(file, `${where}: "examples" must be a list of strings`);
  }
  if (priority !== undefined && (typeof priority !== 'number' || !Number.isFinite(priority))) {
    throw new SkillLoadError(file, `${where}: "priority" must be a number`);
  }
  const extra = checkCommandExtras(raw);
  if (extra) throw new SkillLoadError(file, `${where}: ${extra}`);
  let compiled: CompiledPattern | undefined;
  let usageText: string;
  if (typeof pattern === 'string') {
    try {
      compiled = compilePattern(pattern);
    } catch (err) {
      if (isBotError(err, 'PATTERN_INVALID'))
        throw new SkillLoadError(file, `${where}: ${err.message}`, { cause: err });
      throw err;
    }
    usageText = compiled.tokens.map(describeToken).join(' ');
  } else if (pattern instanceof RegExp) {
    if (typeof usage !== 'string' || usage.trim() === '') {
      throw new SkillLoadError(file, `${where}: a RegExp command needs "usage" (how to type it, for help)`);
    }
    usageText = usage.trim();
  } else {
    throw new SkillLoadError(file, `${where}: "pattern" must be a string like 'echo <text...>' or a RegExp`);
  }
  return {
    skill: skillName,
    command: raw as unknown as Command,
    compiled,
    priority: typeof priority === 'number' ? priority : 0,
    info: {
      usage: usageText,
      help: help.trim(),
      examples: (examples as string[] | undefined) ?? [],
      withoutArguments: compiled?.tokens.every((t) => t.kind === 'literal' || t.optional)
        ? compiled.prefix.join(' ')
        : undefined,
    },
  };
}

/** The lifecycle hooks a skill may declare in `on`. */
const LIFECYCLE_HOOKS = ['botAdded', 'botRemoved', 'memberAdded', 'memberRemoved'] as const;

/** Checks `on` and `onFiles`; true when the skill declares any handler there. */
function checkLifecycle(file: string, on: unknown, onFiles: unknown): boolean {
  if (onFiles !== undefined && typeof onFiles !== 'function')
    throw new SkillLoadError(file, '"onFiles" must be a function (it gets the files of a message)');
  if (on === undefined) return onFiles !== undefined;
  if (!isRecord(on))
    throw new SkillLoadError(file, `"on" must be an object of handlers: ${LIFECYCLE_HOOKS.join(', ')}`);
  for (const [hook, handler] of Object.entries(on)) {
    if (!(LIFECYCLE_HOOKS as readonly string[]).includes(hook))
      throw new SkillLoadError(
        file,
        `on.${hook} is not a lifecycle event; the events are ${LIFECYCLE_HOOKS.join(', ')}`,
      );
    if (typeof handler !== 'function') throw new SkillLoadError(file, `on.${hook} must be a function`);
  }
  return Object.keys(on).length > 0 || onFiles !== undefined;
}

/**
 * Checks that `value` (a module's default export) is a valid skill.
 * @throws {SkillLoadError} naming `file` and the problem.
 */
export function checkSkill(file: string, value: unknown): LoadedSkill {
  if (!isRecord(value))
    throw new SkillLoadError(file, 'the default export must be a skill: export default defineSkill({...})');
  const { name, description, commands, onSubmit } = value;
  if (typeof name !== 'string' || !SKILL_NAME.test(name)) {
    throw new SkillLoadError(
      file,
      `"name" must be lower-case words joined by dashes, e.g. "stand-up" (got ${JSON.stringify(name)})`,
    );
  }
  if (typeof description !== 'string' || description.trim() === '')
    throw new SkillLoadError(file, '"description" must say what the skill does');
  if (commands !== undefined && !Array.isArray(commands)) throw new SkillLoadError(file, '"commands" must be a list');
  if (onSubmit !== undefined && !isRecord(onSubmit))
    throw new SkillLoadError(file, '"onSubmit" must map card ids to handler functions');
  const extras = checkSkillExtras(value, name);
  if (extras) throw new SkillLoadError(file, extras);
  const loadedCommands = ((commands as unknown[] | undefined) ?? []).map((c, i) => checkCommand(file, name, c, i));
  const submitHandlers = new Map<string, LoadedSubmitHandler>();
  for (const [cardId, handler] of Object.entries((onSubmit as Record<string, unknown> | undefined) ?? {})) {
    if (typeof handler === 'function') {
      submitHandlers.set(cardId, { handle: handler as SubmitHandler, inputs: undefined });
    } else if (isRecord(handler) && typeof handler['handle'] === 'function') {
      const problem = checkInputSpec(handler['inputs']);
      if (problem) throw new SkillLoadError(file, `onSubmit["${cardId}"]: ${problem}`);
      submitHandlers.set(cardId, {
        handle: handler['handle'] as SubmitHandler,
        inputs: handler['inputs'] as InputSpec,
      });
    } else {
      throw new SkillLoadError(file, `onSubmit["${cardId}"] must be a function or form({ inputs, handle })`);
    }
  }
  const lifecycle = checkLifecycle(file, value['on'], value['onFiles']);
  if (loadedCommands.length === 0 && submitHandlers.size === 0 && !lifecycle && !hasJobs(value)) {
    throw new SkillLoadError(
      file,
      'the skill has no commands, no onSubmit, onFiles, lifecycle (on) handlers or jobs, so it can never run',
    );
  }
  return {
    skill: value as unknown as Skill,
    file,
    commands: loadedCommands,
    submitHandlers,
    info: { name, description: description.trim(), commands: loadedCommands.map((c) => c.info) },
  };
}

/**
 * Checks a set of skills against each other: unique names, one owner per card, and every card
 * an `onSubmit` names exists among `cardIds`.
 * @throws {SkillLoadError}
 */
export function checkSkillSet(skills: readonly LoadedSkill[], cardIds: ReadonlySet<string>): void {
  const names = new Map<string, string>();
  const owners = new Map<string, string>();
  for (const s of skills) {
    const other = names.get(s.info.name);
    if (other) throw new SkillLoadError(s.file, `skill name "${s.info.name}" is already used by ${other}`);
    names.set(s.info.name, s.file);
    for (const cardId of s.submitHandlers.keys()) {
      if (cardId !== '*' && !cardIds.has(cardId)) {
        throw new SkillLoadError(s.file, `onSubmit["${cardId}"]: there is no cards/${cardId}.json`);
      }
      const owner = owners.get(cardId);
      if (owner) {
        throw new SkillLoadError(
          s.file,
          cardId === '*'
            ? `onSubmit["*"] is already taken by ${owner}: only one skill can receive cards nobody owns`
            : `card "${cardId}" is already handled by ${owner}: a card has one owner`,
        );
      }
      owners.set(cardId, s.file);
    }
  }
}

/** Imports a module by URL (default: `import()`; a reloader passes one that bypasses the module cache). */
export type ModuleImporter = (url: string) => Promise<unknown>;

/**
 * Imports and checks every skill file in `dir`.
 * @throws {SkillLoadError} for the first bad file (import error, bad export, bad command).
 */
export async function loadSkills(dir: string, importer: ModuleImporter = (url) => import(url)): Promise<LoadedSkill[]> {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => SKILL_FILE.test(f) && !f.endsWith('.d.ts') && !/\.test\./.test(f))
      .sort();
  } catch (err) {
    throw new SkillLoadError(dir, `cannot read the skills folder: ${(err as Error).message}`, { cause: err });
  }
  const loaded: LoadedSkill[] = [];
  for (const f of files) {
    const full = path.resolve(dir, f);
    const shown = path.relative(process.cwd(), full) || full;
    let mod: { default?: unknown };
    const url = pathToFileURL(full).href;
    try {
      mod = (await importer(url)) as { default?: unknown };
    } catch (err) {
      // The compiled bot (`npm start`) has no TypeScript loader until a .ts skill needs one.
      if (!isUnloadableTypeScript(err, f))
        throw new SkillLoadError(shown, `failed to load: ${(err as Error).message}`, { cause: err });
      let imported: { module: unknown } | undefined;
      try {
        imported = await importTypeScript(url);
      } catch (again) {
        throw new SkillLoadError(shown, `failed to load: ${(again as Error).message}`, { cause: again });
      }
      if (!imported)
        throw new SkillLoadError(shown, `failed to load: ${(err as Error).message}${TYPESCRIPT_SKILL_HINT}`, {
          cause: err,
        });
      mod = imported.module as { default?: unknown };
    }
    // A file compiled as CommonJS (outside a `"type": "module"` package) arrives wrapped once more.
    const wrapped = mod.default as { __esModule?: unknown; default?: unknown } | undefined;
    loaded.push(
      checkSkill(
        shown,
        wrapped !== null && typeof wrapped === 'object' && wrapped.__esModule === true ? wrapped.default : mod.default,
      ),
    );
  }
  return loaded;
}
