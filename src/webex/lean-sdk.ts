/**
 * The `webex` SDK without what a bot never uses. The SDK's main module loads every plugin it has
 * — meetings (with its media stack), calendar, presence, support, device manager — about 14 MB of
 * memory in every bot process (measured: 127 MB → 113 MB for the framework loaded alone). This
 * module is the same class built the same way (`WebexCore.extend`, the package's own config),
 * with the plugins the framework and the bot use: authorization, device and the event socket
 * (websocket mode), messages, memberships, rooms, people, webhooks, teams, attachment actions,
 * logger. It leaves out Babel's global polyfill too (core-js 2, about 18 MB and a fifth of the
 * load time): the plugins import what they need from `@babel/runtime-corejs2`, and the global one
 * only replaces Node's own built-ins (`String.prototype.trim` among them) with slower copies.
 *
 * It leaves out the internal conversation plugin too, and with it the encryption plugin (its KMS
 * client, JOSE and certificate code: about 9 MB of memory). Four public plugins (messages, rooms,
 * memberships, attachment actions) import it for their side effect alone; what calls it are the
 * read-status methods (`rooms.listWithReadStatus`, `rooms.getWithReadStatus`,
 * `memberships.listWithReadStatus`, `memberships.updateLastSeen`) and decrypting event-socket
 * activities, none of which the framework or the bot uses (websocket mode reads only the ids of
 * an activity, which are not encrypted). Those methods do not work with this SDK.
 *
 * It takes the place of the package's main module in Node's module cache, under the path the
 * framework resolves `webex` to, so that the framework's own `require('webex')` gets it; it must
 * be put there before the framework is first loaded (`loadWebexModule` and `createFramework` do).
 */
import { createRequire, Module } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** The plugins a bot uses, in the order the SDK's main module loads them. */
const BOT_PLUGINS = [
  '@webex/plugin-authorization',
  '@webex/internal-plugin-device',
  '@webex/plugin-attachment-actions',
  '@webex/plugin-logger',
  '@webex/plugin-messages',
  '@webex/plugin-memberships',
  '@webex/plugin-people',
  '@webex/plugin-rooms',
  '@webex/plugin-teams',
  '@webex/plugin-team-memberships',
  '@webex/plugin-webhooks',
] as const;

/** Internal plugins the bot plugins import but the bot never calls (see above). */
const LEFT_OUT = ['@webex/internal-plugin-conversation'] as const;

let installed = false;

/** Puts `exports` in Node's module cache as the module at `filename`. */
function cacheModule(filename: string, exports: unknown): void {
  const entry = new Module(filename);
  entry.filename = filename;
  entry.loaded = true;
  entry.exports = exports;
  require.cache[filename] = entry;
}

/** Puts the lean SDK in the module cache for the framework (once; a no-op after the real one was loaded). */
export function installLeanSdk(): void {
  if (installed) return;
  installed = true;
  const frameworkEntry = require.resolve('webex-node-bot-framework');
  const webexMain = require.resolve('webex', { paths: [frameworkEntry] });
  if (require.cache[webexMain]) return; // the full SDK is loaded already: keep that one
  const resolveFromSdk = (name: string): string => require.resolve(name, { paths: [webexMain] });
  const fromSdk = <T>(name: string): T => require(resolveFromSdk(name)) as T;
  for (const name of LEFT_OUT) {
    const filename = resolveFromSdk(name);
    if (!require.cache[filename]) cacheModule(filename, {});
  }
  for (const plugin of BOT_PLUGINS) fromSdk(plugin);
  const merge = fromSdk<(target: object, ...sources: unknown[]) => Record<string, unknown>>('lodash/merge');
  const WebexCore = fromSdk<{ default: { extend(props: object): new (attrs: object) => unknown } }>(
    '@webex/webex-core',
  ).default;
  const config = require(path.join(path.dirname(webexMain), 'config')) as object;
  const { version } = require(path.join(path.dirname(webexMain), '..', 'package.json')) as { version: string };
  const Webex = WebexCore.extend({ webex: true, version }) as (new (
    attrs: object,
  ) => unknown) & { init?: (attrs?: Record<string, unknown>) => unknown };
  Webex.init = (attrs: Record<string, unknown> = {}) =>
    new Webex({ ...attrs, config: merge({}, config, attrs['config']) });
  cacheModule(webexMain, Webex);
}
