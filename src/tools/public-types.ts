/**
 * `npm run build:types`: the package's public types, and the API report that
 * keeps them from changing by accident.
 *
 * 1. `tsc` emits declarations for the two entry points (`src/skill-kit/index.ts`, the main
 *    entry, and `src/testing/index.ts`, `webex-skill-bot/testing`) into `.types-build/`.
 * 2. API Extractor rolls each entry's declarations up into one file the package ships
 *    (`dist-types/index.d.ts`, `dist-types/testing.d.ts`: only what the entry exports, nothing
 *    internal), and writes its report, `etc/webex-skill-bot*.api.md`: every exported declaration
 *    with its signature. A type an export uses but the entry does not export is an error (users
 *    could not name it).
 *
 * With `--check` (the test suite, and `npm pack`: no package is made whose types are not in the
 * report) the report is not written, and it fails when the public types differ from it. A change
 * to the public surface is then either a mistake to undo, or a decision: run
 * `npm run build:types`, commit the report, say it in CHANGELOG.md (a removal or an incompatible
 * change needs a new major version).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Extractor, ExtractorConfig, ExtractorLogLevel, type ExtractorMessage } from '@microsoft/api-extractor';
import { projectLayout } from '../start/layout.js';

const { toolkitRoot: root } = projectLayout(import.meta.url, 1);
const check = process.argv.includes('--check');
/** The command that brings the report and the shipped declarations up to date. */
export const REGENERATE = 'npm run build:types';

/** The entry points: the emitted declaration, the rolled-up file the package ships, the report's name. */
const ENTRIES = [
  { declaration: 'skill-kit/index.d.ts', rollup: 'index.d.ts', report: 'webex-skill-bot.api.md' },
  { declaration: 'testing/index.d.ts', rollup: 'testing.d.ts', report: 'webex-skill-bot-testing.api.md' },
] as const;

function emitDeclarations(): void {
  rmSync(path.join(root, '.types-build'), { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.types.json'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tsc could not emit the declarations:\n${r.stdout}${r.stderr}`);
}

function extract(entry: (typeof ENTRIES)[number]): { ok: boolean; changed: boolean } {
  const packageJsonFullPath = path.join(root, 'package.json');
  const config = ExtractorConfig.prepare({
    configObject: {
      projectFolder: root,
      mainEntryPointFilePath: `<projectFolder>/.types-build/${entry.declaration}`,
      compiler: { tsconfigFilePath: '<projectFolder>/tsconfig.types.json' },
      apiReport: {
        enabled: true,
        reportFileName: entry.report,
        reportFolder: '<projectFolder>/etc/',
        reportTempFolder: '<projectFolder>/.types-build/report/',
        includeForgottenExports: true,
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: true, untrimmedFilePath: `<projectFolder>/dist-types/${entry.rollup}` },
      tsdocMetadata: { enabled: false },
      messages: {
        compilerMessageReporting: { default: { logLevel: ExtractorLogLevel.Warning } },
        extractorMessageReporting: {
          default: { logLevel: ExtractorLogLevel.Warning },
          'ae-missing-release-tag': { logLevel: ExtractorLogLevel.None },
          'ae-undocumented': { logLevel: ExtractorLogLevel.None },
          // Types an export uses without the entry exporting them (the pattern and input type helpers)
          // are in the report all the same, so that a change to them shows too.
          'ae-forgotten-export': { logLevel: ExtractorLogLevel.None },
        },
        tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
      },
    },
    configObjectFullPath: path.join(root, 'etc', 'api-extractor.json'),
    packageJsonFullPath,
    packageJson: JSON.parse(readFileSync(packageJsonFullPath, 'utf8')) as never,
  });
  const result = Extractor.invoke(config, {
    localBuild: !check,
    messageCallback: (message: ExtractorMessage) => {
      if (![ExtractorLogLevel.Error, ExtractorLogLevel.Warning].includes(message.logLevel)) message.handled = true;
    },
  });
  return { ok: result.succeeded, changed: result.apiReportChanged };
}

function main(): number {
  emitDeclarations();
  const changed: string[] = [];
  let ok = true;
  for (const entry of ENTRIES) {
    const r = extract(entry);
    ok &&= r.ok || (check && r.changed);
    if (r.changed) changed.push(`etc/${entry.report}`);
  }
  if (check && changed.length > 0) {
    process.stderr.write(
      `build:types: the public types differ from ${changed.join(' and ')} (the new report is in .types-build/report/: diff the two). If the change is meant, run \`${REGENERATE}\`, commit the report and say it in CHANGELOG.md.\n`,
    );
    return 1;
  }
  if (!ok) return 1;
  process.stdout.write(
    check
      ? 'build:types: the public types match the API report\n'
      : `build:types: dist-types/ and etc/ written${changed.length ? ` (changed: ${changed.join(', ')})` : ''}\n`,
  );
  return 0;
}

process.exit(main());
