/**
 * The one place that loads the `webex` SDK, and the only way this project creates SDK instances.
 *
 * The framework `require`s its own copy of `webex`; we load exactly that copy so that the
 * instance-level configuration below applies to the framework's instance too. The SDK reads
 * its REST base URL (`hydra`) from `HYDRA_SERVICE_URL` at module load; instead of depending on
 * the process environment, every instance we create gets the base URL in its own config, so
 * several bots (in tests) can talk to several Webex emulators in one process. The module is the
 * SDK without the plugins a bot never uses (`lean-sdk.ts`).
 */
import { createRequire } from 'node:module';
import type { WebexSdk } from 'webex';
import { WEBEX_CLOUD_API_URL } from '../protocol/limits.js';
import { installLeanSdk } from './lean-sdk.js';
import { isRecord as isPlainObject } from '../util/is-record.js';

const require = createRequire(import.meta.url);

type WebexStatic = { init(options: Record<string, unknown>): WebexSdk };

let cachedWebex: WebexStatic | undefined;

/** The SDK module that `webex-node-bot-framework` itself uses (same module instance). */
export function loadWebexModule(): WebexStatic {
  if (!cachedWebex) {
    installLeanSdk();
    const frameworkEntry = require.resolve('webex-node-bot-framework');
    cachedWebex = require(require.resolve('webex', { paths: [frameworkEntry] })) as WebexStatic;
  }
  return cachedWebex;
}

/** A package of the SDK's own dependency tree (the copy the framework's SDK uses), e.g. `@webex/internal-plugin-mercury`. */
export function loadSdkPackage<T>(name: string): T {
  const webexEntry = require.resolve('webex', { paths: [require.resolve('webex-node-bot-framework')] });
  return require(require.resolve(name, { paths: [webexEntry] })) as T;
}

/** Options for SDK instances created by this project. */
export interface SdkOptions {
  /** REST base URL, e.g. `https://webexapis.com/v1` or an emulator's `http://127.0.0.1:4000/v1`. */
  apiUrl: string;
  /** More SDK config, merged over ours (websocket mode: the socket's logger and backoff). */
  config?: Record<string, unknown>;
}

/**
 * The SDK `config` for an instance talking to `apiUrl`.
 *
 * - `services.discovery.hydra` sends every REST call to `apiUrl` (token included).
 * - For anything but Webex's own cloud, the u2c catalog lookup the SDK does in the background
 *   is also pointed at `apiUrl`, so the SDK never reaches outside when run against an emulator.
 * - `people.batcherWait: 1`: the default people batcher waits 100 ms before each lookup, which
 *   adds ~100 ms to every event handled (measured; see docs/webex-facts.md).
 */
export function sdkConfigFor(options: SdkOptions): Record<string, unknown> {
  const apiUrl = options.apiUrl.replace(/\/+$/, '');
  const discovery: Record<string, string> = { hydra: apiUrl };
  if (apiUrl !== WEBEX_CLOUD_API_URL) discovery['u2c'] = apiUrl;
  const config = {
    services: { discovery },
    device: { preDiscoveryServices: { hydra: apiUrl, hydraServiceUrl: apiUrl } },
    people: { batcherWait: 1 },
  };
  return options.config ? merge(config, options.config) : config;
}

/** Deep merge of plain objects (right wins); used to add our SDK config to the framework's. */
function merge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = isPlainObject(prev) && isPlainObject(v) ? merge(prev, v) : v;
  }
  return out;
}

/**
 * Creates an SDK instance for `token` talking to `apiUrl`.
 *
 * @example
 * const webex = createWebexClient({ token, apiUrl: 'http://127.0.0.1:4000/v1' });
 * const me = await webex.people.get('me');
 */
export function createWebexClient(options: SdkOptions & { token: string }): WebexSdk {
  return loadWebexModule().init({
    credentials: { access_token: options.token },
    config: sdkConfigFor(options),
  });
}

/** The SDK's own request function: options in (`method`, `resource` or `uri`, `qs`...), `{ statusCode, headers, body }` out. */
export type SdkRequest = (
  options: Record<string, unknown>,
) => Promise<{ statusCode?: number; headers?: Record<string, unknown>; body?: unknown }>;

/**
 * The request function of an SDK instance for `token` at `apiUrl`: calls through the SDK's own
 * HTTP stack (so a proxy setting affects them as it affects the bot), with nothing of the bot's
 * (no governor, no retries). The doctor asks Webex this way.
 */
export function createSdkRequest(options: SdkOptions & { token: string }): SdkRequest {
  let sdk: WebexSdk | undefined;
  return (request) => {
    sdk ??= createWebexClient(options);
    return sdk.request(request);
  };
}

/**
 * Runs `start` (which must call `Webex.init` synchronously, as `framework.start()` does) with
 * our SDK configuration merged into that `init` call, and lets `decorate` adjust the new instance
 * before the caller sees it. The hook is removed before this function returns, so concurrent
 * starts of several frameworks do not interfere.
 */
export function withSdkConfig<T>(options: SdkOptions, decorate: (sdk: WebexSdk) => void, start: () => T): T {
  const Webex = loadWebexModule();
  const originalInit = Webex.init;
  let called = false;
  Webex.init = function hookedInit(this: unknown, initOptions: Record<string, unknown>): WebexSdk {
    called = true;
    const config = isPlainObject(initOptions['config']) ? initOptions['config'] : {};
    const sdk = originalInit.call(Webex, { ...initOptions, config: merge(config, sdkConfigFor(options)) });
    decorate(sdk);
    return sdk;
  };
  let result: T;
  try {
    result = start();
  } finally {
    Webex.init = originalInit;
  }
  // Only reached when start() itself succeeded: its own error is never hidden behind this one.
  if (!called) throw new Error('withSdkConfig: start() did not create an SDK instance synchronously');
  return result;
}
