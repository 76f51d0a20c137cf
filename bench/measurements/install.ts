/**
 * install: what installing the bot costs. In a temporary folder holding copies of the project's
 * `package.json`, `package-lock.json` and `.npmrc`: `npm ci --omit=dev --ignore-scripts` (the
 * production install) and `npm ci --omit=dev --omit=optional --ignore-scripts` (the install the
 * image makes), each measured as the size of `node_modules` (`du -sk`) and the number of
 * packages in it; then, in a fresh folder, the full `npm ci --ignore-scripts`, timed. The baseline
 * is the framework alone: a `package.json` with only `webex-node-bot-framework@2.3.14`, the
 * project's `.npmrc`, and a lockfile made for it first (`npm ci` needs one), with the same
 * commands. npm's own cache (`~/.npm`) is used as any install uses it, so times depend on
 * what it already holds: the figures say so.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../test/e2e/support/processes.js';
import type { Measurement, MeasurementContext, MeasurementResult } from '../measurement.js';

const run = promisify(execFile);

const GOAL_MB = 120;
const FRAMEWORK = { name: 'webex-node-bot-framework', version: '2.3.14' };
/** Longest one npm command may take. */
const COMMAND_TIMEOUT_MS = 150_000;

/** The environment for npm, without the `npm_*` settings `npm run bench` passes down to its children. */
function npmEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')));
}

/** Runs `npm <args>` in `dir`; resolves with the seconds it took. */
async function npm(dir: string, args: readonly string[], signal: AbortSignal): Promise<number> {
  const started = performance.now();
  try {
    await run('npm', [...args], {
      cwd: dir,
      env: npmEnv(),
      signal,
      timeout: COMMAND_TIMEOUT_MS,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`npm ${args.join(' ')} failed in ${dir}: ${e.message}\n${(e.stderr ?? '').slice(-2000)}`);
  }
  return (performance.now() - started) / 1000;
}

/** KB used by `dir` as `du -sk` counts it (disk blocks), or with `--apparent-size` (bytes in files). */
async function duKb(dir: string, apparent: boolean, signal: AbortSignal): Promise<number> {
  const { stdout } = await run('du', apparent ? ['-sk', '--apparent-size', dir] : ['-sk', dir], { signal });
  return Number(stdout.split(/\s/)[0]);
}

/** Packages installed under `dir`'s `node_modules`, nested ones included (a folder with a `package.json` directly under `node_modules/` or `node_modules/@scope/`). */
export function countPackages(dir: string): number {
  const modules = path.join(dir, 'node_modules');
  if (!existsSync(modules)) return 0;
  let count = 0;
  const visit = (packageDir: string): void => {
    if (!existsSync(path.join(packageDir, 'package.json'))) return;
    count++;
    count += countPackages(packageDir);
  };
  for (const entry of readdirSync(modules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const entryPath = path.join(modules, entry.name);
    if (entry.name.startsWith('@')) {
      for (const scoped of readdirSync(entryPath, { withFileTypes: true }))
        if (scoped.isDirectory()) visit(path.join(entryPath, scoped.name));
    } else visit(entryPath);
  }
  return count;
}

/** A side's production install. */
interface ProductionFigures {
  readonly mb: number;
  readonly apparentMb: number;
  readonly packages: number;
  readonly seconds: number;
  /** KB of each top-level package (`name` or `@scope/name`). */
  readonly packageKb: ReadonlyMap<string, number>;
}

/** A fresh temporary folder, removed at the end of the measurement. */
function freshFolder(tag: string, made: string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), `wsb-bench-install-${tag}-`));
  made.push(dir);
  return dir;
}

