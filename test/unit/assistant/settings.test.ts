import { expect } from 'chai';
import { configProblems as problems } from '../../support/config-problems.js';
import { assistantSettings } from '../../../src/assistant/settings.js';
import { loadConfig } from '../../../src/config.js';

describe('assistant: settings', () => {
  it('is off unless ASSISTANT_BASE_URL is set', () => {
    expect(assistantSettings(loadConfig({}))).to.equal(undefined);
    expect(assistantSettings(loadConfig({ ASSISTANT_TIMEOUT: '5' }))).to.equal(undefined);
  });

  it('is on with a base URL and a model, with the defaults for the limits and memory', () => {
    const settings = assistantSettings(
      loadConfig({ ASSISTANT_BASE_URL: 'http://localhost:11434/v1/', ASSISTANT_MODEL: 'llama3.1' }),
    );
    expect(settings).to.deep.equal({
      baseUrl: 'http://localhost:11434/v1',
      apiKey: undefined,
      model: 'llama3.1',
      timeoutMs: 30_000,
      maxTokens: 800,
      ratePerMinute: 10,
      memory: { turns: 6, ttlMs: 3_600_000 },
    });
  });

  it('reads the key, the limits and the memory settings', () => {
    const settings = assistantSettings(
      loadConfig({
        ASSISTANT_BASE_URL: 'https://api.openai.com/v1',
        ASSISTANT_API_KEY: 'sk-abc',
        ASSISTANT_MODEL: 'gpt-4o-mini',
        ASSISTANT_TIMEOUT: '12',
        ASSISTANT_MAX_TOKENS: '300',
        ASSISTANT_RATE_LIMIT: '3',
        ASSISTANT_MEMORY_TURNS: '2',
        ASSISTANT_MEMORY_TTL: '60',
      }),
    );
    expect(settings).to.deep.include({ apiKey: 'sk-abc', timeoutMs: 12_000, maxTokens: 300, ratePerMinute: 3 });
    expect(settings?.memory).to.deep.equal({ turns: 2, ttlMs: 60_000 });
    const forgetful = loadConfig({
      ASSISTANT_BASE_URL: 'http://x/v1',
      ASSISTANT_MODEL: 'm',
      ASSISTANT_MEMORY: 'false',
    });
    expect(assistantSettings(forgetful)?.memory).to.equal(undefined);
  });

  it('names what is wrong: a URL without a model, a key or model without a URL, bad values', () => {
    expect(problems({ ASSISTANT_BASE_URL: 'http://localhost:11434/v1' })[0]).to.match(
      /^ASSISTANT_MODEL is required with ASSISTANT_BASE_URL/,
    );
    expect(problems({ ASSISTANT_API_KEY: 'sk-abc' })[0]).to.match(
      /^ASSISTANT_API_KEY is only used with ASSISTANT_BASE_URL/,
    );
    expect(problems({ ASSISTANT_API_KEY: 'sk-abc', ASSISTANT_MODEL: 'm' })[0]).to.match(
      /^ASSISTANT_API_KEY and ASSISTANT_MODEL are only used/,
    );
    expect(problems({ ASSISTANT_BASE_URL: 'localhost:11434', ASSISTANT_MODEL: 'm' })[0]).to.match(
      /^ASSISTANT_BASE_URL must/,
    );
    expect(problems({ ASSISTANT_MAX_TOKENS: 'lots' })[0]).to.match(/^ASSISTANT_MAX_TOKENS must be a positive number/);
    expect(problems({ ASSISTANT_MEMORY: 'maybe' })[0]).to.match(/^ASSISTANT_MEMORY must be true or false/);
  });

  it('never shows the key in a problem', () => {
    const shown = problems({ ASSISTANT_API_KEY: 'sk-secret-value' }).join('\n');
    expect(shown).to.not.include('sk-secret-value');
  });
});
