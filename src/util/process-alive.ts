/**
 * Whether process `pid` runs (on this machine): signal 0 tests it without touching it. A process
 * of another user answers EPERM, and is alive.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
