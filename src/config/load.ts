/**
 * `loadConfig`: the environment read through the settings table, the rules over several
 * settings applied, every problem gathered into one `ConfigError`, the result frozen.
 */
import { ConfigError } from '../errors.js';
import { Invalid, type ParseContext } from './parsers.js';
import { CROSS_CHECKS, DERIVED_DEFAULTS, type GivenValues } from './rules.js';
import {
  type Config,
  type DerivedName,
  type Setting,
  type SettingValues,
  settingEntries,
  type VariableName,
} from './settings.js';

/** An environment: variable names to their text. */
export type Env = Readonly<Record<string, string | undefined>>;

/** The text of each variable of the table that is set; blank counts as unset. */
function givenValues(env: Env): GivenValues {
  const given: Partial<Record<VariableName, string>> = {};
  for (const [name] of settingEntries()) {
    const text = env[name]?.trim();
    if (text !== undefined && text !== '') given[name] = text;
  }
  return given;
}

/** The value of one setting: the given text read, else (or when it is bad) the default read. */
function readSetting(setting: Setting, text: string | undefined, context: ParseContext, problems: string[]): unknown {
  if (text !== undefined) {
    const value = setting.parse(text, context);
    if (!(value instanceof Invalid)) return value;
    problems.push(...value.problems);
  }
  if (typeof setting.default !== 'string') return undefined;
  const fallback = setting.parse(setting.default, context);
  if (!(fallback instanceof Invalid)) return fallback;
  problems.push(`the settings table's default of ${context.name} is invalid: ${fallback.problems.join('; ')}`);
  return undefined;
}

/** Every setting read by the table alone; the derived defaults are still missing. */
function readSettings(given: GivenValues, projectRoot: string, problems: string[]): SettingValues {
  const values: Record<string, unknown> = {};
  for (const [name, setting] of settingEntries())
    values[name] = readSetting(setting, given[name], { name, projectRoot }, problems);
  return values as SettingValues;
}

/** Fills the settings left unset whose defaults depend on other settings. */
function deriveDefaults(given: GivenValues, values: SettingValues): void {
  for (const name of Object.keys(DERIVED_DEFAULTS) as DerivedName[]) {
    if (values[name] !== undefined) continue;
    const derive = DERIVED_DEFAULTS[name] as (given: GivenValues, values: SettingValues) => SettingValues[typeof name];
    (values as Record<DerivedName, unknown>)[name] = derive(given, values);
  }
}

/** The problems of combinations of settings. */
function crossCheck(given: GivenValues, values: SettingValues): string[] {
  return CROSS_CHECKS.map((check) => check(given, values)).filter((problem) => problem !== undefined);
}

/** The `Config` the values fill: one field per `key`, objects for the fields several settings fill. */
function assemble(given: GivenValues, values: SettingValues): Config {
  const config: Record<string, unknown> = { mode: given.WEBEX_BOT_TOKEN === undefined ? 'emulator' : 'webex' };
  const groups = new Map<string, { fields: Record<string, unknown>; on: boolean; switched: boolean }>();
  for (const [name, setting] of settingEntries()) {
    const value = values[name];
    if (setting.field === undefined && setting.switch === undefined) {
      config[setting.key] = value;
      continue;
    }
    const group = groups.get(setting.key) ?? { fields: {}, on: false, switched: false };
    groups.set(setting.key, group);
    if (setting.switch) {
      group.switched = true;
      group.on ||= value === true;
    } else if (setting.field !== undefined && value !== undefined) {
      group.fields[setting.field] = value;
      group.on = true;
    }
  }
  for (const [key, group] of groups)
    config[key] = group.on || !group.switched ? Object.freeze(group.fields) : undefined;
  return Object.freeze(config) as Config;
}

/**
 * Validates the environment and returns the frozen configuration.
 *
 * @throws {ConfigError} listing every problem found (not only the first).
 * @example
 * const config = loadConfig({ WEBEX_BOT_TOKEN: 't', WEBHOOK_URL: 'https://bot.example.com/webhook', WEBHOOK_SECRET: '…' });
 * const socketBot = loadConfig({ WEBEX_BOT_TOKEN: 't' }); // transport: 'websocket'
 */
export function loadConfig(env: Env = process.env, projectRoot = process.cwd()): Config {
  const problems: string[] = [];
  const given = givenValues(env);
  const values = readSettings(given, projectRoot, problems);
  deriveDefaults(given, values);
  problems.push(...crossCheck(given, values));
  if (problems.length > 0) throw new ConfigError(problems);
  return assemble(given, values);
}
