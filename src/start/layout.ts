/**
 * Where the project's folders are, for the code running now: the TypeScript sources under tsx
 * (`src/…`, as `npm run dev` and the tests run them), or the compiled copy (`dist/src/…`, as
 * `npm start` runs it after `npm run build`).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folders of a running copy of the project. */
export interface ProjectLayout {
  /** The project's root (package.json, `.env`, `cards/`, `data/`), in both cases. */
  readonly root: string;
  /** Whether this is the compiled copy under `dist/`. */
  readonly compiled: boolean;
  /** The skills shipped with the project, as this copy loads them: `skills/` or the compiled `dist/skills/`. */
  readonly skillsDir: string;
}

/**
 * The layout for the module at `moduleUrl` (`import.meta.url`), which sits `depth` folders below
 * `src/` (0 for `src/main.ts`, 1 for `src/doctor/main.ts`).
 */
export function projectLayout(moduleUrl: string, depth = 0): ProjectLayout {
  const srcDir = path.resolve(path.dirname(fileURLToPath(moduleUrl)), ...Array<string>(depth).fill('..'));
  const parent = path.dirname(srcDir);
  const compiled = path.basename(parent) === 'dist';
  const root = compiled ? path.dirname(parent) : parent;
  return { root, compiled, skillsDir: compiled ? path.join(parent, 'skills') : path.join(root, 'skills') };
}
