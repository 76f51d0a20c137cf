/**
 * `npm run build` (run, quietly, before `npm start`): compiles the bot once, so that the running process
 * holds no TypeScript compiler. Each file of `src/` and `skills/` becomes a JavaScript module
 * under `dist/` in the same place (no bundling: skills keep importing `../src/skill-kit/…`, the
 * same modules the core uses), and the chat page's static files are copied beside their router.
 * Type checking stays with `npm run typecheck`; this only strips the types (esbuild), in well
 * under a second.
 */
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { projectLayout } from '../start/layout.js';

const { root } = projectLayout(import.meta.url, 1);
const outdir = path.join(root, 'dist');

async function main(): Promise<void> {
  const started = Date.now();
  rmSync(outdir, { recursive: true, force: true });
  const entryPoints = ['src', 'skills']
    .map((dir) => path.join(root, dir))
    .filter((dir) => existsSync(dir))
    .flatMap((dir) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => path.join(dir, f)))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !/\.test\.ts$/.test(f));
  await build({
    entryPoints,
    outdir,
    outbase: root,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  cpSync(path.join(root, 'src/playground/public'), path.join(outdir, 'src/playground/public'), { recursive: true });
  // Quiet before `npm start`: its output is the bot's log (JSON lines in production).
  if (!process.argv.includes('--quiet'))
    process.stdout.write(`build: ${entryPoints.length} files compiled to dist/ in ${Date.now() - started} ms\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`build failed: ${(err as Error)?.message ?? String(err)}\n`);
  process.exit(1);
});
