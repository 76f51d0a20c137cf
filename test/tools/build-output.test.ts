/**
 * The pieces that make the pre-start build safe to run from several `npm start` at once: the
 * fingerprint that lets a current `dist/` alone, the lock that lets one process build at a time,
 * and the swap that puts only a complete build in place.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fingerprint, freshBuildDir, install, isCurrent, STAMP_FILE, withLock } from '../../src/tools/build-output.js';

const tempDir = (): string => mkdtempSync(path.join(tmpdir(), 'build-'));

describe('build output: fingerprint, lock, swap', () => {
  it('the fingerprint follows the files, their names and the tools, not the order they are listed in', () => {
    const root = tempDir();
    writeFileSync(path.join(root, 'a.ts'), 'export const a = 1;');
    writeFileSync(path.join(root, 'b.ts'), 'export const b = 2;');
    const files = [path.join(root, 'a.ts'), path.join(root, 'b.ts')];
    const first = fingerprint(root, files, ['esbuild 1']);
    expect(fingerprint(root, [...files].reverse(), ['esbuild 1'])).to.equal(first);
    expect(fingerprint(root, files, ['esbuild 2'])).to.not.equal(first);
    writeFileSync(path.join(root, 'b.ts'), 'export const b = 3;');
    expect(fingerprint(root, files, ['esbuild 1'])).to.not.equal(first);
  });

  it('puts a complete, stamped build in place of the old one, leaving nothing beside it', () => {
    const root = tempDir();
    const outdir = path.join(root, 'dist');
    mkdirSync(path.join(outdir, 'src'), { recursive: true });
    writeFileSync(path.join(outdir, 'src/old.js'), 'old');
    // Leftovers of a build that died (its pid is not running).
    mkdirSync(path.join(root, '.dist-build-999999999-dead'));
    mkdirSync(path.join(root, '.dist-old-999999999-dead'));
    const built = freshBuildDir(outdir);
    mkdirSync(path.join(built, 'src'), { recursive: true });
    writeFileSync(path.join(built, 'src/main.js'), 'new');
    expect(isCurrent(outdir, 'v2')).to.equal(false);
    install(built, outdir, 'v2');
    expect(isCurrent(outdir, 'v2')).to.equal(true);
    expect(readFileSync(path.join(outdir, STAMP_FILE), 'utf8')).to.equal('v2');
    expect(readdirSync(path.join(outdir, 'src'))).to.deep.equal(['main.js']);
    expect(readdirSync(root)).to.deep.equal(['dist']);
  });

  it('one holder of the lock at a time; the others wait for it', async () => {
    const lock = path.join(tempDir(), '.dist-lock');
    const events: string[] = [];
    await Promise.all(
      [1, 2, 3].map((n) =>
        withLock(lock, async () => {
          events.push(`in ${n}`);
          await new Promise((r) => setImmediate(r));
          events.push(`out ${n}`);
        }),
      ),
    );
    expect(events).to.have.length(6);
    for (let i = 0; i < 6; i += 2) expect(events[i + 1]).to.equal(events[i]!.replace('in', 'out'));
    expect(existsSync(lock)).to.equal(false);
  });

  it('takes over a lock left by a build that died', async () => {
    const lock = path.join(tempDir(), '.dist-lock');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    mkdirSync(lock);
    writeFileSync(path.join(lock, 'pid'), dead.stdout.toString());
    expect(await withLock(lock, async () => 'built')).to.equal('built');
  });

  it('waits for a lock whose holder is alive, and gives up saying which lock', async () => {
    const lock = path.join(tempDir(), '.dist-lock');
    mkdirSync(lock);
    writeFileSync(path.join(lock, 'pid'), String(process.pid));
    let error: unknown;
    try {
      await withLock(lock, async () => 'never', 100);
    } catch (err) {
      error = err;
    }
    expect((error as Error).message).to.include(`another build has held ${lock}`);
  });
});