/** KB of each top-level package under `modules` (one `du` call). */
async function topLevelKb(modules: string, signal: AbortSignal): Promise<Map<string, number>> {
  const dirs = readdirSync(modules, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .flatMap((e) =>
      e.name.startsWith('@') ? readdirSync(path.join(modules, e.name)).map((n) => `${e.name}/${n}`) : [e.name],
    );
  const { stdout } = await run('du', ['-sk', ...dirs], { cwd: modules, signal, maxBuffer: 16 * 1024 * 1024 });
  return new Map(
    stdout
      .trim()
      .split('\n')
      .map((line) => {
        const [kb, name] = line.split('\t');
        return [name!, Number(kb)] as const;
      }),
  );
}

/** The production install as `npm ci --omit=dev` does it, and as the image and the systemd recipe do it (optional packages left out too). */
const PRODUCTION_INSTALL = ['ci', '--omit=dev', '--ignore-scripts'] as const;
const IMAGE_INSTALL = ['ci', '--omit=dev', '--omit=optional', '--ignore-scripts'] as const;

/** `npm <command>` (a production install) in a folder `prepare` fills: size, packages, time. */
async function productionInstall(
  tag: string,
  prepare: (dir: string) => Promise<void>,
  context: MeasurementContext,
  made: string[],
  command: readonly string[] = PRODUCTION_INSTALL,
): Promise<ProductionFigures> {
  const dir = freshFolder(`${tag}-prod`, made);
  await prepare(dir);
  const seconds = await npm(dir, command, context.signal);
  const modules = path.join(dir, 'node_modules');
  const figures = {
    mb: (await duKb(modules, false, context.signal)) / 1024,
    apparentMb: (await duKb(modules, true, context.signal)) / 1024,
    packages: countPackages(dir),
    seconds,
    packageKb: await topLevelKb(modules, context.signal),
  };
  rmSync(dir, { recursive: true, force: true });
  context.log(
    `${tag}: npm ${command.join(' ')}: ${figures.mb.toFixed(1)} MB, ${figures.packages} packages, ${seconds.toFixed(1)} s`,
  );
  return figures;
}

/** The full `npm ci` in a folder `prepare` fills: time and packages. */
async function fullInstall(
  tag: string,
  prepare: (dir: string) => Promise<void>,
  context: MeasurementContext,
  made: string[],
): Promise<{ seconds: number; packages: number }> {
  const dir = freshFolder(`${tag}-full`, made);
  await prepare(dir);
  const seconds = await npm(dir, ['ci', '--ignore-scripts'], context.signal);
  const packages = countPackages(dir);
  rmSync(dir, { recursive: true, force: true });
  context.log(`${tag}: npm ci: ${seconds.toFixed(1)} s, ${packages} packages`);
  return { seconds, packages };
}

/** The `count` largest top-level packages of `ours` that the framework alone does not install, as "name (N MB)". */
function largestAdded(
  ours: ReadonlyMap<string, number>,
  framework: ReadonlyMap<string, number>,
  count: number,
): string[] {
  return [...ours]
    .filter(([name]) => !framework.has(name))
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, kb]) => `${name} (${(kb / 1024).toFixed(1)} MB)`);
}

const round1 = (x: number): number => Number(x.toFixed(1));

