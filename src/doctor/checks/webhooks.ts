/**
 * The bot's webhooks as Webex has them (`GET /webhooks` lists the token's own): both present
 * for `WEBHOOK_URL`, active, carrying `WEBHOOK_SECRET`; and the ones left for other URLs.
 */
import type { CheckResult } from '../report.js';
import type { ListAnswer } from '../webex-api.js';
import { unreachableFix } from './token.js';

/** The two webhooks the bot registers (see `src/webex/framework-start.ts`). */
export const REQUIRED_WEBHOOKS = [
  { resource: 'all', event: 'all', label: 'all/all (messages, memberships, spaces)' },
  { resource: 'attachmentActions', event: 'created', label: 'attachmentActions/created (card submissions)' },
] as const;

/** A webhook as listed. */
export interface ListedWebhook {
  readonly id: string;
  readonly targetUrl: string;
  readonly resource: string;
  readonly event: string;
  readonly status?: string;
  readonly secret?: string;
}

/** What the webhook checks compare against. */
export interface WebhookExpectations {
  readonly webhookUrl: string;
  readonly secret: string;
  readonly previousSecret?: string | undefined;
}

const RESTART =
  'start or restart the bot with this WEBHOOK_URL: it registers both webhooks at start-up (its watchdog restores them every WEBHOOK_CHECK_INTERVAL)';

function asWebhooks(items: readonly Record<string, unknown>[]): ListedWebhook[] {
  return items
    .filter((w) => typeof w['id'] === 'string' && typeof w['targetUrl'] === 'string')
    .map((w) => w as unknown as ListedWebhook);
}

/** One webhook in a line: `all/all → https://… (inactive)`. */
function line(w: ListedWebhook): string {
  return `${w.resource}/${w.event} → ${w.targetUrl}${w.status && w.status !== 'active' ? ` (${w.status})` : ''}`;
}

/** The four webhook checks, from one listing. */
export function checkWebhooks(listing: ListAnswer, expect: WebhookExpectations, apiUrl: string): CheckResult[] {
  const ids = ['webhooks', 'webhooks-active', 'webhooks-secret', 'stale-webhooks'] as const;
  if (!listing.ok) {
    const [first, ...rest] = ids;
    return [
      {
        id: first,
        status: 'fail',
        verdict: `could not list the webhooks: ${listing.reason}`,
        fix: unreachableFix(apiUrl, listing),
      },
      ...rest.map((id) => ({ id, status: 'skip' as const, verdict: 'not checked: the webhooks could not be listed' })),
    ];
  }
  const all = asWebhooks(listing.items);
  const mine = all.filter((w) => w.targetUrl === expect.webhookUrl);
  const others = all.filter((w) => w.targetUrl !== expect.webhookUrl);
  const found = REQUIRED_WEBHOOKS.map((r) => ({
    ...r,
    hooks: mine.filter((w) => w.resource === r.resource && w.event === r.event),
  }));
  const present = found.flatMap((f) => f.hooks);
  return [
    registered(found, present, others, expect),
    active(present),
    secrets(present, expect),
    stale(others, listing.truncated),
  ];
}

/** `webhooks`: both required webhooks are registered for WEBHOOK_URL. */
function registered(
  found: ReadonlyArray<(typeof REQUIRED_WEBHOOKS)[number] & { hooks: readonly ListedWebhook[] }>,
  present: readonly ListedWebhook[],
  others: readonly ListedWebhook[],
  expect: WebhookExpectations,
): CheckResult {
  const missing = found.filter((f) => f.hooks.length === 0);
  if (missing.length === 0)
    return {
      id: 'webhooks',
      status: 'pass',
      verdict: `both webhooks registered for ${expect.webhookUrl}`,
      details: { webhooks: present.map((w) => ({ id: w.id, resource: w.resource, event: w.event })) },
    };
  const elsewhere =
    others.length > 0
      ? `; this bot has ${others.length} webhook(s) for other URLs (wrong URL? see stale-webhooks)`
      : '';
  const verdict =
    missing.length === REQUIRED_WEBHOOKS.length
      ? `no webhooks for ${expect.webhookUrl}${elsewhere}`
      : `missing webhook for ${expect.webhookUrl}: ${missing.map((m) => m.label).join(', ')}${elsewhere}`;
  return {
    id: 'webhooks',
    status: 'fail',
    verdict,
    fix: `${RESTART}; WEBHOOK_URL must be exactly the registered URL (scheme, host, port, path)`,
    details: { missing: missing.map((m) => `${m.resource}/${m.event}`) },
  };
}

