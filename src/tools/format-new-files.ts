/**
 * New files written in the project's own style: when the project has Biome (this repository
 * does; a project made by `init` does not), the files a tool wrote are put through its
 * formatter, so that a lint step (`npm test` here) passes on them at once. Without Biome, or
 * when it fails, the files stay as written: formatting is a courtesy, never a reason to fail.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Formats `files` (paths relative to `root`) with the project's Biome; `true` when it did. */
export function formatNewFiles(root: string, files: readonly string[]): boolean {
  let biome: string;
  try {
    const require = createRequire(path.join(root, 'package.json'));
    biome = path.join(path.dirname(require.resolve('@biomejs/biome/package.json')), 'bin', 'biome');
  } catch {
    return false; // the project does not use Biome
  }
  const formatted = spawnSync(process.execPath, [biome, 'format', '--write', ...files], { cwd: root, stdio: 'ignore' });
  return formatted.status === 0;
}
