/**
 * The card check where operators meet it: `npm run cards:check` (a real process) and the bot's
 * start-up (a real bot against the emulator). Both refuse each defective card of
 * `test/support/defective-cards.ts` with its own message, naming the file.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestBot } from '../../src/testing/test-bot.js';
import { DEFECTS, folderWith } from '../support/defective-cards.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function cardsCheck(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/tools/cards-check.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The shipped cards' files, to add a bad one to. */
const shipped = (): Record<string, string> =>
  Object.fromEntries(
    readdirSync(path.join(root, 'cards')).map((f) => [f, readFileSync(path.join(root, 'cards', f), 'utf8')]),
  );

const submitCard = JSON.stringify({
  type: 'AdaptiveCard',
  version: '1.3',
  body: [{ type: 'Input.Text', id: 'x', label: 'X' }],
  actions: [{ type: 'Action.Submit', title: 'Send' }],
});

describe('npm run cards:check', function () {
  this.timeout(60_000);

  it('passes the shipped cards and says what it checked', () => {
    const r = cardsCheck();
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^cards:check: \d+ cards? OK \(.*feedback.*\): each rendered with its sample data/);
  });

  it('exits 1 naming every defective card with its own message', () => {
    const all = Object.assign({}, ...DEFECTS.map((d) => d.files)) as Record<string, string>;
    const r = cardsCheck('--cards', folderWith(all));
    expect(r.status).to.equal(1);
    expect(r.stderr).to.match(new RegExp(`^cards:check: ${DEFECTS.length} card files have problems:`));
    for (const defect of DEFECTS) {
      const section = r.stderr.split(/\n(?=\S)/).find((s) => s.split('\n')[0]!.endsWith(path.sep + defect.file));
      expect(section, `${defect.kind}: ${defect.file} is named`).to.be.a('string');
      expect(section, defect.kind).to.match(defect.message);
    }
  });

  it('exits 1 for a card whose submit button reaches no skill', () => {
    const r = cardsCheck('--cards', folderWith({ ...shipped(), 'orphan-form.json': submitCard }));
    expect(r.status).to.equal(1);
    expect(r.stderr)
      .to.include('orphan-form.json')
      .and.include("its Action.Submit reaches no skill: add onSubmit: { 'orphan-form': … } to a skill");
  });
});

/** A card with a button running `command` (as typed in the template). */
const commandButton = (command: string): string =>
  JSON.stringify({
    type: 'AdaptiveCard',
    version: '1.3',
    body: [{ type: 'TextBlock', text: 'Shortcuts' }],
    actions: [{ type: 'Action.Submit', title: 'Go', data: { _command: command } }],
  });

describe('command buttons', function () {
  this.timeout(60_000);

  it('cards:check refuses a button whose "_command" is no command of the skills, or misses its arguments', () => {
    const r = cardsCheck(
      '--cards',
      folderWith({ ...shipped(), 'typo.json': commandButton('provison list'), 'short.json': commandButton('echo') }),
    );
    expect(r.status).to.equal(1);
    expect(r.stderr)
      .to.include(`typo.json\n  - its button runs "provison list" ("_command"), which is no command of the skills`)
      .and.include('short.json')
      .and.include('its button runs "echo" ("_command"), which starts like the command "echo <text...>" but');
  });

  it('passes buttons that run a command, and leaves those bound to data (the skill fills them) alone', () => {
    const r = cardsCheck(
      '--cards',
      folderWith({ ...shipped(), 'ok.json': commandButton('provision list'), 'bound.json': commandButton('${next}') }),
    );
    expect(r.status, r.stderr).to.equal(0);
  });

  it('the bot refuses to start with such a button, naming the card', async () => {
    const started = startTestBot({ cardsDir: folderWith({ ...shipped(), 'typo.json': commandButton('hlep') }) });
    const err = await started.then(
      async (t) => {
        await t.stop();
        return undefined;
      },
      (e: unknown) => e as Error & { code?: string },
    );
    expect(err?.code).to.equal('CARD_CHECK_FAILED');
    expect(err?.message).to.include('typo.json').and.include('its button runs "hlep"');
  });
});

describe('cards checked at start-up', function () {
  this.timeout(30_000);

  it('a bad card stops the bot from starting, naming the file and each problem', async () => {
    const dir = folderWith({ ...DEFECTS.find((d) => d.kind === 'version Webex does not render')!.files });
    writeFileSync(path.join(dir, 'feedback.json'), submitCard);
    const started = startTestBot({ cardsDir: dir });
    const err = await started.then(
      async (t) => {
        await t.stop();
        return undefined;
      },
      (e: unknown) => e as Error & { code?: string },
    );
    expect(err?.code).to.equal('CARD_CHECK_FAILED');
    expect(err?.message)
      .to.include('new-version.json')
      .and.include('version "1.6" is newer than Webex renders (1.3 at most)');
  });
});
