/**
 * Reloading (what `npm run dev` does): a real bot against the emulator, its skills and cards in
 * a temporary folder; each edit is followed by waiting for the reload it causes (no sleeps).
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { watchSkillsAndCards, type Reloader } from '../../src/dev/reloader.js';
import { silentLogger } from '../../src/logging.js';
import { startTestBot, textShown, type TestBot } from '../../src/testing/test-bot.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const kit = JSON.stringify(path.join(root, 'src/skill-kit/index.ts'));

const greetSkill = (word: string): string => `import { command, defineSkill } from ${kit};
import { punctuation } from './_style.js';
export default defineSkill({ name: 'greet', description: 'Greets', commands: [
  command({ pattern: 'greet', help: 'Say hello', handle: ({ reply }) => reply.text('${word}' + punctuation) }),
  command({ pattern: 'greet card', help: 'Send the card', handle: ({ reply }) => reply.card('greet', { who: 'you' }) }),
] });
`;
const greetCard = (text: string, version = '1.3'): string =>
  JSON.stringify({ type: 'AdaptiveCard', version, body: [{ type: 'TextBlock', text: `${text} \${who}` }] });

describe('reloading skills and cards (npm run dev)', function () {
  this.timeout(30_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'dev-reload-'));
  const skillsDir = path.join(dir, 'skills');
  const cardsDir = path.join(dir, 'cards');
  let t: TestBot;
  let reloader: Reloader;
  let port: number;

  /** Makes an edit and waits for the reload it causes. */
  async function edit(file: string, content: string) {
    const next = reloader.next();
    writeFileSync(path.join(dir, file), content);
    return next;
  }

  before(async () => {
    mkdirSync(skillsDir);
    mkdirSync(cardsDir);
    writeFileSync(path.join(dir, 'package.json'), '{"type": "module"}\n'); // as in the project: skills are ES modules
    writeFileSync(path.join(skillsDir, '_style.ts'), "export const punctuation = '!';\n");
    writeFileSync(path.join(skillsDir, 'greet.ts'), greetSkill('Hello'));
    writeFileSync(path.join(cardsDir, 'greet.json'), greetCard('Card for'));
    t = await startTestBot({ skillsDir, cardsDir });
    port = t.bot.port;
    reloader = watchSkillsAndCards({
      skillsDir,
      cardsDir,
      log: silentLogger,
      apply: (next) => t.bot.replaceSkills(next),
      settleMs: 20,
    });
  });
  after(async () => {
    reloader?.close();
    await t?.stop();
  });

  it('serves an edited skill without a restart', async () => {
    expect((await t.direct.say('greet')).markdown).to.equal('Hello!');
    expect(await edit('skills/greet.ts', greetSkill('Howdy'))).to.deep.include({ kind: 'reloaded', skills: ['greet'] });
    expect((await t.direct.say('greet')).markdown).to.equal('Howdy!');
    expect(t.bot.port).to.equal(port); // the same bot, never restarted
  });

  it('reloads a helper the skill imports', async () => {
    expect((await edit('skills/_style.ts', "export const punctuation = '?';\n")).kind).to.equal('reloaded');
    expect((await t.direct.say('greet')).markdown).to.equal('Howdy?');
  });

  it('serves an edited card', async () => {
    expect((await edit('cards/greet.json', greetCard('New card for'))).kind).to.equal('reloaded');
    expect(textShown(await t.direct.say('greet card'))).to.equal('New card for you');
  });

  it('a broken skill edit is reported naming the file, and the previous version keeps serving', async () => {
    const outcome = await edit('skills/greet.ts', 'export default defineSkill({ oops');
    expect(outcome.kind).to.equal('failed');
    expect(outcome.kind === 'failed' && outcome.error.message)
      .to.include('greet.ts')
      .and.include('failed to load');
    expect((await t.direct.say('greet')).markdown).to.equal('Howdy?');
  });

  it('a broken card edit is reported naming the card and the problem, and the previous card keeps serving', async () => {
    const outcome = await edit('cards/greet.json', greetCard('Newer', '1.6'));
    expect(outcome.kind === 'failed' && outcome.error.message)
      .to.include('greet.json')
      .and.include('version "1.6" is newer than Webex renders');
    expect(textShown(await t.direct.say('greet card'))).to.equal('New card for you');
  });

  it('picks up a new skill file, once the broken ones are fixed', async () => {
    writeFileSync(path.join(cardsDir, 'greet.json'), greetCard('Card for'));
    await edit('skills/greet.ts', greetSkill('Hi'));
    let outcome = await edit(
      'skills/bye.ts',
      `import { command, defineSkill } from ${kit};
export default defineSkill({ name: 'bye', description: 'Bye', commands: [command({ pattern: 'bye', help: 'Say bye', handle: ({ reply }) => reply.text('Bye!') })] });\n`,
    );
    // A late event of the edits before may have reloaded before bye.ts was there: then the next reload has it.
    if (outcome.kind === 'reloaded' && !outcome.skills.includes('bye')) outcome = await reloader.next();
    expect(outcome).to.deep.include({ kind: 'reloaded', skills: ['bye', 'greet'] });
    expect((await t.direct.say('bye')).markdown).to.equal('Bye!');
    expect((await t.direct.say('greet')).markdown).to.equal('Hi?');
  });
});

describe('npm run dev', function () {
  this.timeout(60_000);

  it('starts the emulator, the playground and the bot, ignoring a token, and reloads an edited card', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dev-run-'));
    for (const sub of ['skills', 'cards']) mkdirSync(path.join(dir, sub));
    writeFileSync(path.join(dir, 'package.json'), '{"type": "module"}\n');
    writeFileSync(path.join(dir, 'skills', '_style.ts'), "export const punctuation = '!';\n");
    writeFileSync(path.join(dir, 'skills', 'greet.ts'), greetSkill('Hello'));
    writeFileSync(path.join(dir, 'cards', 'greet.json'), greetCard('Card for'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/dev/main.ts'], {
      cwd: root,
      env: {
        ...process.env,
        PORT: '0',
        EMULATOR_PORT: '0',
        STATE_DIR: path.join(dir, 'state'),
        CARDS_DIR: path.join(dir, 'cards'),
        SKILLS_DIR: path.join(dir, 'skills'),
        WEBEX_BOT_TOKEN: 'ignored-by-dev',
        NO_COLOR: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const listeners: Array<() => void> = [];
    const onData = (d: Buffer): void => {
      out += d.toString();
      for (const l of listeners) l();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const seen = (re: RegExp): Promise<void> =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (re.test(out)) resolve();
        };
        listeners.push(check);
        child.on('exit', (code) =>
          reject(new Error(`npm run dev exited (${String(code)}) before printing ${re}:\n${out}`)),
        );
        check();
      });
    try {
      await seen(/Watching .*: edits are served without a restart/);
      expect(out).to.match(/Open the chat playground: {2}http:\/\/localhost:\d+\//);
      writeFileSync(path.join(dir, 'cards', 'greet.json'), greetCard('Edited card for'));
      await seen(/reloaded skills and cards/);
      writeFileSync(path.join(dir, 'skills', 'greet.ts'), 'export default 42;\n');
      await seen(/reload failed, the previous version keeps serving: .*greet\.ts/);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
