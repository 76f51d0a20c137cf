/**
 * `npm run config:readme`: writes the README's "Configuration" table from the settings table
 * (src/config/settings.ts), between its `<!-- config:start -->` and `<!-- config:end -->`
 * markers. `--check` writes nothing and exits 1 naming each variable whose row is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { configTableDifferences, withConfigTable } from '../config/readme-table.js';

const readmePath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../README.md');

function main(): number {
  const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
  const readme = readFileSync(readmePath, 'utf8');
  if (values.check) {
    const differences = configTableDifferences(readme);
    for (const difference of differences) process.stderr.write(`config:readme: ${difference}\n`);
    return differences.length === 0 ? 0 : 1;
  }
  const updated = withConfigTable(readme);
  if (updated === readme) {
    process.stdout.write('config:readme: README.md is up to date\n');
  } else {
    writeFileSync(readmePath, updated);
    process.stdout.write('config:readme: README.md configuration table written\n');
  }
  return 0;
}

try {
  process.exitCode = main();
} catch (err) {
  process.stderr.write(`config:readme: ${(err as Error).message}\n`);
  process.exitCode = 2;
}
