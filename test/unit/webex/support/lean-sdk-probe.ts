/**
 * Run in a process of its own by `lean-sdk.test.ts` (the module cache is per process): installs
 * the lean SDK, loads the framework as the bot does, makes an SDK instance, and prints what was
 * loaded and which plugins the instance has, as one JSON line.
 */
import { createRequire } from 'node:module';
import { installLeanSdk } from '../../../../src/webex/lean-sdk.js';

const require = createRequire(import.meta.url);
installLeanSdk();
require('webex-node-bot-framework');
const frameworkEntry = require.resolve('webex-node-bot-framework');
const Webex = require(require.resolve('webex', { paths: [frameworkEntry] })) as {
  init(attrs: object): Record<string, unknown>;
};
const sdk = Webex.init({ credentials: { access_token: 'probe-token' }, config: { logger: { level: 'error' } } });
const loaded = Object.keys(require.cache).filter((k) => !k.startsWith('node:'));
const packagesLoaded = [
  ...new Set(loaded.map((k) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(k)?.[1]).filter(Boolean)),
].sort();
const plugins = [
  'messages',
  'rooms',
  'memberships',
  'people',
  'webhooks',
  'attachmentActions',
  'teams',
  'teamMemberships',
].filter((p) => typeof sdk[p] === 'object' && sdk[p] !== null);
const internal = sdk['internal'] as Record<string, unknown>;
process.stdout.write(
  `${JSON.stringify({
    packagesLoaded,
    plugins,
    internal: Object.keys(internal)
      .filter((k) => typeof internal[k] === 'object')
      .sort(),
  })}\n`,
);
process.exit(0);
