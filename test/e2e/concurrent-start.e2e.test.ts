/**
 * Three `npm start` from one install at the same moment, from a `dist/` that is out of date: each
 * runs the pre-start build, and none may load a `dist/` another is rewriting. All three must
 * become ready (emulator mode: no token; each its own ports and state folder).
 */
import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, projectRoot, startNpm, type RunningProcess } from './support/processes.js';

const dist = path.join(projectRoot, 'dist');
const stampFile = path.join(dist, '.build-stamp');

describe('npm start: several instances starting together', function () {
  this.timeout(180_000);

  it('three `npm start` at once from a stale dist/ all become ready', async () => {
    // Out of date: a dist/ built from other sources (its stamp does not match them).
    mkdirSync(dist, { recursive: true });
    writeFileSync(stampFile, 'built from older sources');
    const ports = await Promise.all(Array.from({ length: 6 }, () => freePort()));
    const apps: RunningProcess[] = [0, 1, 2].map((i) =>
      startNpm(`npm start #${i + 1}`, ['start'], {
        PORT: String(ports[2 * i]),
        EMULATOR_PORT: String(ports[2 * i + 1]),
        STATE_DIR: mkdtempSync(path.join(tmpdir(), `wsb-start-${i + 1}-`)),
      }),
    );
    let codes: Array<number | null>;
    try {
      await Promise.all(apps.map((app) => app.waitFor(/bot ready/, 150_000)));
    } finally {
      codes = await Promise.all(apps.map((app) => app.stop()));
    }
    for (const [i, app] of apps.entries())
      expect(app.output, `npm start #${i + 1}`).to.not.match(/SyntaxError|build failed/);
    expect(codes).to.deep.equal([0, 0, 0]);
    // One complete build is in place, and nothing of the others is left beside it.
    expect(readFileSync(stampFile, 'utf8')).to.not.equal('built from older sources');
    expect(existsSync(path.join(dist, 'src/main.js'))).to.equal(true);
    expect(readdirSync(projectRoot).filter((f) => f.startsWith('.dist'))).to.deep.equal([]);
  });
});
