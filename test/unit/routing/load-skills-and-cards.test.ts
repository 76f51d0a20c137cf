import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CardCheckError, SkillLoadError } from '../../../src/errors.js';
import { loadSkillsAndCards } from '../../../src/routing/load-skills-and-cards.js';
import { folderWith } from '../../support/defective-cards.js';

const kit = fileURLToPath(new URL('../../../src/skill-kit/index.ts', import.meta.url));
const card = JSON.stringify({
  type: 'AdaptiveCard',
  version: '1.3',
  body: [
    { type: 'Input.Text', id: 'email', label: 'E-mail', isRequired: true, errorMessage: 'Enter an e-mail' },
    { type: 'Input.Date', id: 'start', label: 'Start' },
  ],
  actions: [{ type: 'Action.Submit', title: 'Send' }],
});

function skillsWith(inputs: string, opensForm = 'signup'): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'skills-'));
  writeFileSync(
    path.join(dir, 'signup.ts'),
    `import { command, defineSkill, form } from ${JSON.stringify(kit)};
export default defineSkill({
  name: 'signup',
  description: 'Sign-ups',
  commands: [
    command({ pattern: 'signup list', help: 'List the sign-ups', handle: () => undefined }),
    command({ pattern: 'signup', help: 'Open the form', opensForm: ${JSON.stringify(opensForm)}, handle: () => undefined }),
  ],
  onSubmit: { signup: form({ inputs: ${inputs}, handle: () => undefined }) },
});
`,
  );
  return dir;
}

async function failure(skillsDir: string, cardsDir: string): Promise<Error> {
  try {
    await loadSkillsAndCards(skillsDir, cardsDir);
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected loading to fail');
}

describe('loading skills and cards together', () => {
  it('loads a form whose inputs match its card', async () => {
    const { skills, cards } = await loadSkillsAndCards(
      skillsWith("{ email: 'text', start: 'date?' }"),
      folderWith({ 'signup.json': card }),
    );
    expect(skills.map((s) => s.info.name)).to.deep.equal(['signup']);
    expect(cards.ids).to.deep.equal(['signup']);
  });

  it('refuses a form whose inputs do not match its card, naming the skill file, the card and each difference', async () => {
    const err = await failure(skillsWith("{ email: 'text?', phone: 'text' }"), folderWith({ 'signup.json': card }));
    expect(err).to.be.instanceOf(SkillLoadError);
    expect(err.message).to.match(
      /signup\.ts: onSubmit\["signup"\]: its inputs do not match cards\/signup\.json:\n {2}- "email" is declared text\?, but the card has it as text\n {2}- "phone" is declared, but the card has no input with that id\n {2}- the card's input "start" \(date\?\) is not declared/,
    );
  });

  it('refuses a command whose opensForm names no card, naming the command and the cards there are', async () => {
    const err = await failure(
      skillsWith("{ email: 'text', start: 'date?' }", 'sign-up'),
      folderWith({ 'signup.json': card }),
    );
    expect(err).to.be.instanceOf(SkillLoadError);
    expect(err.message).to.include(
      'signup.ts: command "signup": opensForm names the card "sign-up", which is not in the cards folder (signup)',
    );
  });

  it('refuses a card whose submit button reaches no skill', async () => {
    const err = await failure(
      skillsWith("{ email: 'text', start: 'date?' }"),
      folderWith({ 'signup.json': card, 'lonely.json': card }),
    );
    expect(err).to.be.instanceOf(CardCheckError);
    expect((err as CardCheckError).files.map((f) => path.basename(f.file))).to.deep.equal(['lonely.json']);
  });

  it('lets a card whose buttons only run commands go without an owner (commands that exist)', async () => {
    const buttons = JSON.stringify({
      type: 'AdaptiveCard',
      version: '1.3',
      body: [{ type: 'TextBlock', text: 'Menu' }],
      actions: [{ type: 'Action.Submit', title: 'List', data: { _command: 'signup list' } }],
    });
    const { cards } = await loadSkillsAndCards(
      skillsWith("{ email: 'text', start: 'date?' }"),
      folderWith({ 'signup.json': card, 'menu.json': buttons }),
    );
    expect(cards.ids).to.deep.equal(['menu', 'signup']);
  });
});
