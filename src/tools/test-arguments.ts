/**
 * How `npm test` runs mocha (see `run-tests.ts`): the project's `.mocharc.json` turned into
 * command-line options, with its `spec` replaced by the files named, if any.
 */

/** A `.mocharc.json`: option name → value, as mocha reads it. */
export type MochaConfig = Readonly<Record<string, unknown>>;

/** Mocha's options when the project sets none. */
export const DEFAULT_MOCHA_CONFIG: MochaConfig = {
  spec: ['test/**/*.test.ts'],
  extension: ['ts'],
  timeout: 20000,
  reporter: 'spec',
};

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

/**
 * Node's and mocha's arguments: TypeScript loaded by tsx (`tsxUrl`, the toolkit's own) in the
 * test process, `config` over the defaults, and `files` (when any) instead of its `spec`.
 * @example
 * mochaArguments({ timeout: 5000 }, ['test/a.test.ts'], 'file:///tsx.mjs').mochaArgs
 * // → ['--no-config', '--extension', 'ts', '--timeout', '5000', '--reporter', 'spec', 'test/a.test.ts']
 */
export function mochaArguments(
  config: MochaConfig,
  files: readonly string[],
  tsxUrl: string,
): { nodeArgs: string[]; mochaArgs: string[] } {
  const { spec, ...options } = { ...DEFAULT_MOCHA_CONFIG, ...config };
  const nodeArgs = ['--import', tsxUrl];
  const mochaArgs = ['--no-config'];
  for (const [key, value] of Object.entries(options)) {
    // tsx is loaded in the test process already; other Node options go through mocha.
    const values = key === 'node-option' ? asList(value).filter((v) => v !== 'import=tsx') : asList(value);
    for (const v of values) {
      if (v === true) mochaArgs.push(`--${key}`);
      else if (v === false) mochaArgs.push(`--no-${key}`);
      else mochaArgs.push(`--${key}`, String(v));
    }
  }
  mochaArgs.push(...(files.length > 0 ? files : asList(spec).map(String)));
  return { nodeArgs, mochaArgs };
}
