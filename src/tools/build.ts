/**
 * `npm run build` (run, quietly, before `npm start`): compiles the bot once, so that the running process
 * holds no TypeScript compiler. Each file of `src/` and `skills/` becomes a JavaScript module
 * under `dist/` in the same place (no bundling: skills keep importing `../src/skill-kit/…`, the
 * same modules the core uses), and the chat page's static files are copied beside their router.
 * Type checking stays with `npm run typecheck`; this only strips the types (esbuild), in well
 * under a second.
 *
 * Several instances may start at once from one install: the build does nothing when `dist/` is
 * already built from the same sources, builds one at a time, and swaps a complete build into
 * place (see `build-output.ts`).
 */
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build, version as esbuildVersion } from 'esbuild';
import { projectLayout } from '../start/layout.js';
import { fingerprint, freshBuildDir, install, isCurrent, withLock } from './build-output.js';

const { root } = projectLayout(import.meta.url, 1);
const outdir = path.join(root, 'dist');
const publicDir = path.join(root, 'src/playground/public');

/** Every file under `dir` (none when it does not exist). */
const filesUnder = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => path.join(e.parentPath, e.name))
    : [];

/** Compiles `entryPoints` and copies the page's files into `target`. */
async function compile(entryPoints: readonly string[], target: string): Promise<void> {
  await build({
    entryPoints: [...entryPoints],
    outdir: target,
    outbase: root,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  cpSync(publicDir, path.join(target, 'src/playground/public'), { recursive: true });
}

async function main(): Promise<void> {
  const started = Date.now();
  const sources = ['src', 'skills'].flatMap((dir) => filesUnder(path.join(root, dir)));
  const entryPoints = sources.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !/\.test\.ts$/.test(f));
  // What the output depends on: the sources, the page's files, the compiler settings esbuild reads, esbuild.
  const inputs = [...entryPoints, ...filesUnder(publicDir), path.join(root, 'tsconfig.json')].filter((f) =>
    existsSync(f),
  );
  const stamp = fingerprint(root, inputs, [`esbuild ${esbuildVersion}`]);
  const say = (line: string): void => {
    // Quiet before `npm start`: its output is the bot's log (JSON lines in production).
    if (!process.argv.includes('--quiet')) process.stdout.write(`${line}\n`);
  };
  if (isCurrent(outdir, stamp)) return say('build: dist/ is up to date');
  await withLock(path.join(root, '.dist-lock'), async () => {
    if (isCurrent(outdir, stamp)) return say('build: dist/ is up to date (built by another process)');
    const target = freshBuildDir(outdir);
    try {
      await compile(entryPoints, target);
      install(target, outdir, stamp);
    } finally {
      rmSync(target, { recursive: true, force: true });
    }
    say(`build: ${entryPoints.length} files compiled to dist/ in ${Date.now() - started} ms`);
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`build failed: ${(err as Error)?.message ?? String(err)}\n`);
  process.exit(1);
});
