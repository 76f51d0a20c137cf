/**
 * The rules that involve several settings: the defaults that depend on other settings, and the
 * checks of combinations. Each sees `given` (the text of every variable that was set, trimmed)
 * and `values` (what the table read, defaults included).
 *
 * @example
 * DERIVED_DEFAULTS.WEBEX_TRANSPORT({ WEBEX_BOT_TOKEN: 't' }, values); // 'websocket'
 */
import { MIN_SECRET_LENGTH, type DerivedName, type SettingValues, type VariableName } from './settings.js';

/** The text of each variable that was set (trimmed, not empty). */
export type GivenValues = Readonly<Partial<Record<VariableName, string>>>;

/** The defaults computed from other settings, applied in this order (a later one may use an earlier one). */
export const DERIVED_DEFAULTS: {
  readonly [N in DerivedName]: (given: GivenValues, values: SettingValues) => NonNullable<SettingValues[N]>;
} = {
  /** Websocket when a token is given without a public URL; webhooks otherwise (also against the emulator). */
  WEBEX_TRANSPORT: (given) =>
    given.WEBEX_BOT_TOKEN !== undefined && given.WEBHOOK_URL === undefined ? 'websocket' : 'webhook',
  /** Only webhooks from Webex need the server reachable from outside; otherwise it serves health checks locally. */
  HOST: (given, values) =>
    given.WEBEX_BOT_TOKEN === undefined || values.WEBEX_TRANSPORT === 'websocket' ? '127.0.0.1' : '0.0.0.0',
};

/** A rule over several settings: the problem when they do not go together, else undefined. */
export type CrossCheck = (given: GivenValues, values: SettingValues) => string | undefined;

/** The checks of combinations, in the order their problems are listed. */
export const CROSS_CHECKS: readonly CrossCheck[] = [
  // Webex signs each event with the secret: webhooks without one could be forged.
  (given, values) =>
    given.WEBHOOK_URL !== undefined && given.WEBHOOK_SECRET === undefined && values.WEBEX_TRANSPORT === 'webhook'
      ? 'WEBHOOK_SECRET is required when WEBHOOK_URL is set (Webex signs each event with it; generate one with `openssl rand -hex 20`)'
      : undefined,
  // The previous secret is the one being rotated out: it needs a current one, and another one.
  (given) => {
    const previous = given.WEBHOOK_SECRET_PREVIOUS;
    if (previous === undefined) return undefined;
    if (given.WEBHOOK_SECRET === undefined)
      return 'WEBHOOK_SECRET_PREVIOUS is only used with WEBHOOK_SECRET (it is the secret being rotated out)';
    if (previous === given.WEBHOOK_SECRET) return 'WEBHOOK_SECRET_PREVIOUS must differ from WEBHOOK_SECRET';
    if (previous.length < MIN_SECRET_LENGTH)
      return `WEBHOOK_SECRET_PREVIOUS must be at least ${MIN_SECRET_LENGTH} characters`;
    return undefined;
  },
  // Real Webex needs a public URL to POST webhooks to.
  (given, values) =>
    given.WEBEX_BOT_TOKEN !== undefined && given.WEBHOOK_URL === undefined && values.WEBEX_TRANSPORT === 'webhook'
      ? 'WEBHOOK_URL is required with WEBEX_TRANSPORT=webhook: it is the public URL Webex sends events to (or use WEBEX_TRANSPORT=websocket, which needs no public URL)'
      : undefined,
  // Two servers cannot share a port (0 picks a free one for each).
  (_given, values) =>
    values.METRICS_PORT !== undefined && values.METRICS_PORT === values.PORT && values.PORT !== 0
      ? 'METRICS_PORT must differ from PORT (unset it to serve the metrics on PORT)'
      : undefined,
  // METRICS_PORT turns the metrics on: an explicit METRICS=false says the opposite.
  (given, values) =>
    given.METRICS !== undefined && values.METRICS === false && given.METRICS_PORT !== undefined
      ? 'METRICS=false contradicts METRICS_PORT (unset one of them)'
      : undefined,
  // METRICS_HOST is where the metrics' own server listens: without one it would not apply, silently.
  (given) =>
    given.METRICS_HOST !== undefined && given.METRICS_PORT === undefined
      ? "METRICS_HOST is only used with METRICS_PORT (metrics on PORT are served by the bot's server, on HOST): set METRICS_PORT, or unset METRICS_HOST"
      : undefined,
  // The assistant needs a model to ask.
  (given) =>
    given.ASSISTANT_BASE_URL !== undefined && given.ASSISTANT_MODEL === undefined
      ? 'ASSISTANT_MODEL is required with ASSISTANT_BASE_URL: the model to ask (e.g. gpt-4o-mini, or llama3.1 on Ollama)'
      : undefined,
  // A key or a model without the URL would be ignored, silently: the assistant stays off.
  (given) => {
    const unused = (['ASSISTANT_API_KEY', 'ASSISTANT_MODEL'] as const).filter((name) => given[name] !== undefined);
    return given.ASSISTANT_BASE_URL === undefined && unused.length > 0
      ? `${unused.join(' and ')} ${unused.length > 1 ? 'are' : 'is'} only used with ASSISTANT_BASE_URL, which turns the assistant on (e.g. https://api.openai.com/v1, or http://localhost:11434/v1 for Ollama)`
      : undefined;
  },
];
