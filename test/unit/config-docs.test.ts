import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CONFIG_DOC_PATH,
  CONFIG_DOCS_COMMAND,
  CONFIG_TABLE_END,
  CONFIG_TABLE_START,
  configTableDifferences,
  renderConfigTable,
  withConfigTable,
} from '../../src/config/docs-table.js';
import { SETTINGS } from '../../src/config.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A page around `table`. */
function pageWith(table: string): string {
  return `# Bot\n\n## Configuration\n\nIntro.\n\n${CONFIG_TABLE_START}\n${table}\n${CONFIG_TABLE_END}\n\n## Next\n`;
}

describe('config: the table of docs/configuration.md', () => {
  it('docs/configuration.md holds the table the settings table makes', () => {
    const differences = configTableDifferences(readFileSync(path.join(root, CONFIG_DOC_PATH), 'utf8'));
    expect(differences, differences.join('\n')).to.deep.equal([]);
  });

  it('is written by a script of package.json, and pointed to from the README', () => {
    const scripts = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: object }).scripts;
    expect(scripts).to.have.property(CONFIG_DOCS_COMMAND.replace(/^npm run /, ''));
    expect(readFileSync(path.join(root, 'README.md'), 'utf8')).to.include(`](${CONFIG_DOC_PATH})`);
  });

  it('has one row per setting, with its meaning and default', () => {
    const table = renderConfigTable();
    for (const name of Object.keys(SETTINGS)) expect(table).to.include(`| \`${name}\` |`);
    expect(table).to.include('| `PORT` | HTTP port of the bot. | `3000` |');
    expect(table).to.include("| `WEBEX_BOT_TOKEN` | The bot's access token.");
    expect(table.split('\n')).to.have.length(Object.keys(SETTINGS).length + 2);
  });

  it('names each variable whose row is changed, missing or unknown, and the command that regenerates the table', () => {
    const rows = renderConfigTable().split('\n');
    const stale = rows
      .map((row) => (row.startsWith('| `PORT` |') ? '| `PORT` | HTTP port. | `3000` |' : row))
      .filter((row) => !row.startsWith('| `HOST` |'))
      .concat('| `COLOR` | The colour of the bot. | unset |');
    const differences = configTableDifferences(pageWith(stale.join('\n')));
    expect(differences).to.have.length(3);
    expect(differences[0]).to.include('the row of PORT differs');
    expect(differences[1]).to.include('has no row for HOST');
    expect(differences[2]).to.include('has a row for COLOR');
    for (const difference of differences) expect(difference).to.include(CONFIG_DOCS_COMMAND);
  });

  it('notices rows out of order and a changed header', () => {
    const [header, rule, first, second, ...rest] = renderConfigTable().split('\n');
    expect(configTableDifferences(pageWith([header, rule, second, first, ...rest].join('\n')))[0]).to.include(
      "not in the settings' order",
    );
    expect(
      configTableDifferences(pageWith(['| Name | What |', rule, first, second, ...rest].join('\n')))[0],
    ).to.include('header differs');
  });

  it('regenerates the table between the markers and leaves the rest of the page alone', () => {
    const stale = pageWith('| Variable | Meaning | Default |\n| --- | --- | --- |\n| `PORT` | Old text. | `80` |');
    const fresh = withConfigTable(stale);
    expect(configTableDifferences(fresh)).to.deep.equal([]);
    expect(withConfigTable(fresh)).to.equal(fresh);
    expect(fresh.startsWith('# Bot\n\n## Configuration\n\nIntro.\n\n')).to.equal(true);
    expect(fresh.endsWith(`${CONFIG_TABLE_END}\n\n## Next\n`)).to.equal(true);
  });

  it('says so when the markers are missing, naming the page', () => {
    expect(() => configTableDifferences('# Bot\n')).to.throw(/docs\/configuration\.md has no <!-- config:start -->/);
  });
});
