/**
 * The files `webex-skill-bot init <folder>` writes: a bot project that depends on
 * `webex-skill-bot`, with one example skill (its card, its sample data and its test, from the
 * `new-skill` template), the help skill, a TypeScript set-up, and a README saying what to do
 * next. `npm install && npm start` runs it against the built-in emulator, `npm test` tests it.
 */
import { skillFiles } from './skill-template.js';

/** What the project is made from. */
export interface ProjectSpec {
  /** The package name (from the folder's name). */
  readonly name: string;
  /** What package.json's dependency on `webex-skill-bot` says (e.g. `^0.2.0`, or a tarball). */
  readonly toolkit: string;
  /** `devDependencies` for the tests and the type check: name → version range. */
  readonly devDependencies: Readonly<Record<string, string>>;
  /** The Node.js versions the toolkit supports (`engines.node`). */
  readonly node: string;
}

/** The example skill's name. */
export const EXAMPLE_SKILL = 'hello';

/** A package name made of a folder's name: lower case, letters, digits and dashes. */
export function packageNameOf(folder: string): string {
  const name = folder
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+|[-]+$/g, '');
  return name === '' ? 'my-bot' : name;
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

function packageJson(spec: ProjectSpec): string {
  return json({
    name: spec.name,
    version: '0.1.0',
    private: true,
    type: 'module',
    engines: { node: spec.node },
    scripts: {
      start: 'webex-skill-bot start',
      dev: 'webex-skill-bot dev',
      test: 'webex-skill-bot test',
      typecheck: 'tsc --noEmit -p .',
      doctor: 'webex-skill-bot doctor',
      'new-skill': 'webex-skill-bot new-skill',
      'cards:check': 'webex-skill-bot cards:check',
      build: 'webex-skill-bot build',
    },
    dependencies: { 'webex-skill-bot': spec.toolkit },
    devDependencies: spec.devDependencies,
  });
}

const tsconfig = json({
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    lib: ['ES2022'],
    types: ['node', 'mocha'],
    strict: true,
    noUncheckedIndexedAccess: true,
    isolatedModules: true,
    verbatimModuleSyntax: true,
    skipLibCheck: true,
    noEmit: true,
  },
  include: ['skills/**/*.ts', 'test/**/*.ts', 'cards/**/*.d.ts'],
});

const gitignore = ['node_modules/', 'dist/', '.dist-*', '.env', 'data/', '.webex-skill-bot/', '*.log', ''].join('\n');

function readme(spec: ProjectSpec): string {
  return `# ${spec.name}

A Webex bot built on [webex-skill-bot](https://www.npmjs.com/package/webex-skill-bot).

    npm install
    npm start        # the bot against the built-in Webex emulator: open the chat playground it prints
    npm run dev      # the same, reloading skills and cards on every edit
    npm test         # the type check and every test (what CI runs)
    npm test -- test/skills/${EXAMPLE_SKILL}.test.ts   # one test file alone

- \`skills/\`: one file per skill (\`skills/${EXAMPLE_SKILL}.ts\` is the example; \`npm run new-skill <name>\` writes another).
- \`cards/\`: Adaptive Card templates, each with sample data (\`<id>.data.json\`); \`cards/cards.d.ts\` is generated
  from them (\`npm run cards:check\`) so that \`reply.card(id, data)\` is type-checked.
- \`test/\`: chat-like tests (\`webex-skill-bot/testing\`), no token needed.

With a real bot: set \`WEBEX_BOT_TOKEN\` (and \`WEBHOOK_URL\` + \`WEBHOOK_SECRET\`, or \`WEBEX_TRANSPORT=websocket\`) in
\`.env\`, then \`npm start\`; \`npm run doctor\` says what is wrong when the bot does not answer.

Upgrading: \`npm install webex-skill-bot@latest\`, then \`npm test\`; the toolkit's CHANGELOG.md says what changed.
`;
}

/**
 * Path (relative to the project) → content, for `spec`; `help` holds the help skill's files
 * (`skills/help.ts`, `cards/help.json`, `cards/help.data.json`) as the toolkit ships them.
 */
export function projectFiles(spec: ProjectSpec, help: Readonly<Record<string, string>>): Record<string, string> {
  return {
    'package.json': packageJson(spec),
    'tsconfig.json': tsconfig,
    '.gitignore': gitignore,
    'README.md': readme(spec),
    ...skillFiles(EXAMPLE_SKILL),
    ...help,
  };
}
