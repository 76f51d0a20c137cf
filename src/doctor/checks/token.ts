/**
 * The token (`GET /people/me`: accepted, a bot, its name and e-mail) and the clock (the `Date`
 * header of that answer against this machine's time).
 */
import type { ApiAnswer, DoctorApi } from '../webex-api.js';
import type { CheckResult } from '../report.js';

/** Who the token belongs to. */
export interface TokenOwner {
  readonly id: string;
  readonly displayName: string;
  readonly email: string;
  readonly type: string;
}

/** Skew (in seconds) past which the clock check warns. */
export const CLOCK_SKEW_WARN_SECONDS = 30;

const TOKEN_FIX =
  'copy the bot\'s access token from developer.webex.com (My Webex Apps → your bot; "Regenerate" makes a new one and invalidates the old) into WEBEX_BOT_TOKEN';

/** What a failed call means for the operator. */
export function unreachableFix(apiUrl: string, answer: Extract<ApiAnswer, { ok: false }>): string {
  if (answer.status === 429)
    return `Webex rate-limited the doctor; run it again in ${answer.headers['retry-after'] ?? 'a few'} s`;
  if (answer.status >= 500)
    return 'Webex had a problem; run the doctor again in a minute (status: https://status.webex.com)';
  return `check that this machine reaches ${apiUrl} (DNS, firewall, HTTPS_PROXY/NO_PROXY) and that WEBEX_API_URL is right`;
}

/** Checks the token; resolves with the verdict, the token's owner when known, and the answer (for the clock). */
export async function checkToken(
  api: DoctorApi,
): Promise<{ result: CheckResult; owner?: TokenOwner; answer: ApiAnswer }> {
  const answer = await api.get('people/me');
  if (!answer.ok) {
    if (answer.status === 401)
      return {
        answer,
        result: {
          id: 'token',
          status: 'fail',
          verdict: 'bad token: Webex rejected it (HTTP 401): it is wrong, revoked or regenerated',
          fix: TOKEN_FIX,
        },
      };
    const what =
      answer.status > 0 ? `Webex answered ${answer.reason}` : `no answer from ${api.apiUrl} (${answer.reason})`;
    return {
      answer,
      result: {
        id: 'token',
        status: 'fail',
        verdict: `token not checked: ${what}`,
        fix: unreachableFix(api.apiUrl, answer),
      },
    };
  }
  const me = (answer.body ?? {}) as Partial<Record<'id' | 'displayName' | 'type', unknown>> & { emails?: unknown };
  const email = Array.isArray(me.emails) && typeof me.emails[0] === 'string' ? me.emails[0] : '';
  const owner: TokenOwner = {
    id: String(me.id ?? ''),
    displayName: String(me.displayName ?? ''),
    email,
    type: String(me.type ?? ''),
  };
  const details = { id: owner.id, displayName: owner.displayName, email: owner.email, type: owner.type };
  if (owner.type !== 'bot') {
    return {
      answer,
      owner,
      result: {
        id: 'token',
        status: 'fail',
        verdict: `the token is ${owner.displayName} <${email}>'s, a ${owner.type || 'non-bot'} account, not a bot`,
        fix: "create a bot at developer.webex.com (My Webex Apps → Create a Bot) and use its token: a person's token expires and sees every message",
        details,
      },
    };
  }
  return {
    answer,
    owner,
    result: { id: 'token', status: 'pass', verdict: `valid bot token: ${owner.displayName} <${email}>`, details },
  };
}

/** The clock against the `Date` of a Webex answer (taken halfway through the call; the header has whole seconds). */
export function checkClock(answer: ApiAnswer): CheckResult {
  const date = answer.headers['date'];
  const theirs = date ? Date.parse(date) : NaN;
  if (!answer.ok && answer.status === 0)
    return { id: 'clock', status: 'skip', verdict: 'not checked: no answer from Webex to compare with' };
  if (Number.isNaN(theirs))
    return { id: 'clock', status: 'skip', verdict: 'not checked: the answer had no Date header' };
  const ours = answer.ok ? (answer.sentAt + answer.receivedAt) / 2 : Date.now();
  const skew = Math.round((ours - theirs) / 1000);
  const details = { skewSeconds: skew, webexDate: date };
  // The header has whole seconds: one second either way is no skew.
  if (Math.abs(skew) <= 1)
    return { id: 'clock', status: 'pass', verdict: 'clock in step with Webex (within 1 s)', details };
  const side = skew > 0 ? 'ahead of' : 'behind';
  if (Math.abs(skew) <= CLOCK_SKEW_WARN_SECONDS)
    return { id: 'clock', status: 'pass', verdict: `clock ${Math.abs(skew)} s ${side} Webex`, details };
  return {
    id: 'clock',
    status: 'warn',
    verdict: `clock ${Math.abs(skew)} s ${side} Webex: log times will not line up with Webex's "created" times, and TLS fails once it is far off`,
    fix: 'keep the clock synchronised (systemd-timesyncd, chrony or ntpd)',
    details,
  };
}
