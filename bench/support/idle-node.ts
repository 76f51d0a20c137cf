/**
 * The floor under a bot's memory: the RSS of a node process that runs a script doing nothing,
 * started with given flags (none: node alone; our bot's flags: node with its loader, if any).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cleanEnv, projectRoot, RunningProcess } from '../../test/e2e/support/processes.js';
import { rssMb } from './bot-process.js';

/** Time the idle process gets to settle before its RSS is read. */
const SETTLE_MS = 1_500;

/**
 * RSS in MB of `node <flags> idle<extension>` once settled: the script only keeps the process
 * alive (`.ts` to have a TypeScript loader compile it, `.js` for node alone).
 */
export async function idleNodeRssMb(flags: readonly string[], extension: '.js' | '.ts'): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), 'wsb-idle-node-'));
  const script = path.join(dir, `idle${extension}`);
  writeFileSync(script, 'setInterval(() => undefined, 1_000);\n');
  const child = spawn(process.execPath, [...flags, script], {
    cwd: projectRoot,
    env: cleanEnv({}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const running = new RunningProcess(child, 'idle node');
  try {
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    if (child.exitCode !== null)
      throw new Error(`idle node (${flags.join(' ')}) exited (${child.exitCode}):\n${running.output}`);
    return rssMb(child.pid!);
  } finally {
    await running.stop(2_000);
    rmSync(dir, { recursive: true, force: true });
  }
}
