/**
 * The environment the configuration is read from: the process's, over a `.env` file's.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import type { Env } from './load.js';

/**
 * The process environment with a `.env` file's values underneath it (the real environment wins).
 *
 * @param envFile path of the `.env` file; a missing file is not an error.
 * @example
 * const config = loadConfig(readEnvironment()); // PORT from the environment, else from .env
 */
export function readEnvironment(envFile = '.env', env: Env = process.env): Record<string, string | undefined> {
  if (!existsSync(envFile)) return { ...env };
  const fromFile = parseEnv(readFileSync(envFile, 'utf8'));
  return { ...fromFile, ...env };
}
