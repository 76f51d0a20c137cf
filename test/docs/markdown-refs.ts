/**
 * What a markdown page refers to, for the docs' link test: relative links, heading anchors,
 * repository paths in backticks, `npm run` scripts; and the README sections source code names.
 *
 * @example
 * relativeLinks('[x](docs/a.md#b)') // [{ target: 'docs/a.md', anchor: 'b' }]
 */

/** `markdown` without its fenced code blocks (whose text is an example, not a reference). */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
}

/** The relative links and images of `markdown`: the file part (empty for `#anchor` alone) and the anchor. */
export function relativeLinks(markdown: string): Array<{ target: string; anchor: string | undefined }> {
  const links: Array<{ target: string; anchor: string | undefined }> = [];
  for (const match of prose(markdown).matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const href = match[1]!;
    if (/^[a-z][a-z0-9+.-]*:/i.test(href)) continue; // https:, mailto:…
    const [target = '', anchor] = href.split('#', 2);
    links.push({ target: decodeURI(target), anchor });
  }
  return links;
}

/** The anchors GitHub gives the headings of `markdown`: lower case, punctuation dropped, spaces to dashes. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const match of prose(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const slug = match[1]!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

/** Top-level folders of the repository whose paths the docs name in backticks. */
const REPOSITORY_FOLDERS = ['src', 'test', 'skills', 'cards', 'bench', 'deploy', 'docs', 'etc', 'types'];

/**
 * Repository paths written in backticks (`src/bot.ts`, `test/e2e/`), without patterns
 * (`skills/*.ts`, `cards/<id>.json`) or anything outside the repository's own folders.
 */
export function backtickedPaths(markdown: string): string[] {
  const folders = REPOSITORY_FOLDERS.join('|');
  const paths: string[] = [];
  for (const match of markdown.matchAll(new RegExp(`\`((?:${folders})/[^\`\\s]*)\``, 'g'))) {
    const p = match[1]!;
    if (/[<>*{}$…]/.test(p)) continue;
    paths.push(p);
  }
  return paths;
}

/** The scripts named by `npm run <script>` in `markdown`. */
export function npmScriptsNamed(markdown: string): string[] {
  return [...markdown.matchAll(/\bnpm run ([a-z][\w:-]*)/g)].map((m) => m[1]!);
}

/** The README sections a source file names in its messages: `"Deploying" in the README`, `"X" in README.md`. */
export function sectionsNamedInCode(source: string): string[] {
  return [...source.matchAll(/"([^"\n]+)" in (?:the )?README/g)].map((m) => m[1]!);
}
