/**
 * The benchmark's outputs: `bench/results.json` (every figure, for tools) and `bench/RESULTS.md`
 * (the same, for people).
 */
import type { Figure, Goal, MeasurementResult } from './measurement.js';

/** One measurement's entry in the results. */
export type ResultEntry = (
  | ({
      readonly name: string;
      readonly title: string;
      readonly ms: number;
      readonly ratio: number;
      readonly met: boolean;
    } & MeasurementResult)
  | { readonly name: string; readonly title: string; readonly ms: number; readonly error: string; readonly met: false }
) & {
  /** When it was measured (entries kept from an earlier run of `npm run bench -- <names>` keep theirs). */
  readonly at?: string;
};

/** The whole file. */
export interface Results {
  readonly at: string;
  readonly machine: { readonly cpus: number; readonly node: string; readonly platform: string };
  readonly results: readonly ResultEntry[];
}

/** Whether `value` (and its `ratio` to the baseline) meets `goal`. */
export function meets(value: number, ratio: number, goal: Goal): boolean {
  if (goal.ratioAtLeast !== undefined && !(ratio >= goal.ratioAtLeast)) return false;
  if (goal.ratioAtMost !== undefined && !(ratio <= goal.ratioAtMost)) return false;
  if (goal.valueAtLeast !== undefined && !(value >= goal.valueAtLeast)) return false;
  if (goal.valueAtMost !== undefined && !(value <= goal.valueAtMost)) return false;
  return Number.isFinite(value);
}

const fmt = (f: Figure): string =>
  `${f.value.toLocaleString('en', { maximumFractionDigits: 1 })} ${f.unit} (${f.label})`;
const goalText = (g: Goal, unit: string): string =>
  [
    g.ratioAtLeast !== undefined ? `ratio ≥ ${g.ratioAtLeast}` : '',
    g.ratioAtMost !== undefined ? `ratio ≤ ${g.ratioAtMost}` : '',
    g.valueAtLeast !== undefined ? `≥ ${g.valueAtLeast.toLocaleString('en')} ${unit}` : '',
    g.valueAtMost !== undefined ? `≤ ${g.valueAtMost.toLocaleString('en')} ${unit}` : '',
  ]
    .filter(Boolean)
    .join(', ');
const ratioText = (ratio: number): string => (Number.isFinite(ratio) ? ratio.toFixed(2) : '—');

/** `RESULTS.md`. */
export function resultsMarkdown(r: Results): string {
  const lines = [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\` on ${r.at} (${r.machine.cpus} CPUs, Node ${r.machine.node}, ${r.machine.platform}). Loads run on 127.0.0.1 only, against servers the benchmark starts itself.`,
    '',
    '| Measurement | Figure | Baseline | Ratio | Goal | Met |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const e of r.results) {
    if ('error' in e) lines.push(`| ${e.title} | — | — | — | — | no: ${e.error.replace(/\|/g, '\\|')} |`);
    else
      lines.push(
        `| ${e.title} | ${fmt(e.figure)} | ${fmt(e.baseline)} | ${ratioText(e.ratio)} | ${goalText(e.goal, e.figure.unit)} | ${e.met ? 'yes' : 'no'} |`,
      );
  }
  for (const e of r.results) {
    lines.push('', `## ${e.title} (\`${e.name}\`)`, '');
    if ('error' in e) {
      lines.push(`Did not finish: ${e.error}`);
      continue;
    }
    lines.push(`**Goal**: ${e.goal.description}`, '', `**${e.met ? 'Met' : 'Missed'}**: ${e.why}`, '');
    if (e.details) lines.push('Details:', '', '```json', JSON.stringify(e.details, null, 2), '```');
    lines.push('', `Took ${(e.ms / 1000).toFixed(0)} s${e.at && e.at !== r.at ? `; measured on ${e.at}` : ''}.`);
  }
  return `${lines.join('\n')}\n`;
}
