/**
 * `npm run config:docs`: writes the configuration table of docs/configuration.md from the
 * settings table (src/config/settings.ts), between its `<!-- config:start -->` and
 * `<!-- config:end -->` markers. `--check` writes nothing and exits 1 naming each variable whose
 * row is out of date.
 *
 *   npm run config:docs               # writes the table
 *   npm run config:docs -- --check    # exit 1 when it is stale
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CONFIG_DOC_PATH, configTableDifferences, withConfigTable } from '../config/docs-table.js';

const pagePath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..', CONFIG_DOC_PATH);

function main(): number {
  const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
  const page = readFileSync(pagePath, 'utf8');
  if (values.check) {
    const differences = configTableDifferences(page);
    for (const difference of differences) process.stderr.write(`config:docs: ${difference}\n`);
    return differences.length === 0 ? 0 : 1;
  }
  const updated = withConfigTable(page);
  if (updated === page) {
    process.stdout.write(`config:docs: ${CONFIG_DOC_PATH} is up to date\n`);
  } else {
    writeFileSync(pagePath, updated);
    process.stdout.write(`config:docs: ${CONFIG_DOC_PATH} configuration table written\n`);
  }
  return 0;
}

try {
  process.exitCode = main();
} catch (err) {
  process.stderr.write(`config:docs: ${(err as Error).message}\n`);
  process.exitCode = 2;
}
