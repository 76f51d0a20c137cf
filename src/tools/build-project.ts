/**
 * The build before start: compiles a bot project's TypeScript once, so that the running process
 * holds no TypeScript compiler. Each file of the project's `skills/` becomes a JavaScript module
 * under the project's `dist/skills/` in the same place (no bundling: a skill keeps importing
 * `webex-skill-bot`, which Node resolves to the toolkit's compiled skill kit, the very modules the
 * core uses). Type checking stays with `tsc`; this only strips the types (esbuild), in well under
 * a second.
 *
 * In this repository, where the project is the toolkit's own checkout, `src/` is compiled beside
 * it (to `dist/src/`) and the chat page's static files are copied beside their router: that is the
 * compiled toolkit `npm start` runs, and what the published package ships.
 *
 * Several instances may start at once from one install: the build does nothing when `dist/` is
 * already built from the same sources, builds one at a time, and swaps a complete build into
 * place (see `build-output.ts`).
 */
import { cpSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build, version as esbuildVersion } from 'esbuild';
import { writeCardTypes } from '../cards/card-types.js';
import { BuildError } from '../errors.js';
import type { ProjectLayout } from '../start/layout.js';
import { fingerprint, freshBuildDir, install, isCurrent, withLock } from './build-output.js';

/** What to build. */
export interface BuildOptions {
  /** The bot project (its `skills/` and `dist/`). */
  readonly root: string;
  /** The toolkit's checkout when it is to be compiled too (this repository); absent for a user's project. */
  readonly toolkitSources?: string;
  /** Say nothing (before `npm start`, whose output is the bot's log). */
  readonly quiet?: boolean;
}

/**
 * The toolkit's sources to compile with the project: this repository's own, when it is the
 * project and runs from its sources (`npm run build`, `npm start`'s pre-start build); none for a
 * user's project, whose toolkit comes compiled in `node_modules/webex-skill-bot`.
 */
export function toolkitSourcesOf(layout: ProjectLayout): string | undefined {
  return !layout.compiled && layout.root === layout.toolkitRoot && existsSync(path.join(layout.toolkitRoot, 'src'))
    ? layout.toolkitRoot
    : undefined;
}

/** Every file under `dir` (none when it does not exist). */
export const filesUnder = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => path.join(e.parentPath, e.name))
    : [];

const compilable = (f: string): boolean => /\.(ts|mts)$/.test(f) && !f.endsWith('.d.ts') && !/\.test\.[mc]?ts$/.test(f);

/** Refuses a project whose `.js` files Node would not read as ES modules (the build writes ES modules). */
function checkModuleType(root: string): void {
  let type: unknown;
  try {
    type = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { type?: unknown }).type;
  } catch {
    return; // no package.json: Node's default resolution applies, nothing to tell
  }
  if (type !== 'module')
    throw new BuildError(
      `${path.join(root, 'package.json')} must say "type": "module": the build writes skills as ES modules`,
    );
}

/**
 * Compiles the project in `options.root` into its `dist/` (nothing when it is current).
 * @throws {BuildError} when the project cannot be built (esbuild's message included).
 */
export async function buildProject(options: BuildOptions): Promise<void> {
  const { root, toolkitSources } = options;
  const started = Date.now();
  // The cards' types for the type check (cards/cards.d.ts), when a card changed.
  writeCardTypes(path.join(root, 'cards'));
  const outdir = path.join(root, 'dist');
  const publicDir = toolkitSources ? path.join(toolkitSources, 'src/playground/public') : undefined;
  const sourceDirs = [path.join(root, 'skills'), ...(toolkitSources ? [path.join(toolkitSources, 'src')] : [])];
  const entryPoints = sourceDirs.flatMap(filesUnder).filter(compilable);
  if (!toolkitSources) checkModuleType(root);
  // What the output depends on: the sources, the page's files, the compiler settings esbuild reads, esbuild.
  const inputs = [...entryPoints, ...(publicDir ? filesUnder(publicDir) : []), path.join(root, 'tsconfig.json')].filter(
    (f) => existsSync(f),
  );
  const stamp = fingerprint(root, inputs, [`esbuild ${esbuildVersion}`]);
  const say = (line: string): void => {
    if (!options.quiet) process.stdout.write(`${line}\n`);
  };
  if (isCurrent(outdir, stamp)) return say('build: dist/ is up to date');
  await withLock(path.join(root, '.dist-lock'), async () => {
    if (isCurrent(outdir, stamp)) return say('build: dist/ is up to date (built by another process)');
    const target = freshBuildDir(outdir);
    try {
      await build({
        entryPoints,
        outdir: target,
        outbase: root,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        sourcemap: 'linked',
        logLevel: 'silent',
      }).catch((err: unknown) => {
        throw new BuildError(`the build failed: ${(err as Error).message}`, { cause: err });
      });
      if (publicDir) cpSync(publicDir, path.join(target, 'src/playground/public'), { recursive: true });
      install(target, outdir, stamp);
    } finally {
      rmSync(target, { recursive: true, force: true });
    }
    say(`build: ${entryPoints.length} files compiled to dist/ in ${Date.now() - started} ms`);
  });
}
