/**
 * The configuration the doctor was given: valid (the same validation as `npm start`), and a
 * `WEBHOOK_URL` that Webex's cloud can reach at all.
 */
import type { Config } from '../../config.js';
import { WEBEX_CLOUD_API_URL } from '../../protocol/limits.js';
import type { CheckResult } from '../report.js';

/** True for hosts only this machine or its network can reach: loopback, private ranges, `.local`. */
export function isPrivateHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost') || h.endsWith('.local') || h === '::1' || h === '0.0.0.0')
    return true;
  const v4 = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(h);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return (
      a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254)
    );
  }
  return /^f[cd][0-9a-f]{2}:/.test(h) || /^fe80:/.test(h);
}

/** The verdict on a configuration that loaded. */
export function checkConfig(config: Config): CheckResult {
  if (config.mode === 'emulator')
    return {
      id: 'config',
      status: 'pass',
      verdict: 'no WEBEX_BOT_TOKEN: checking a bot started here against the built-in emulator',
    };
  if (config.transport === 'websocket' || config.webhookUrl === undefined) {
    return {
      id: 'config',
      status: 'pass',
      verdict: `configuration valid: Webex at ${config.apiUrl}, websocket mode (no WEBHOOK_URL: events come over the bot's own socket)`,
      details: { apiUrl: config.apiUrl, transport: 'websocket' },
    };
  }
  const url = new URL(config.webhookUrl);
  const details = { apiUrl: config.apiUrl, webhookUrl: config.webhookUrl };
  if (config.apiUrl === WEBEX_CLOUD_API_URL && isPrivateHost(url.hostname)) {
    return {
      id: 'config',
      status: 'fail',
      verdict: `WEBHOOK_URL ${config.webhookUrl} is on a private or local address, which Webex's cloud cannot reach`,
      fix: 'use a public https URL that forwards to the bot (a reverse proxy, or a tunnel while developing)',
      details,
    };
  }
  if (url.protocol !== 'https:' && config.apiUrl === WEBEX_CLOUD_API_URL) {
    return {
      id: 'config',
      status: 'warn',
      verdict: `WEBHOOK_URL ${config.webhookUrl} is plain http: events (and their signatures) cross the internet unencrypted`,
      fix: 'serve the webhook over https (nginx with TLS in front of the bot; see "Deploying" in the README)',
      details,
    };
  }
  return {
    id: 'config',
    status: 'pass',
    verdict: `configuration valid: Webex at ${config.apiUrl}, WEBHOOK_URL ${config.webhookUrl}`,
    details,
  };
}

/** The verdict when the configuration does not load. */
export function configProblems(problems: readonly string[]): CheckResult {
  return {
    id: 'config',
    status: 'fail',
    verdict: `configuration invalid: ${problems.join('; ')}`,
    fix: 'fix the variables named (environment or .env; see "Configuration" in the README)',
    details: { problems },
  };
}