/** `webhooks-active`: Webex still delivers to them. */
function active(present: readonly ListedWebhook[]): CheckResult {
  const inactive = present.filter((w) => w.status !== 'active');
  if (present.length === 0)
    return { id: 'webhooks-active', status: 'skip', verdict: 'not checked: no webhook for WEBHOOK_URL' };
  if (inactive.length === 0)
    return {
      id: 'webhooks-active',
      status: 'pass',
      verdict: `${present.length === 1 ? 'the webhook is' : 'both webhooks are'} active`,
    };
  return {
    id: 'webhooks-active',
    status: 'fail',
    verdict: `inactive webhook: ${inactive.map(line).join('; ')} — Webex stopped delivering to it after failed deliveries`,
    fix: 'make WEBHOOK_URL answer (see webhook-url), then restart the bot or wait for its watchdog; or PUT /webhooks/{id} with "status": "active"',
    details: { inactive: inactive.map((w) => w.id) },
  };
}

/** `webhooks-secret`: they carry WEBHOOK_SECRET, so that the bot takes Webex's signatures. */
function secrets(present: readonly ListedWebhook[], expect: WebhookExpectations): CheckResult {
  if (present.length === 0)
    return { id: 'webhooks-secret', status: 'skip', verdict: 'not checked: no webhook for WEBHOOK_URL' };
  const unsigned = present.filter((w) => !w.secret);
  const previous = present.filter((w) => w.secret && w.secret === expect.previousSecret);
  const other = present.filter((w) => w.secret && w.secret !== expect.secret && w.secret !== expect.previousSecret);
  if (unsigned.length > 0)
    return {
      id: 'webhooks-secret',
      status: 'fail',
      verdict: `no secret on ${unsigned.map((w) => `${w.resource}/${w.event}`).join(', ')}: Webex sends those events unsigned, and the bot refuses unsigned events (401)`,
      fix: `${RESTART} (it sets WEBHOOK_SECRET on them)`,
    };
  if (other.length > 0)
    return {
      id: 'webhooks-secret',
      status: 'fail',
      verdict: `secret mismatch: ${other.map((w) => `${w.resource}/${w.event}`).join(', ')} carry a secret that is not WEBHOOK_SECRET, so the bot refuses Webex's signatures (401)`,
      fix: `${RESTART} (it registers WEBHOOK_SECRET), and check that the bot and the doctor read the same WEBHOOK_SECRET`,
    };
  if (previous.length > 0)
    return {
      id: 'webhooks-secret',
      status: 'warn',
      verdict: `${previous.map((w) => `${w.resource}/${w.event}`).join(', ')} still carry WEBHOOK_SECRET_PREVIOUS`,
      fix: 'restart the bot so that it registers WEBHOOK_SECRET; drop WEBHOOK_SECRET_PREVIOUS only after that',
    };
  return { id: 'webhooks-secret', status: 'pass', verdict: 'both webhooks carry WEBHOOK_SECRET' };
}

/** `stale-webhooks`: none of this bot's webhooks point elsewhere. */
function stale(others: readonly ListedWebhook[], truncated: boolean): CheckResult {
  if (others.length === 0)
    return {
      id: 'stale-webhooks',
      status: 'pass',
      verdict: `no webhooks of this bot for other URLs${truncated ? ' (in the first pages of the list)' : ''}`,
    };
  const shown = others.slice(0, 3).map((w) => `${line(w)} [${w.id}]`);
  return {
    id: 'stale-webhooks',
    status: 'warn',
    verdict: `${others.length} webhook(s) of this bot for other URLs: ${shown.join('; ')}${others.length > shown.length ? '; …' : ''}`,
    fix: 'if no deployment of this bot serves those URLs any more, delete them (DELETE /webhooks/{id}); the bot never deletes webhooks itself',
    details: {
      webhooks: others.map((w) => ({
        id: w.id,
        resource: w.resource,
        event: w.event,
        targetUrl: w.targetUrl,
        status: w.status,
      })),
    },
  };
}
