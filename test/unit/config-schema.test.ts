import { expect } from 'chai';
import { isDeepStrictEqual } from 'node:util';
import { type Config, loadConfig, SETTINGS, type VariableName } from '../../src/config.js';
import { Invalid } from '../../src/config/parsers.js';
import { settingEntries, type Transport, type WebexMode } from '../../src/config/settings.js';
import { ConfigError } from '../../src/errors.js';
import type { LogLevel } from '../../src/logging.js';

/**
 * The `Config` interface as it was written by hand before the table (with `metrics.host` added
 * since): the derived type must stay the same.
 */
interface HandWrittenConfig {
  readonly mode: WebexMode;
  readonly transport: Transport;
  readonly botToken: string | undefined;
  readonly apiUrl: string;
  readonly webhookUrl: string | undefined;
  readonly webhookSecret: string | undefined;
  readonly webhookSecretPrevious: string | undefined;
  readonly access: { readonly domains: readonly string[]; readonly emails: readonly string[] };
  readonly respondToBots: boolean;
  readonly replyRatePerMinute: number;
  readonly maxFileBytes: number;
  readonly eventQueueLimit: number;
  readonly shutdownTimeoutMs: number;
  readonly webhookCheckIntervalMs: number;
  readonly port: number;
  readonly host: string;
  readonly emulatorPort: number;
  readonly skillsDir: string;
  readonly cardsDir: string;
  readonly stateDir: string;
  readonly redisUrl: string | undefined;
  readonly redisLeaseMs: number;
  readonly notifyToken: string | undefined;
  readonly adminEmails: readonly string[];
  readonly timeZone: string;
  readonly logLevel: LogLevel;
  readonly logFormat: 'json' | 'pretty';
  readonly metrics: { readonly port?: number; readonly host?: string } | undefined;
  readonly assistantBaseUrl: string | undefined;
  readonly assistantApiKey: string | undefined;
  readonly assistantModel: string | undefined;
  readonly assistantTimeoutMs: number;
  readonly assistantMaxTokens: number;
  readonly assistantRatePerMinute: number;
  readonly assistantMemory: boolean;
  readonly assistantMemoryTurns: number;
  readonly assistantMemoryTtlMs: number;
}

/** True when A and B are the same type (checked by `npm run typecheck`, which covers the tests). */
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const derivedTypeIsTheHandWrittenOne: Equals<Config, HandWrittenConfig> = true;

describe('config: the settings table', () => {
  it('derives a Config type with the same fields and types as the hand-written one, and fills each of them', () => {
    expect(derivedTypeIsTheHandWrittenOne).to.equal(true);
    const keys = new Set(settingEntries().map(([, setting]) => setting.key));
    expect(Object.keys(loadConfig({})).sort()).to.deep.equal([...keys, 'mode'].sort());
  });

  it('has valid defaults: each one reads without a problem', () => {
    for (const [name, setting] of settingEntries()) {
      if (typeof setting.default !== 'string') continue;
      const value = setting.parse(setting.default, { name, projectRoot: '/srv/bot' });
      expect(value, name).to.not.be.instanceOf(Invalid);
    }
  });

  it('reads every variable: a bad value is named in a problem, or a value changes the configuration', () => {
    const unset = loadConfig({}, '/srv/bot');
    for (const name of Object.keys(SETTINGS) as VariableName[]) {
      let effect: string;
      try {
        const config = loadConfig({ [name]: 'production' }, '/srv/bot');
        effect = isDeepStrictEqual(config, unset) ? 'none' : 'changed';
      } catch (err) {
        expect(err, name).to.be.instanceOf(ConfigError);
        effect = (err as ConfigError).problems.some((p) => p.includes(name)) ? 'refused' : 'none';
      }
      expect(effect, `${name} set to "production"`).to.not.equal('none');
    }
  });

  it('freezes the objects inside the configuration too', () => {
    const c = loadConfig({ ALLOWED_DOMAINS: 'example.com', METRICS_PORT: '9464' });
    expect(Object.isFrozen(c.access)).to.equal(true);
    expect(Object.isFrozen(c.access.domains)).to.equal(true);
    expect(Object.isFrozen(c.metrics)).to.equal(true);
  });
});