export const install: Measurement = {
  name: 'install',
  title: 'Production install size (npm ci --omit=dev)',
  budgetMs: 6 * 60_000,
  async run(context) {
    const made: string[] = [];
    const copyProject = (dir: string): Promise<void> => {
      for (const file of ['package.json', 'package-lock.json', '.npmrc'])
        copyFileSync(path.join(projectRoot, file), path.join(dir, file));
      return Promise.resolve();
    };
    let frameworkLock: string | undefined;
    const frameworkAlone = async (dir: string): Promise<void> => {
      writeFileSync(
        path.join(dir, 'package.json'),
        `${JSON.stringify({ name: 'framework-alone', version: '1.0.0', private: true, dependencies: { [FRAMEWORK.name]: FRAMEWORK.version } }, null, 2)}\n`,
      );
      copyFileSync(path.join(projectRoot, '.npmrc'), path.join(dir, '.npmrc'));
      if (frameworkLock === undefined) {
        // `npm ci` needs a lockfile: made once, untimed, and used by both of the baseline's installs.
        await npm(dir, ['install', '--package-lock-only', '--ignore-scripts'], context.signal);
        frameworkLock = path.join(freshFolder('framework-lock', made), 'package-lock.json');
        copyFileSync(path.join(dir, 'package-lock.json'), frameworkLock);
      } else copyFileSync(frameworkLock, path.join(dir, 'package-lock.json'));
    };
    try {
      // Both production installs first, then both full ones: each full install finds its production packages in npm's cache.
      const ours = await productionInstall('ours', copyProject, context, made);
      const framework = await productionInstall('framework', frameworkAlone, context, made);
      const oursImage = await productionInstall('ours', copyProject, context, made, IMAGE_INSTALL);
      const frameworkImage = await productionInstall('framework', frameworkAlone, context, made, IMAGE_INSTALL);
      const oursFull = await fullInstall('ours', copyProject, context, made);
      const frameworkFull = await fullInstall('framework', frameworkAlone, context, made);
      const met = ours.mb <= GOAL_MB;
      const added = largestAdded(ours.packageKb, framework.packageKb, 6);
      const imageMet = oursImage.mb <= GOAL_MB;
      const image: MeasurementResult = {
        title: 'Production install as the image makes it (npm ci --omit=dev --omit=optional)',
        figure: { value: oursImage.mb, unit: 'MB', label: `ours: ${oursImage.packages} packages` },
        baseline: {
          value: frameworkImage.mb,
          unit: 'MB',
          label: `framework alone: ${frameworkImage.packages} packages`,
        },
        goal: {
          valueAtMost: GOAL_MB,
          description: `the same goal (at most ${GOAL_MB} MB) for the install the Dockerfile and the systemd recipe make: optional packages left out too. Every optional package in either tree is a React Native or MongoDB helper (\`isomorphic-webcrypto\`'s React Native random sources, \`mongodb\`'s) that Node never loads; the image test runs the bot from such an install.`,
        },
        why:
          `without optional packages ours installs ${oursImage.mb.toFixed(1)} MB in ${oursImage.packages} packages (${(ours.mb - oursImage.mb).toFixed(0)} MB less than \`--omit=dev\` alone), the framework alone ${frameworkImage.mb.toFixed(1)} MB in ${frameworkImage.packages}. ` +
          `${imageMet ? 'Within the goal.' : `Over the goal by ${(oursImage.mb - GOAL_MB).toFixed(0)} MB: what ours adds to the framework is the card checker (\`adaptivecards\`), the card templating with its expression language (\`adaptivecards-templating\`, \`adaptive-expressions\` and its parser \`antlr4ts\`), the Redis client and the metrics; each is used at run time.`}`,
        details: {
          ours: {
            productionMb: round1(oursImage.mb),
            productionApparentMb: round1(oursImage.apparentMb),
            productionPackages: oursImage.packages,
            productionInstallSeconds: round1(oursImage.seconds),
          },
          frameworkAlone: {
            productionMb: round1(frameworkImage.mb),
            productionApparentMb: round1(frameworkImage.apparentMb),
            productionPackages: frameworkImage.packages,
            productionInstallSeconds: round1(frameworkImage.seconds),
          },
          largestTopLevelPackagesOursAdds: largestAdded(oursImage.packageKb, frameworkImage.packageKb, 6),
          command: `npm ${IMAGE_INSTALL.join(' ')}`,
        },
      };
      return [
        {
          figure: {
            value: ours.mb,
            unit: 'MB',
            label: `ours: ${ours.packages} packages; full npm ci ${oursFull.seconds.toFixed(0)} s`,
          },
          baseline: {
            value: framework.mb,
            unit: 'MB',
            label: `framework alone: ${framework.packages} packages; full npm ci ${frameworkFull.seconds.toFixed(0)} s`,
          },
          goal: {
            valueAtMost: GOAL_MB,
            description: `the production install (\`npm ci --omit=dev\`, what a server or a container gets) takes at most ${GOAL_MB} MB on disk (\`du -sk node_modules\`), about what the framework alone took when the field notes measured it (with \`legacy-peer-deps\`): the bot should add little to what it builds on. Package counts (folders with a \`package.json\` directly under a \`node_modules\`, nested ones included) and the full \`npm ci\` times are shown for both; the times use npm's cache (\`~/.npm\`) as it stood — the production installs run first and fill it, so the full installs find most packages there, and a second run of this measurement is faster than a first — and depend on the registry's speed at the time: indications, not goals.`,
          },
          why:
            `ours installs ${ours.mb.toFixed(1)} MB on disk (${ours.apparentMb.toFixed(1)} MB of file contents) in ${ours.packages} packages for production, ${(ours.mb / framework.mb).toFixed(2)}× the framework alone (${framework.mb.toFixed(1)} MB, ${framework.packages} packages), which ours depends on. ` +
            `${met ? 'Within the goal.' : `Over the goal: the framework alone is ${framework.mb.toFixed(0)} MB of it; ours adds ${(ours.mb - framework.mb).toFixed(0)} MB and ${ours.packages - framework.packages} packages, the largest top-level ones being ${added.join(', ')}. Reaching ${GOAL_MB} MB means fewer or smaller runtime dependencies (any that only build or check the code belong in devDependencies).`}`,
          details: {
            ours: {
              productionMb: round1(ours.mb),
              productionApparentMb: round1(ours.apparentMb),
              productionPackages: ours.packages,
              productionInstallSeconds: round1(ours.seconds),
              fullInstallSeconds: round1(oursFull.seconds),
              fullPackages: oursFull.packages,
            },
            frameworkAlone: {
              productionMb: round1(framework.mb),
              productionApparentMb: round1(framework.apparentMb),
              productionPackages: framework.packages,
              productionInstallSeconds: round1(framework.seconds),
              fullInstallSeconds: round1(frameworkFull.seconds),
              fullPackages: frameworkFull.packages,
            },
            largestTopLevelPackagesOursAdds: added,
            commands: ['npm ci --omit=dev --ignore-scripts', 'npm ci --ignore-scripts'],
          },
        },
        image,
      ];
    } finally {
      for (const dir of made) rmSync(dir, { recursive: true, force: true });
    }
  },
};
