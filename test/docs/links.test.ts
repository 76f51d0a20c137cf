/**
 * The README and docs/*.md point only at what exists: every relative link (and its #anchor) at a
 * file and a heading, every repository path in backticks at a file or folder, every `npm run <x>`
 * at a script of package.json; no path climbs out of the repository; and every README section the code names ("see "Deploying" in the
 * README") is still in the README.
 */
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { anchorsOf, backtickedPaths, npmScriptsNamed, relativeLinks, sectionsNamedInCode } from './markdown-refs.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pages = [
  'README.md',
  ...readdirSync(path.join(root, 'docs'), { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
    .map((entry) => `docs/${entry.name}`),
];
const text = (file: string): string => readFileSync(path.join(root, file), 'utf8');

/** Files the README's walk-through has the reader create (`npm run new-skill kudos`, `init my-bot`). */
const MADE_BY_THE_READER = /\b(kudos|stand-up|my-bot)\b/;

describe('docs: links and paths', () => {
  it('reads the README and every page of docs/', () => {
    expect(pages).to.include.members(['README.md', 'docs/architecture.md', 'docs/skills.md', 'docs/configuration.md']);
  });

  it('every relative link points to a file that exists, and its #anchor to a heading there', () => {
    const broken: string[] = [];
    for (const page of pages) {
      for (const { target, anchor } of relativeLinks(text(page))) {
        const file = target === '' ? page : path.posix.normalize(path.posix.join(path.posix.dirname(page), target));
        if (file.startsWith('..') || !existsSync(path.join(root, file))) {
          broken.push(`${page}: ${target}${anchor ? `#${anchor}` : ''} (no file ${file})`);
          continue;
        }
        if (anchor && file.endsWith('.md') && !anchorsOf(text(file)).has(anchor))
          broken.push(`${page}: ${target}#${anchor} (no such heading in ${file})`);
      }
    }
    expect(broken, broken.join('\n')).to.deep.equal([]);
  });

  it('every repository path in backticks exists', () => {
    const missing: string[] = [];
    for (const page of pages)
      for (const p of backtickedPaths(text(page)))
        if (!MADE_BY_THE_READER.test(p) && !existsSync(path.join(root, p))) missing.push(`${page}: ${p}`);
    expect(missing, missing.join('\n')).to.deep.equal([]);
  });

  it('every `npm run <script>` is a script of package.json', () => {
    const { scripts } = JSON.parse(text('package.json')) as { scripts: Record<string, string> };
    const unknown: string[] = [];
    for (const page of pages)
      for (const script of npmScriptsNamed(text(page)))
        if (!(script in scripts)) unknown.push(`${page}: npm run ${script}`);
    expect(unknown, unknown.join('\n')).to.deep.equal([]);
  });

  it('nothing points outside the repository: every ../ path of the prose stays inside it, from the page that names it', () => {
    const outside: string[] = [];
    // Code examples are left out: their imports are relative to the file they stand for.
    const prose = (page: string): string => text(page).replace(/^```[\s\S]*?^```/gm, '');
    for (const page of pages)
      for (const [climb] of prose(page).matchAll(/(?:\.\.\/)+[\w.-]+/g)) {
        const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(page), climb));
        if (resolved.startsWith('..')) outside.push(`${page}: ${climb}`);
      }
    expect(outside, outside.join('\n')).to.deep.equal([]);
  });

  it('every README section that a message of the code names is in the README', () => {
    const readme = text('README.md');
    const sources = readdirSync(path.join(root, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.ts'),
    );
    const named = sources.flatMap((f) =>
      sectionsNamedInCode(readFileSync(path.join(root, 'src', f), 'utf8')).map((section) => ({ f, section })),
    );
    expect(named.map((n) => n.section)).to.include('Configuration'); // the scan finds what it looks for
    const gone = named
      .filter(({ section }) => !readme.includes(section))
      .map(({ f, section }) => `src/${f}: "${section}"`);
    expect(gone, gone.join('\n')).to.deep.equal([]);
  });
});

describe('docs: reading markdown references', () => {
  it('finds relative links with their anchors, and skips URLs, mail links and code blocks', () => {
    const md = [
      'See [a](docs/a.md#the-part), [b](b.md), ![pic](docs/p.png) and [web](https://example.com).',
      '[self](#here) [mail](mailto:x@example.com)',
      '```md',
      '[not a link](nowhere.md)',
      '```',
    ].join('\n');
    expect(relativeLinks(md)).to.deep.equal([
      { target: 'docs/a.md', anchor: 'the-part' },
      { target: 'b.md', anchor: undefined },
      { target: 'docs/p.png', anchor: undefined },
      { target: '', anchor: 'here' },
    ]);
  });

  it("makes headings' anchors as GitHub does", () => {
    const anchors = anchorsOf(
      "# Title\n## `npm run doctor`: why doesn't my bot answer?\n## Time and conversation: send, jobs, ask\n```\n# not a heading\n```\n",
    );
    expect([...anchors]).to.deep.equal([
      'title',
      'npm-run-doctor-why-doesnt-my-bot-answer',
      'time-and-conversation-send-jobs-ask',
    ]);
  });

  it('finds repository paths in backticks, leaving out patterns and build output', () => {
    const md = 'In `src/bot.ts`, `test/e2e/`, `skills/*.ts`, `cards/<id>.json`, `dist/src/main.js`, `src/a.ts` (`x`).';
    expect(backtickedPaths(md)).to.deep.equal(['src/bot.ts', 'test/e2e/', 'src/a.ts']);
  });

  it('finds the scripts of `npm run`', () => {
    expect(npmScriptsNamed('npm run dev, `npm run cards:check` and npm run bench -- journal; npm test')).to.deep.equal([
      'dev',
      'cards:check',
      'bench',
    ]);
  });

  it('finds the README sections a message names', () => {
    const code = 'fail(`See "Configuration" in README.md.`); fix: \'see "Deploying" in the README\'; "x" in y';
    expect(sectionsNamedInCode(code)).to.deep.equal(['Configuration', 'Deploying']);
  });
});
