/**
 * Where the folders are, for the code running now. Two folders matter:
 *
 * - **the bot project** (package.json, `.env`, `skills/`, `cards/`, `data/`): the working
 *   directory, where `npm start` or `npx webex-skill-bot <command>` is run — this repository
 *   itself, or a user's project that depends on `webex-skill-bot`;
 * - **the toolkit** (this code, its package.json): this repository, or
 *   `node_modules/webex-skill-bot` in a user's project.
 *
 * The toolkit runs either as TypeScript sources under tsx (`src/…`, as `npm run dev` and the
 * tests run it here) or compiled (`dist/src/…`, as `npm start` runs it after the build, and as
 * the published package ships it). Compiled, it loads the project's skills from the project's
 * own build (`dist/skills/`, compiled by the build before start), so it needs no TypeScript tool.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folders of a running copy of the toolkit and of the bot project it serves. */
export interface ProjectLayout {
  /** The bot project's folder (package.json, `.env`, `cards/`, `data/`): the working directory. */
  readonly root: string;
  /** The toolkit's own folder (its package.json): this repository, or `node_modules/webex-skill-bot`. */
  readonly toolkitRoot: string;
  /** Whether the toolkit runs compiled (from `dist/`). */
  readonly compiled: boolean;
  /** The project's skills as this copy loads them: `skills/`, or the compiled `dist/skills/` when compiled. */
  readonly skillsDir: string;
}

/**
 * The layout for the module at `moduleUrl` (`import.meta.url`), which sits `depth` folders below
 * `src/` (0 for `src/main.ts`, 1 for `src/doctor/main.ts`), serving the project in `cwd`.
 */
export function projectLayout(moduleUrl: string, depth = 0, cwd = process.cwd()): ProjectLayout {
  const srcDir = path.resolve(path.dirname(fileURLToPath(moduleUrl)), ...Array<string>(depth).fill('..'));
  const parent = path.dirname(srcDir);
  const compiled = path.basename(parent) === 'dist';
  const toolkitRoot = compiled ? path.dirname(parent) : parent;
  const root = path.resolve(cwd);
  return { root, toolkitRoot, compiled, skillsDir: path.join(root, compiled ? 'dist/skills' : 'skills') };
}
