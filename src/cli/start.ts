/**
 * `webex-skill-bot start`: the project's build (its skills compiled to `dist/skills/`, nothing
 * when current), then the bot, in this process — what `npm start` does in this repository.
 */
import { isBotError } from '../errors.js';
import { fail } from '../start/launch.js';
import { projectLayout } from '../start/layout.js';
import { buildProject, toolkitSourcesOf } from '../tools/build-project.js';

const layout = projectLayout(import.meta.url, 1);
try {
  await buildProject({ root: layout.root, toolkitSources: toolkitSourcesOf(layout), quiet: true });
} catch (err) {
  if (isBotError(err, 'BUILD_FAILED')) fail(`Could not start the bot: ${err.message}`);
  throw err;
}
await import('../main.js');
