/**
 * What `npm run doctor` reports: one verdict per check, with the fix when something is wrong,
 * as text for people (one line per verdict, the fix under it) or JSON for machines.
 */

/** How a check came out. `warn` is worth knowing but does not fail the run; `skip` could not run. */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

/** The verdict of one check. */
export interface CheckResult {
  /** Stable id, e.g. `token`, `webhooks-active`. */
  readonly id: string;
  readonly status: CheckStatus;
  /** One line: what the check saw. */
  readonly verdict: string;
  /** What to do about it (for `warn` and `fail`). */
  readonly fix?: string;
  /** Facts for machines (`--json`): ids, URLs, numbers. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** A whole run. */
export interface DoctorReport {
  /** True when no check failed. */
  readonly ok: boolean;
  /** What was checked: `webex` (a deployment) or `emulator` (a bot started here against the built-in emulator). */
  readonly mode: 'webex' | 'emulator';
  readonly checks: readonly CheckResult[];
}

/** Builds a report from its checks. */
export function reportOf(mode: DoctorReport['mode'], checks: readonly CheckResult[]): DoctorReport {
  return { ok: checks.every((c) => c.status !== 'fail'), mode, checks };
}

/** The process exit code for a report: 0 when no check failed, else 1. */
export function exitCodeOf(report: DoctorReport): 0 | 1 {
  return report.ok ? 0 : 1;
}

const LABEL: Record<CheckStatus, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', skip: 'SKIP' };

/** The report as text: a verdict line per check (`FAIL webhooks-active  …`), the fix indented under it, and a summary. */
export function renderText(report: DoctorReport): string {
  const width = Math.max(...report.checks.map((c) => c.id.length));
  const lines: string[] = [];
  for (const c of report.checks) {
    lines.push(`${LABEL[c.status]}  ${c.id.padEnd(width)}  ${c.verdict}`);
    if (c.fix && c.status !== 'pass') lines.push(`${' '.repeat(width + 8)}fix: ${c.fix}`);
  }
  const count = (s: CheckStatus) => report.checks.filter((c) => c.status === s).length;
  const failed = report.checks.filter((c) => c.status === 'fail').map((c) => c.id);
  lines.push('');
  lines.push(
    report.ok
      ? `All clear: ${count('pass')} passed, ${count('warn')} warning(s), ${count('skip')} skipped.`
      : `${failed.length} check(s) failed: ${failed.join(', ')} (${count('pass')} passed, ${count('warn')} warning(s), ${count('skip')} skipped).`,
  );
  return `${lines.join('\n')}\n`;
}

/** The report as JSON text (`--json`). */
export function renderJson(report: DoctorReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
