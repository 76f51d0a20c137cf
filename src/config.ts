/**
 * Configuration: declared once in a table of settings (`src/config/settings.ts`), read and
 * validated in one place, frozen, documented in the README from the same table.
 *
 * `loadConfig(env)` is pure (it takes the environment as a parameter) so tests can pass any
 * environment; `readEnvironment()` merges a `.env` file (if present) under the real one.
 *
 * @example
 * const config = loadConfig(readEnvironment());
 * config.port; // 3000 unless PORT says otherwise
 */
export { readEnvironment } from './config/environment.js';
export { type Env, loadConfig } from './config/load.js';
export {
  CONFIG_VARIABLES,
  type Config,
  MIN_SECRET_LENGTH,
  SETTINGS,
  type Setting,
  type Transport,
  type VariableName,
  type WebexMode,
} from './config/settings.js';
