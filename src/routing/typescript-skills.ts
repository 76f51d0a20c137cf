/**
 * TypeScript skills outside the project's `skills/` folder, for the compiled bot.
 *
 * `npm start` runs the compiled copy (`dist/`), whose skills were compiled with it; a
 * `SKILLS_DIR` elsewhere may still hold `.ts` files. For those, and only then, the TypeScript
 * loader of the development tools (`tsx`, its `tsImport`, as `npm run dev` uses) is loaded. A production install has
 * no dev tools: the skill is then refused with what to do instead.
 */

type TsImport = (url: string, parentUrl: string) => Promise<unknown>;
let loader: Promise<TsImport | undefined> | undefined;

/** Imports the TypeScript module at `url` through tsx; resolves `undefined` when tsx is not installed. */
export async function importTypeScript(url: string): Promise<{ module: unknown } | undefined> {
  loader ??= import('tsx/esm/api').then(
    (tsx) => tsx.tsImport as TsImport,
    () => undefined,
  );
  const tsImport = await loader;
  return tsImport ? { module: await tsImport(url, import.meta.url) } : undefined;
}

/** Whether `err` is Node refusing to import a `.ts` file (no TypeScript loader registered). */
export function isUnloadableTypeScript(err: unknown, file: string): boolean {
  return file.endsWith('.ts') && (err as { code?: string }).code === 'ERR_UNKNOWN_FILE_EXTENSION';
}

/** What to tell the user when a `.ts` skill cannot be loaded by the compiled bot. */
export const TYPESCRIPT_SKILL_HINT =
  " (a TypeScript skill outside the project's skills/ folder, and no TypeScript loader installed: put it in skills/, which `npm start` compiles, or compile it to .js)";
