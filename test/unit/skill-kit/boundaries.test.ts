/**
 * The skill kit is what skill authors import: it must be readable on its own, so its arrows point
 * only down (to the store interface, the one isRecord, error codes) and never to the bot's
 * machinery (routing, cards, webex, server...). Routing depends on the kit, not the other way.
 */
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const src = fileURLToPath(new URL('../../../src/', import.meta.url));
const ALLOWED = ['skill-kit', 'store', 'util', 'errors.ts'];

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  return [...text.matchAll(/(?:import|export)[^'"]*from\s+'([^']+)'|import\('([^']+)'\)/g)].map((m) => (m[1] ?? m[2])!);
}

describe('skill-kit boundaries', () => {
  const files = readdirSync(path.join(src, 'skill-kit'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(src, 'skill-kit', f));

  it('imports only itself, the store, util and error codes (nothing of routing, cards or webex)', () => {
    expect(files.length).to.be.greaterThan(3);
    for (const file of files) {
      for (const spec of importsOf(file).filter((s) => s.startsWith('.'))) {
        const target = path
          .relative(src, path.resolve(path.dirname(file), spec))
          .split(path.sep)[0]!
          .replace(/\.js$/, '.ts');
        expect(ALLOWED, `${path.relative(src, file)} imports ${spec}`).to.include(target);
      }
    }
  });

  it('is not imported by the store or util (the arrows run one way)', () => {
    for (const dir of ['store', 'util']) {
      for (const f of readdirSync(path.join(src, dir)).filter((n) => n.endsWith('.ts'))) {
        expect(
          importsOf(path.join(src, dir, f)).some((s) => s.includes('skill-kit')),
          `${dir}/${f}`,
        ).to.equal(false);
      }
    }
  });
});
