/**
 * `npm run pack:release`, at each release: packs the package (`npm pack`, which builds it first)
 * into `test/fixtures/release/`, in place of the previous release's tarball. The package test
 * (test/package/) creates a project from that tarball — the last release — and upgrades it to
 * the package as it is now, so every change is checked against what users of the last release
 * have. Commit the new tarball with the release.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { projectLayout } from '../start/layout.js';

/** Where the last release's tarball is kept, relative to the repository. */
const RELEASE_FIXTURES = 'test/fixtures/release';

const { toolkitRoot } = projectLayout(import.meta.url, 1);
const folder = path.join(toolkitRoot, RELEASE_FIXTURES);
mkdirSync(folder, { recursive: true });
const before = readdirSync(folder).filter((f) => f.endsWith('.tgz'));
const r = spawnSync('npm', ['pack', '--pack-destination', folder], {
  cwd: toolkitRoot,
  stdio: ['ignore', 'pipe', 'inherit'],
  encoding: 'utf8',
});
if (r.status !== 0) process.exit(r.status ?? 1);
const made = r.stdout.trim().split('\n').at(-1)!;
for (const old of before) if (old !== made) rmSync(path.join(folder, old));
process.stdout.write(`pack:release: ${RELEASE_FIXTURES}/${made} (commit it with the release)\n`);
