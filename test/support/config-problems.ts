/**
 * The problems `loadConfig` reports for `env` (none when it loads), for tests of settings.
 */
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';

/** What `loadConfig(env)` refuses, as its `ConfigError` lists it; empty when `env` loads. */
export function configProblems(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}
