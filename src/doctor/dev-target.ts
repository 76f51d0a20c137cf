/**
 * The doctor with no token, when `npm run dev` runs in the project: its bot is the one to check
 * (`.webex-skill-bot/dev.json` says where it is), not one started for the occasion. And a
 * `WEBEX_API_URL` given without a token is not used: the doctor says so, and what to set instead.
 */
import { DEV_FILE, type DevBot, readDevFile } from '../dev/dev-file.js';
import type { CheckResult } from './report.js';
import type { DoctorTarget } from './run.js';

/** What is checked when there is no token: the leading verdicts, and the dev bot if one runs. */
export interface NoTokenPlan {
  readonly checks: CheckResult[];
  readonly bot: DevBot | undefined;
}

/** The plan for the project in `root` with environment `env` (no `WEBEX_BOT_TOKEN` in it). */
export function devBotChecks(root: string, env: Readonly<Record<string, string | undefined>>): NoTokenPlan {
  const dev = readDevFile(root);
  const bot = dev && 'bot' in dev ? dev.bot : undefined;
  const what = bot
    ? `the bot npm run dev runs (process ${bot.pid}, playground ${bot.playground}; ${DEV_FILE})`
    : 'a bot started here against the built-in emulator';
  const checks: CheckResult[] = [{ id: 'config', status: 'pass', verdict: `no WEBEX_BOT_TOKEN: checking ${what}` }];
  if (dev && 'stale' in dev)
    checks.push({ id: 'dev', status: 'skip', verdict: `not checking an npm run dev bot: ${dev.stale}` });
  const apiUrl = env['WEBEX_API_URL']?.trim();
  if (apiUrl && apiUrl !== bot?.apiUrl) {
    checks.push({
      id: 'api-url',
      status: 'warn',
      verdict: `WEBEX_API_URL=${apiUrl} is not used: without WEBEX_BOT_TOKEN the doctor checks ${what}`,
      fix: `to check the bot at ${apiUrl}, set WEBEX_BOT_TOKEN too (npm run dev prints its emulator's token, and writes it in ${DEV_FILE}); or unset WEBEX_API_URL`,
    });
  }
  return { checks, bot };
}

/** The dev bot as the doctor checks it: its emulator, token, webhook URL and secret (none in websocket mode). */
export function devTarget(bot: DevBot): DoctorTarget {
  const webhooks = bot.transport === 'webhook';
  return {
    mode: 'emulator',
    token: bot.token,
    apiUrl: bot.apiUrl,
    webhookUrl: webhooks ? bot.webhookUrl : undefined,
    webhookSecret: webhooks ? bot.webhookSecret : undefined,
  };
}
