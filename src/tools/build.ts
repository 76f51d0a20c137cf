/**
 * `npm run build` (run, quietly, before `npm start`; `webex-skill-bot build` in a bot project):
 * compiles the project once, so that the running process holds no TypeScript compiler (see
 * `build-project.ts`). In this repository the toolkit's `src/` is compiled with the skills.
 * Exits 1 with the reason when the project cannot be built.
 */
import { isBotError } from '../errors.js';
import { projectLayout } from '../start/layout.js';
import { buildProject, toolkitSourcesOf } from './build-project.js';

const layout = projectLayout(import.meta.url, 1);

buildProject({
  root: layout.root,
  toolkitSources: toolkitSourcesOf(layout),
  quiet: process.argv.includes('--quiet'),
}).catch((err: unknown) => {
  process.stderr.write(`build failed: ${isBotError(err) ? err.message : ((err as Error)?.stack ?? String(err))}\n`);
  process.exit(1);
});
