/**
 * `npm run bench [-- <name>...]`: runs the registered measurements (`bench/measurements/`), or
 * the named ones, one after the other, each within its time budget, and writes
 * `bench/results.json` and `bench/RESULTS.md`. Exits 1 when a measurement failed to run (a goal
 * missed is a result, not a failure).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measurements } from './measurements/index.js';
import type { Measurement, MeasurementResult } from './measurement.js';
import { meets, resultsMarkdown, type ResultEntry, type Results } from './report.js';

const here = path.dirname(fileURLToPath(import.meta.url));

async function runOne(m: Measurement): Promise<ResultEntry[]> {
  const started = Date.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const overBudget = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`over its budget of ${m.budgetMs / 1000} s`));
    }, m.budgetMs);
  });
  try {
    const outcome = await Promise.race([
      m.run({ log: (line) => process.stdout.write(`  ${m.name}: ${line}\n`), signal: controller.signal }),
      overBudget,
    ]);
    const rows = Array.isArray(outcome) ? outcome : [outcome as MeasurementResult];
    const ms = Date.now() - started;
    return rows.map((result) => {
      const ratio = result.figure.value / result.baseline.value;
      return {
        name: m.name,
        ms,
        ...result,
        title: result.title ?? m.title,
        ratio,
        met: meets(result.figure.value, ratio, result.goal),
      };
    });
  } catch (err) {
    return [
      {
        name: m.name,
        title: m.title,
        ms: Date.now() - started,
        error: (err as Error).message ?? String(err),
        met: false,
      },
    ];
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The new entries, and — when only some measurements ran — the earlier entries of the others,
 * from the last `results.json` (each entry says when it was measured), in the registry's order.
 */
function withEarlier(fresh: ResultEntry[], chosen: readonly Measurement[]): ResultEntry[] {
  const file = path.join(here, 'results.json');
  if (chosen.length === measurements.length || !existsSync(file)) return fresh;
  let earlier: ResultEntry[] = [];
  try {
    const previous = JSON.parse(readFileSync(file, 'utf8')) as Results;
    earlier = previous.results
      .filter((r) => !chosen.some((m) => m.name === r.name))
      .map((r) => ({ ...r, at: r.at ?? previous.at }));
  } catch {
    return fresh;
  }
  const order = (r: ResultEntry): number => measurements.findIndex((m) => m.name === r.name);
  return [...earlier, ...fresh].sort((a, b) => order(a) - order(b));
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !measurements.some((m) => m.name === w));
  if (unknown.length > 0) {
    process.stderr.write(
      `unknown measurement(s): ${unknown.join(', ')}; known: ${measurements.map((m) => m.name).join(', ')}\n`,
    );
    process.exit(2);
  }
  const chosen = wanted.length === 0 ? measurements : measurements.filter((m) => wanted.includes(m.name));
  const results: ResultEntry[] = [];
  for (const m of chosen) {
    process.stdout.write(`${m.title} (${m.name}, at most ${m.budgetMs / 1000} s)\n`);
    for (const entry of await runOne(m)) {
      results.push(entry);
      process.stdout.write(
        'error' in entry
          ? `  failed: ${entry.error}\n`
          : `  ${entry.title}: ${entry.figure.value.toFixed(1)} ${entry.figure.unit} vs ${entry.baseline.value.toFixed(1)}: ratio ${entry.ratio.toFixed(2)}, goal ${entry.met ? 'met' : 'missed'}\n`,
      );
    }
  }
  const at = new Date().toISOString();
  const out: Results = {
    at,
    machine: { cpus: cpus().length, node: process.version, platform: `${process.platform}/${process.arch}` },
    results: withEarlier(
      results.map((r) => ({ ...r, at })),
      chosen,
    ),
  };
  writeFileSync(path.join(here, 'results.json'), `${JSON.stringify(out, null, 2)}\n`);
  writeFileSync(path.join(here, 'RESULTS.md'), resultsMarkdown(out));
  process.stdout.write(`wrote bench/results.json and bench/RESULTS.md\n`);
  process.exit(results.some((r) => 'error' in r) ? 1 : 0);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
