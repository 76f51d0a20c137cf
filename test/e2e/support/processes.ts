/**
 * Starting the emulator and the bot as separate processes, exactly as a user runs them
 * (`node --import tsx src/…`, the command behind `npm start` / `npm run emulator`), and reading
 * what they print.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFIG_VARIABLES } from '../../../src/config.js';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The kernel's ephemeral port range (Linux; elsewhere a range that lies above the ports picked here). */
function ephemeralPortsFrom(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    if (Number.isInteger(low) && low > 0) return low;
  } catch {
    // not Linux: macOS and Windows hand out ports from 49152 up
  }
  return 49152;
}

/** Lowest port `freePort` picks: above the registered services people run on a development machine. */
const PICK_FROM = 20_000;
/** Ports `freePort` has handed out in this process (never twice). */
const handedOut = new Set<number>();

/** Whether `port` can be bound on 127.0.0.1 now. */
function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/**
 * A free TCP port on 127.0.0.1, for a process that must know its port before it starts. It is
 * picked below the kernel's ephemeral range: the kernel hands ports of that range to `listen(0)`
 * and to every outgoing connection (of this machine's other processes too), so a port taken from
 * it could be given to someone's connection in the seconds a child process takes to start on a
 * busy machine ("Port 43003 is in use"). A port below the range is only ever taken by name.
 * Checked free by binding it, and never handed out twice by one process.
 */
export async function freePort(): Promise<number> {
  const below = ephemeralPortsFrom();
  for (let tries = 0; below - PICK_FROM > 1000 && tries < 50; tries++) {
    const port = PICK_FROM + Math.floor(Math.random() * (below - PICK_FROM));
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    if (await bindable(port)) return port;
  }
  // An unusual ephemeral range leaves no room below it: a port the kernel picks.
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/**
 * Resolves with `child`'s exit code once its output has been read too: 'exit' can come before the
 * last of stdout and stderr, 'close' after them. The wait for 'close' is bounded (a grandchild
 * holding the pipes open would delay it for ever).
 */
export function exitedWithOutput(child: ChildProcess, closeWithinMs = 2000): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      const timer = setTimeout(() => resolve(code), closeWithinMs);
      child.once('close', () => {
        clearTimeout(timer);
        resolve(code);
      });
    });
  });
}

/** A child process with its output collected. */
export class RunningProcess {
  private out = '';
  private readonly exited: Promise<number | null>;
  constructor(
    readonly child: ChildProcess,
    readonly name: string,
  ) {
    child.stdout?.on('data', (d: Buffer) => {
      this.out += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      this.out += d.toString();
    });
    this.exited = exitedWithOutput(child);
  }

  /** Everything printed so far (stdout and stderr). */
  get output(): string {
    return this.out;
  }

  /** Waits until the output matches `pattern`; fails with the output if the process exits first. */
  async waitFor(pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = this.out.match(pattern);
      if (m) return m;
      if (this.child.exitCode !== null)
        throw new Error(`${this.name} exited (${this.child.exitCode}) before printing ${pattern}:\n${this.out}`);
      if (Date.now() > deadline)
        throw new Error(`${this.name} did not print ${pattern} within ${timeoutMs} ms:\n${this.out}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Resolves with the exit code. */
  exitCode(): Promise<number | null> {
    return this.exited;
  }

  /** Sends `signal` to the process itself (SIGKILL: as when it crashes or the machine dies). */
  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Sends `signal` to the process's whole process group (it must have been started detached), as a terminal's Ctrl+C or systemd does. */
  signalGroup(signal: NodeJS.Signals): void {
    process.kill(-this.child.pid!, signal);
  }

  /** SIGTERM, then SIGKILL if it does not exit within `graceMs`. Returns the exit code. */
  async stop(graceMs = 10_000): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.child.exitCode;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}

const running = new Set<RunningProcess>();
process.once('exit', () =>
  running.forEach((p) => {
    // A process started as a group leader takes its children with it.
    try {
      process.kill(-p.child.pid!, 'SIGKILL');
    } catch {
      p.child.kill('SIGKILL');
    }
  }),
);

/** Environment for child processes: the parent's, minus anything that would change their mode. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(CONFIG_VARIABLES).concat(['NODE_ENV'])) delete env[key];
  // Each bot process its own STATE_DIR unless the test names one: one process per folder (the
  // event journal locks it), and nothing left in the project's data/.
  return { ...env, NO_PROXY: '127.0.0.1,localhost', STATE_DIR: extra['STATE_DIR'] ?? scratchStateDir(), ...extra };
}

const scratchDirs: string[] = [];
process.on('exit', () => {
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder for a bot process's state, removed when the tests end. */
export function scratchStateDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'wsb-state-'));
  scratchDirs.push(dir);
  return dir;
}

/** Starts `node --import tsx <script> [args]` in the project root. */
export function startNodeScript(
  name: string,
  script: string,
  env: Record<string, string>,
  args: readonly string[] = [],
): RunningProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: projectRoot,
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const p = new RunningProcess(child, name);
  running.add(p);
  void p.exitCode().then(() => running.delete(p));
  return p;
}

/**
 * Starts `npm start` / `npm run <script>` in the project root, as a user would. With `group`,
 * npm leads a process group of its own (like a terminal's foreground job) for `signalGroup`.
 */
export function startNpm(
  name: string,
  args: string[],
  env: Record<string, string>,
  options: { group?: boolean } = {},
): RunningProcess {
  const child = spawn('npm', args, {
    cwd: projectRoot,
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.group === true,
  });
  const p = new RunningProcess(child, name);
  running.add(p);
  void p.exitCode().then(() => running.delete(p));
  return p;
}

/** The standalone emulator on a random port, with what it printed. */
export async function startStandaloneEmulator(): Promise<{
  process: RunningProcess;
  apiUrl: string;
  baseUrl: string;
  token: string;
}> {
  const p = startNodeScript('emulator', 'src/emulator/main.ts', { EMULATOR_PORT: '0' });
  const apiUrl = (await p.waitFor(/^WEBEX_API_URL=(\S+)$/m))[1]!;
  const token = (await p.waitFor(/^WEBEX_BOT_TOKEN=(\S+)$/m))[1]!;
  return { process: p, apiUrl, baseUrl: apiUrl.replace(/\/v1$/, ''), token };
}
