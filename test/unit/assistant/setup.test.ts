import { expect } from 'chai';
import { setUpAssistant, ScriptedProvider, type AssistantParts } from '../../../src/assistant/index.js';
import { loadConfig } from '../../../src/config.js';
import { silentLogger } from '../../../src/logging.js';
import { buildCommandIndex } from '../../../src/routing/command-index.js';
import { checkSkill } from '../../../src/routing/skill-loader.js';
import { MemoryStore } from '../../../src/store/memory-store.js';
import { FakePoster } from './fake-poster.js';

const skills = [
  checkSkill('skills/ping.ts', {
    name: 'ping',
    description: 'Pings',
    commands: [{ pattern: 'ping', help: 'Answer pong', handle: () => undefined }],
  }),
];
const ON = { ASSISTANT_BASE_URL: 'http://127.0.0.1:9/v1', ASSISTANT_MODEL: 'm' };
const person = { id: 'ada', displayName: 'Ada', email: 'ada@example.com' };
const space = { id: 'room', title: 'Ada', type: 'direct' as const };

function parts(extra: Partial<AssistantParts> = {}): AssistantParts {
  return { skills, find: buildCommandIndex(skills).find, store: new MemoryStore(), log: silentLogger, ...extra };
}

describe('assistant: set up from the settings', () => {
  it('is off while ASSISTANT_BASE_URL is unset', () => {
    expect(setUpAssistant(loadConfig({}), parts())).to.equal(undefined);
  });

  it('applies the rate limit and the memory settings', async () => {
    const provider = new ScriptedProvider([[{ text: 'one' }], [{ text: 'two' }], [{ text: 'three' }]]);
    const poster = new FakePoster();
    const ask = (assistant: ReturnType<typeof setUpAssistant>, text: string) =>
      assistant!.answer({ text, person, space, poster, runCommand: async () => ({ kind: 'handled' }) });
    const limited = setUpAssistant(loadConfig({ ...ON, ASSISTANT_RATE_LIMIT: '1' }), parts({ provider }));
    expect((await ask(limited, 'a')).outcome).to.equal('answered');
    expect((await ask(limited, 'b')).outcome).to.equal('rate_limited');
    const forgetful = setUpAssistant(loadConfig({ ...ON, ASSISTANT_MEMORY: 'false' }), parts({ provider }));
    await ask(forgetful, 'c');
    await ask(forgetful, 'd');
    expect(provider.requests.at(-1)!.messages).to.deep.equal([{ role: 'user', content: 'd' }]);
    expect(provider.requests.at(-1)!.maxTokens).to.equal(800);
  });

  it("asks the settings' OpenAI-compatible server, and apologises when it cannot be reached", async () => {
    const poster = new FakePoster();
    const assistant = setUpAssistant(loadConfig(ON), parts());
    const result = await assistant!.answer({
      text: 'hi',
      person,
      space,
      poster,
      runCommand: async () => ({ kind: 'handled' }),
    });
    expect(result.outcome).to.equal('failed');
    expect(poster.current[0]).to.match(/^Sorry, I could not answer that just now/);
  });
});
