/**
 * What `import 'webex-skill-bot'` is in the compiled copy (`npm start`, the image, the published
 * package): Node's self-reference through the package's `exports`, to the very modules the core
 * loads (one instance, not a second copy), and nothing internal reachable. (Under tsx and tsc in
 * this repository, tsconfig's `paths` point the same name at `src/`: the skills' tests run so.)
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { projectRoot } from '../e2e/support/processes.js';

/** Runs an ES module script with plain Node (no TypeScript loader) in the repository. */
function node(script: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: projectRoot, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout.trim(), stderr: r.stderr };
}

describe('the package name, compiled', function () {
  this.timeout(120_000);

  before(() => {
    const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: projectRoot, encoding: 'utf8' });
    expect(build.status, build.stderr).to.equal(0);
  });

  it("'webex-skill-bot' and '/testing' are the compiled skill kit and test harness, the same module instances", () => {
    const r = node(`
      const kit = await import('webex-skill-bot');
      const own = await import('./dist/src/skill-kit/index.js');
      const skill = await import('./dist/skills/echo.js');
      console.log(JSON.stringify({
        kit: import.meta.resolve('webex-skill-bot'),
        testing: import.meta.resolve('webex-skill-bot/testing'),
        same: kit === own && typeof kit.defineSkill === 'function',
        skill: skill.default.name,
      }));`);
    expect(r.status, r.stderr).to.equal(0);
    const seen = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(seen['kit']).to.match(/\/dist\/src\/skill-kit\/index\.js$/);
    expect(seen['testing']).to.match(/\/dist\/src\/testing\/index\.js$/);
    expect(seen).to.include({ same: true, skill: 'echo' });
  });

  it('nothing internal is reachable through the package name', () => {
    const r = node("await import('webex-skill-bot/dist/src/bot.js');");
    expect(r.status).to.equal(1);
    expect(r.stderr).to.include('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });
});
