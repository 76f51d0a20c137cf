/**
 * One defective card per kind of defect the card check refuses, with the words it must be refused
 * with. Shared by the start-up tests (`loadCards`) and the `npm run cards:check` test, which must
 * refuse the same cards with the same messages.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const card = (body: unknown[], actions: unknown[] = [], version = '1.3') =>
  JSON.stringify({ type: 'AdaptiveCard', version, body, actions });
const text = { type: 'TextBlock', text: 'Hello' };

/** A defect: the files that show it, the file that must be named, and the message it gets. */
export interface Defect {
  readonly kind: string;
  readonly files: Readonly<Record<string, string>>;
  readonly file: string;
  readonly message: RegExp;
}

export const DEFECTS: readonly Defect[] = [
  { kind: 'not JSON', files: { 'not-json.json': '{ "type": ' }, file: 'not-json.json', message: /not valid JSON/ },
  {
    kind: 'not a card',
    files: { 'not-card.json': '{"type": "Thing"}' },
    file: 'not-card.json',
    message: /must be an object with "type": "AdaptiveCard" and a "version"/,
  },
  {
    kind: 'version Webex does not render',
    files: { 'new-version.json': card([text], [], '1.6') },
    file: 'new-version.json',
    message: /version "1\.6" is newer than Webex renders \(1\.3 at most\)/,
  },
  {
    kind: 'element Webex does not render',
    files: {
      'media.json': card([{ type: 'Media', sources: [{ url: 'https://example.com/a.mp4', mimeType: 'video/mp4' }] }]),
    },
    file: 'media.json',
    message: /Media: Webex does not render this element/,
  },
  {
    kind: 'unknown element',
    files: { 'table.json': card([{ type: 'Table' }]) },
    file: 'table.json',
    message: /Unknown element type "Table"/,
  },
  {
    kind: 'action Webex does not render',
    files: { 'execute.json': card([text], [{ type: 'Action.Execute', title: 'Go' }]) },
    file: 'execute.json',
    message: /Unknown action type "Action\.Execute"/,
  },
  {
    kind: 'expression left after rendering',
    files: {
      'unbound.json': card([{ type: 'TextBlock', text: 'Hi ${name} from ${team}' }]),
      'unbound.data.json': '{"name": "Alice"}',
    },
    file: 'unbound.json',
    message: /"\$\{team\}" is left after rendering with the sample data/,
  },
  {
    kind: 'template error',
    files: {
      'bad-expr.json': card([{ type: 'TextBlock', text: '${nosuchfunction(name)}' }]),
      'bad-expr.data.json': '{"name": "A"}',
    },
    file: 'bad-expr.json',
    message: /the template does not render/,
  },
  {
    kind: 'input without an id',
    files: { 'no-id.json': card([{ type: 'Input.Text', label: 'Name' }]) },
    file: 'no-id.json',
    message: /All inputs must have a unique Id/,
  },
  {
    kind: 'duplicate ids',
    files: {
      'dup-ids.json': card([
        { type: 'Input.Text', id: 'name', label: 'A' },
        { type: 'Input.Number', id: 'name', label: 'B' },
      ]),
    },
    file: 'dup-ids.json',
    message: /Duplicate Id "name"/,
  },
  {
    kind: 'regex that does not compile',
    files: { 'bad-regex.json': card([{ type: 'Input.Text', id: 'code', label: 'Code', regex: '([0-9]' }]) },
    file: 'bad-regex.json',
    message: /Input\.Text "code": "regex" does not compile/,
  },
  {
    kind: 'too many actions',
    files: {
      'six-buttons.json': card(
        [text],
        [1, 2, 3, 4, 5, 6].map((i) => ({ type: 'Action.OpenUrl', title: `Link ${i}`, url: 'https://example.com' })),
      ),
    },
    file: 'six-buttons.json',
    message: /Maximum number of actions exceeded \(5\)/,
  },
  {
    kind: 'too big',
    files: {
      'huge.json': card(Array.from({ length: 400 }, (_, i) => ({ type: 'TextBlock', text: `${i} ${'x'.repeat(80)}` }))),
    },
    file: 'huge.json',
    message: /the card is \d+ bytes; keep it under 24576/,
  },
  {
    kind: 'submit data that is not an object',
    files: { 'string-data.json': card([text], [{ type: 'Action.Submit', title: 'Go', data: 'yes' }]) },
    file: 'string-data.json',
    message: /"data" must be an object/,
  },
  {
    kind: 'sample data that is not JSON',
    files: { 'bad-sample.json': card([text]), 'bad-sample.data.json': '{ oops' },
    file: 'bad-sample.data.json',
    message: /not valid JSON/,
  },
  {
    kind: 'sample data for no card',
    files: { 'orphan.data.json': '{}' },
    file: 'orphan.data.json',
    message: /sample data for a card that does not exist \(no orphan\.json\)/,
  },
  {
    kind: 'bad file name',
    files: { 'bad name!.json': card([text]) },
    file: 'bad name!.json',
    message: /card ids \(file names\) are letters, digits/,
  },
];

/** A fresh folder holding `files`. */
export function folderWith(files: Readonly<Record<string, string>>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cards-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}
