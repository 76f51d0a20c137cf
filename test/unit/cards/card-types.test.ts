/**
 * Typed cards: what a template reads (its `${…}` expressions, through `$data` lists), the types
 * made from the sample data, the committed `cards/cards.d.ts` being current, and — compiled by
 * TypeScript itself — a wrong id or a missing field being an error with the generated file and
 * anything going without it.
 */
import { expect } from 'chai';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { dataShape, type DataShape } from '../../../src/cards/card-data-shape.js';
import { CARD_TYPES_FILE, cardTypes, writeCardTypes } from '../../../src/cards/card-types.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));

/** The shape as nested plain objects, for deep equality. */
const plain = (shape: DataShape): Record<string, unknown> =>
  Object.fromEntries([...shape.fields].map(([k, v]) => [k, plain(v)]));

const standup = {
  type: 'AdaptiveCard',
  version: '1.3',
  body: [
    { type: 'TextBlock', text: 'Stand-up of ${team.name}, ${formatDateTime(day, "dddd")}' },
    {
      type: 'Container',
      $data: '${members}',
      items: [
        { type: 'TextBlock', text: '${name}: ${if(done, "✔", "…")} (${$root.team.name}, #${$index})' },
        { type: 'FactSet', facts: [{ $data: '${blockers}', title: '${title}', value: '${since}' }] },
      ],
    },
    { type: 'TextBlock', $when: '${count(members) > 5}', text: 'A big team' },
    { type: 'Container', $data: [{ x: 1 }], items: [{ type: 'TextBlock', text: '${x}' }] },
  ],
  actions: [{ type: 'Action.Submit', title: 'Nudge ${members[0].name}', data: { _command: 'nudge ${team.id}' } }],
};

describe('typed cards', () => {
  it('finds the fields a template reads, following $data into the items of its list', () => {
    expect(plain(dataShape(standup))).to.deep.equal({
      team: { name: {}, id: {} },
      day: {},
      members: { '[]': { name: {}, done: {}, blockers: { '[]': { title: {}, since: {} } } } },
    });
  });

  it('types each field from the sample: text, numbers, flags, lists, objects; null or absent is optional', () => {
    const text = cardTypes([
      {
        id: 'standup-report',
        template: standup,
        sample: {
          team: { name: 'Core', id: 7, unused: true },
          day: null,
          members: [{ name: 'Ada', done: true, blockers: [{ title: 'CI', since: 'Monday' }] }],
        },
      },
    ]);
    expect(text).to.include("declare module 'webex-skill-bot' {").and.include('interface CardTemplates {');
    const body = text.slice(text.indexOf("'standup-report'"));
    expect(body.replace(/\s+/g, ' ')).to.include(
      "'standup-report': { readonly team: { readonly name: CardText; readonly id: number; }; readonly day?: unknown; " +
        'readonly members: ReadonlyArray<{ readonly name: CardText; readonly done: boolean; ' +
        'readonly blockers: ReadonlyArray<{ readonly title: CardText; readonly since: CardText; }>; }>; };',
    );
  });

  it(`the committed cards/${CARD_TYPES_FILE} is what the cards make (else: npm run cards:check)`, () => {
    const copy = mkdtempSync(path.join(tmpdir(), 'card-types-'));
    for (const f of readdirSync(path.join(root, 'cards')).filter((n) => n.endsWith('.json')))
      writeFileSync(path.join(copy, f), readFileSync(path.join(root, 'cards', f)));
    expect(writeCardTypes(copy)).to.equal(true);
    expect(readFileSync(path.join(root, 'cards', CARD_TYPES_FILE), 'utf8'), 'run npm run cards:check').to.equal(
      readFileSync(path.join(copy, CARD_TYPES_FILE), 'utf8'),
    );
    expect(writeCardTypes(copy), 'unchanged: not written again').to.equal(false);
  });

  describe('compiled by TypeScript', function () {
    this.timeout(60_000);
    const calls = `import { defineSkill, type Reply } from 'webex-skill-bot';
declare const reply: Reply;
export async function f(): Promise<void> {
  await reply.card('hello', { name: 'Ada' });
  await reply.card('hullo', { name: 'Ada' });
  await reply.card('hello', {});
}
export default defineSkill({ name: 'x', description: 'x', onSubmit: { hello: () => 1, hullo: () => 1 } });
`;
    /** The diagnostics of `calls` compiled as this repository compiles skills, with or without the generated types. */
    function diagnostics(withTypes: boolean): string[] {
      const dir = mkdtempSync(path.join(tmpdir(), 'typed-cards-'));
      writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }');
      writeFileSync(path.join(dir, 'calls.ts'), calls);
      const files = [path.join(dir, 'calls.ts')];
      if (withTypes) {
        const template = { type: 'AdaptiveCard', version: '1.3', body: [{ type: 'TextBlock', text: 'Hi ${name}' }] };
        writeFileSync(path.join(dir, 'cards.d.ts'), cardTypes([{ id: 'hello', template, sample: { name: 'Ada' } }]));
        files.push(path.join(dir, 'cards.d.ts'));
      }
      const config = ts.getParsedCommandLineOfConfigFile(
        path.join(root, 'tsconfig.json'),
        {},
        {
          ...ts.sys,
          onUnRecoverableConfigFileDiagnostic: () => undefined,
        },
      )!;
      const program = ts.createProgram(files, config.options);
      return ts
        .getPreEmitDiagnostics(program)
        .filter((d) => d.file?.fileName.startsWith(dir))
        .map(
          (d) =>
            `${d.file!.getLineAndCharacterOfPosition(d.start!).line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
        );
    }

    it('with the generated file: an unknown id, a missing field and an unknown onSubmit key are errors', () => {
      const found = diagnostics(true);
      expect(
        found.some((d) => d.startsWith('5:') && d.includes('"hullo"')),
        found.join('\n'),
      ).to.equal(true);
      expect(
        found.some((d) => d.startsWith('6:') && d.includes("'name'")),
        found.join('\n'),
      ).to.equal(true);
      expect(
        found.some((d) => d.startsWith('8:') && /there is no card \\?"hullo\\?" in cards\//.test(d)),
        found.join('\n'),
      ).to.equal(true);
      expect(found).to.have.length(3);
    });

    it('without it: any id, any data (a project whose cards are not typed yet)', () => {
      expect(diagnostics(false)).to.deep.equal([]);
    });
  });
});
