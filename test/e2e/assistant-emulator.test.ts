/**
 * The assistant against the emulator, before it is wired into the bot: its messages are posted
 * and edited over real HTTP (the emulator enforcing Webex's rules: 7,439 bytes, at most 10 edits
 * a message), and the commands it runs go through the real dispatch core's `dispatchText` with
 * the project's own skills and cards, their replies posted to the emulator too.
 */
import { expect } from 'chai';
import { createAssistant, type AssistantOptions, type Assistant } from '../../src/assistant/assistant.js';
import { createOpenAiProvider } from '../../src/assistant/openai-provider.js';
import { ScriptedProvider, type ScriptTurn } from '../../src/assistant/scripted-provider.js';
import { type Emulator, type Message, startEmulator } from '../../src/emulator/index.js';
import { buildCommandIndex, type CommandIndex } from '../../src/routing/command-index.js';
import { createDispatchCore, type DispatchCore } from '../../src/routing/dispatch-core.js';
import { loadSkillsAndCards, type SkillsAndCards } from '../../src/routing/load-skills-and-cards.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { capturedLog } from './support/captured-log.js';
import { emulatorOutbox, emulatorPoster } from './support/emulator-poster.js';
import { chunk, type ModelServer, startModelServer } from './support/model-server.js';

describe('assistant: streamed answers and commands through the emulator', () => {
  let emulator: Emulator;
  let loaded: SkillsAndCards;
  let index: CommandIndex;
  let core: DispatchCore;
  let model: ModelServer;
  const captured = capturedLog('info');

  before(async () => {
    emulator = await startEmulator({});
    loaded = await loadSkillsAndCards('skills', 'cards');
    index = buildCommandIndex(loaded.skills);
    core = createDispatchCore(
      {
        skills: loaded.skills,
        cards: loaded.cards,
        bot: () => ({ id: emulator.bot.id, displayName: emulator.bot.displayName }),
        store: new MemoryStore(),
      },
      index,
    );
    model = await startModelServer();
  });
  after(async () => {
    await model.close();
    await emulator.stop();
  });
  beforeEach(() => {
    captured.lines.length = 0;
  });

  let people = 0;

  /** A fresh person in a fresh direct space with the bot (so each test reads only its own messages). */
  function freshSpace() {
    people += 1;
    const seeded = emulator.createPerson({ displayName: `Person ${people}`, email: `person${people}@example.com` });
    const room = emulator.createRoom({ type: 'direct', memberIds: [seeded.id, emulator.bot.id] });
    const person = { id: seeded.id, displayName: seeded.displayName, email: seeded.emails[0] ?? '' };
    return { id: room.id, title: seeded.displayName, type: 'direct' as const, person };
  }

  function build(provider: AssistantOptions['provider'], extra: Partial<AssistantOptions> = {}): Assistant {
    return createAssistant({
      provider,
      skills: loaded.skills,
      find: index.find,
      limits: { timeoutMs: 10_000, maxTokens: 20_000 },
      log: captured.log,
      writer: { minIntervalMs: 20, minGrowthBytes: 200 },
      ...extra,
    });
  }

  /** Alice's message `text` in `space`, answered by `assistant`; commands run through dispatchText. */
  async function ask(assistant: Assistant, space: ReturnType<typeof freshSpace>, text: string) {
    const outbox = emulatorOutbox(emulator.apiUrl, emulator.botToken);
    const poster = emulatorPoster(emulator.apiUrl, emulator.botToken, space.id);
    const { person } = space;
    const result = await assistant.answer({
      text,
      person,
      space: { id: space.id, title: space.title, type: space.type },
      poster,
      runCommand: (command) =>
        core.dispatchText(
          {
            text: command,
            person,
            space: { id: space.id, title: space.title, type: space.type },
            message: { id: 'm-1', parentId: undefined, rawText: text, created: new Date().toISOString() },
            target: { roomId: space.id, defaultParentId: async () => undefined, threadRoot: async () => 'm-1' },
            resource: 'messages',
          },
          {
            eventId: 'ev-1',
            payload: { resource: 'messages', event: 'created', data: { id: 'm-1' } },
            log: captured.log,
            outbox,
          },
        ),
    });
    return { result, poster };
  }

  const botTexts = (roomId: string): string[] =>
    emulator
      .transcript(roomId)
      .filter((m: Message) => m.personId === emulator.bot.id)
      .map((m) => m.markdown ?? m.text ?? '');

  it('"what can you do?" lists the skills the person may use', async () => {
    const space = freshSpace();
    const scripted = (): ScriptTurn[] => [[{ toolCall: { name: 'what_i_can_do' } }]];
    await ask(build(new ScriptedProvider(scripted())), space, 'what can you do?');
    const [list] = botTexts(space.id);
    for (const skill of loaded.skills) expect(list).to.include(`**${skill.info.name}**`);
    expect(botTexts(space.id)).to.have.length(1); // the placeholder made way for the list

    const other = freshSpace();
    const noProvision = build(new ScriptedProvider(scripted()), { mayRun: (command) => command.skill !== 'provision' });
    await ask(noProvision, other, 'what can you do?');
    expect(botTexts(other.id)[0]).to.include('**echo**').and.not.include('provision');
  });

  it('a plain-language request runs the right command with the right arguments, through dispatchText', async () => {
    const space = freshSpace();
    const provider = new ScriptedProvider([
      [{ text: 'Sure, ' }, { toolCall: { name: 'echo', arguments: { text: 'hello there' } } }],
      [{ text: 'That was the **echo** skill.' }],
    ]);
    const { result } = await ask(build(provider), space, 'could you echo "hello there" for me?');
    expect(result).to.deep.equal({ outcome: 'answered', commands: ['echo hello there'] });
    const texts = botTexts(space.id);
    expect(texts).to.have.length(3);
    expect(texts[0]).to.equal('Sure, ');
    expect(texts[1]).to.include('**Webhook received**').and.include('- Message: echo hello there');
    expect(texts[2]).to.equal('That was the **echo** skill.');
  });

  it("a command run for the assistant meets the skill's own checks, and its answer reaches the person", async () => {
    const space = freshSpace();
    const provider = new ScriptedProvider([
      [{ toolCall: { name: 'provision_cancel', arguments: { id: 'nope' } } }],
      [{ text: 'Done.' }],
    ]);
    const { result } = await ask(build(provider), space, 'cancel request nope');
    expect(result.commands).to.deep.equal(['provision cancel nope']);
    expect(botTexts(space.id)[0]).to.match(/^There is no request `NOPE` in this space\./);
  });

  it('streams a long answer from an OpenAI-compatible server: at most 10 edits a message, continued in new messages', async () => {
    const space = freshSpace();
    const line = 'The assistant streams this line, and then another one like it. ';
    const pieces = Array.from({ length: 600 }, (_, i) => `${line}${i % 6 === 5 ? '\n\n' : ''}`);
    model.answer({ chunks: [...pieces.map((p) => chunk({ content: p })), chunk({}, 'stop')], everyMs: 2 });
    const updates = new Map<string, number>();
    const stop = emulator.onEvent((e) => {
      if (e.kind === 'message-updated') updates.set(e.message.id, (updates.get(e.message.id) ?? 0) + 1);
    });
    const provider = createOpenAiProvider({ baseUrl: model.baseUrl, model: 'm', log: captured.log });
    const { result, poster } = await ask(build(provider), space, 'tell me a long story');
    stop();
    expect(result.outcome).to.equal('answered');
    const texts = botTexts(space.id);
    expect(texts.length).to.be.at.least(5); // about 38 KB
    for (const text of texts) expect(Buffer.byteLength(text)).to.be.at.most(7439);
    for (const [id, edits] of poster.edits) expect(edits, id).to.be.at.most(10);
    expect(
      [...updates.values()].some((n) => n > 1),
      'edits were shown while streaming',
    ).to.equal(true);
    // Every piece streamed is shown, once, in order, across the messages.
    const shown = texts.join(' ').replace(/\s+/g, ' ').trim();
    expect(shown.length).to.equal(pieces.join('').replace(/\s+/g, ' ').trim().length);
    expect(shown).to.equal(pieces.join('').replace(/\s+/g, ' ').trim());
    expect(captured.lines.filter((l) => l.level === 'warn')).to.deep.equal([]);
  });

  it('a model that does not answer in time gets the person an apology pointing to help', async () => {
    const space = freshSpace();
    model.answer({ hang: true });
    const provider = createOpenAiProvider({ baseUrl: model.baseUrl, model: 'm', log: captured.log });
    const { result } = await ask(build(provider, { limits: { timeoutMs: 300, maxTokens: 100 } }), space, 'hello?');
    expect(result.outcome).to.equal('timeout');
    expect(botTexts(space.id)).to.deep.equal([
      'Sorry, I could not answer that just now. Type `help` to see what I can do.',
    ]);
  });
});
