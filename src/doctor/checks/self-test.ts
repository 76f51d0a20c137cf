/**
 * `WEBHOOK_URL` end to end: self-tests POSTed to the public URL (`src/server/self-test.ts`).
 *
 * - `webhook-url`: a self-test signed with `WEBHOOK_SECRET` reaches the running bot, which
 *   answers as itself (the same bot as the token) without acting;
 * - `webhook-signature`: an unsigned and a wrongly signed self-test are refused (401) — so the
 *   bot checks signatures, the secret is the one it uses, and a proxy in front passes
 *   `X-Spark-Signature` through.
 *
 * The POSTs go straight to the URL (not through `HTTP(S)_PROXY`), as Webex's do.
 */
import { randomBytes } from 'node:crypto';
import { SIGNATURE_HEADER, signBody } from '../../protocol/signature.js';
import { isSelfTestAnswer, selfTestBody, type SelfTestAnswer } from '../../receivers/self-test.js';
import { isRecord } from '../../util/is-record.js';
import type { CheckResult } from '../report.js';
import type { TokenOwner } from './token.js';

/** What one POST got. */
export type PostOutcome =
  | { readonly answered: true; readonly status: number; readonly json: unknown; readonly location?: string | undefined }
  | { readonly answered: false; readonly reason: string };

/** POSTs `body` to `url` with an optional signature; never throws. */
export async function postSelfTest(
  url: string,
  body: string,
  signature: string | undefined,
  timeoutMs: number,
): Promise<PostOutcome> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'webex-skill-bot-doctor',
        // Absent when unsigned: a header given `undefined` is sent as the text "undefined".
        ...(signature ? { [SIGNATURE_HEADER]: signature } : {}),
      },
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { answered: true, status: res.status, json, location: res.headers.get('location') ?? undefined };
  } catch (err) {
    const e = err as { name?: string; cause?: { code?: string; message?: string }; message?: string };
    if (e.name === 'TimeoutError' || e.name === 'AbortError')
      return { answered: false, reason: `no answer within ${timeoutMs / 1000} s` };
    return { answered: false, reason: e.cause?.code ?? e.cause?.message ?? e.message ?? String(err) };
  }
}

/** The refusal reason the bot's webhook route gives with a 401 (`missing`, `mismatch`), if it is the bot's. */
function refusalOf(outcome: PostOutcome): 'missing' | 'mismatch' | undefined {
  if (
    !outcome.answered ||
    outcome.status !== 401 ||
    !isRecord(outcome.json) ||
    outcome.json['error'] !== 'invalid_signature'
  )
    return undefined;
  const reason = outcome.json['reason'];
  return reason === 'missing' || reason === 'mismatch' ? reason : undefined;
}

const UNREACHABLE_FIX =
  'is the bot running and listening on PORT? WEBHOOK_URL must be reachable from the internet: public DNS name, open port, TLS proxy forwarding the path to the bot (see "Deploying" in the README)';

/** The verdict on the signed self-test. */
function reachability(url: string, signed: PostOutcome, nonce: string, owner: TokenOwner | undefined): CheckResult {
  if (!signed.answered)
    return {
      id: 'webhook-url',
      status: 'fail',
      verdict: `unreachable URL: POST ${url} failed (${signed.reason})`,
      fix: UNREACHABLE_FIX,
    };
  if (signed.status === 200 && isSelfTestAnswer(signed.json, nonce)) return selfTestAnswered(url, signed.json, owner);
  const refusal = refusalOf(signed);
  if (refusal)
    return {
      id: 'webhook-url',
      status: 'warn',
      verdict: `${url} reaches a bot of this toolkit, but it refused the signed self-test, so who it is is unproven (see webhook-signature)`,
      fix: 'fix webhook-signature first',
    };
  return answeredOtherwise(url, signed.status, signed.location);
}

/** The verdict when the bot answered the self-test: this bot (ready or not), or another one. */
function selfTestAnswered(url: string, answer: SelfTestAnswer, owner: TokenOwner | undefined): CheckResult {
  const details = { bot: answer.bot, ready: answer.ready, requestId: answer.requestId };
  if (!answer.bot)
    return {
      id: 'webhook-url',
      status: 'warn',
      verdict: `reached the bot at ${url}, which is still connecting to Webex (request ${answer.requestId})`,
      fix: 'run the doctor again once the bot has logged "bot ready"',
      details,
    };
  if (owner && owner.id !== '' && answer.bot.id !== owner.id) {
    return {
      id: 'webhook-url',
      status: 'fail',
      verdict: `${url} is answered by another bot: ${answer.bot.displayName} <${answer.bot.email}>, not ${owner.displayName} <${owner.email}>`,
      fix: 'WEBHOOK_URL points at another deployment: give each bot its own URL',
      details,
    };
  }
  const notReady = answer.ready ? '' : ' — but it does not take events now (see its /readyz)';
  return {
    id: 'webhook-url',
    status: answer.ready ? 'pass' : 'warn',
    verdict: `${url} reaches this bot: ${answer.bot.displayName} <${answer.bot.email}> answered the self-test (request ${answer.requestId})${notReady}`,
    ...(answer.ready ? {} : { fix: "see the reasons /readyz lists, and the bot's log" }),
    details,
  };
}

/** The verdict when something answered `status` but not as a bot of this toolkit: what is likely in the way. */
function answeredOtherwise(url: string, status: number, location: string | undefined): CheckResult {
  if (status >= 300 && status < 400)
    return {
      id: 'webhook-url',
      status: 'fail',
      verdict: `${url} answers with a redirect (HTTP ${status} to ${location ?? '?'}) instead of taking the event`,
      fix: 'set WEBHOOK_URL to the final URL (https, exact path) and restart the bot',
    };
  if (status === 404 || status === 405)
    return {
      id: 'webhook-url',
      status: 'fail',
      verdict: `${url} answers HTTP ${status}: what answers there does not serve the webhook path`,
      fix: "the proxy must forward WEBHOOK_URL's path to the bot unchanged, and the bot serves POST on that same path",
    };
  if (status === 502 || status === 503 || status === 504)
    return {
      id: 'webhook-url',
      status: 'fail',
      verdict: `${url} answers HTTP ${status}: a proxy could not reach the bot behind it`,
      fix: "start the bot, and check the proxy's upstream address and port",
    };
  if (status === 413)
    return {
      id: 'webhook-url',
      status: 'fail',
      verdict: `${url} refused a small body with 413: a body limit on the way is too low`,
      fix: 'allow bodies of at least 16 KB on the webhook path (nginx: client_max_body_size)',
    };
  if (status === 200)
    return {
      id: 'webhook-url',
      status: 'fail',
      verdict: `${url} answers 200 but not as this bot (an older version, or another server that accepts anything)`,
      fix: 'point WEBHOOK_URL at this bot (and upgrade it if it is an older version without the self-test)',
    };
  return {
    id: 'webhook-url',
    status: 'fail',
    verdict: `${url} answers HTTP ${status} to a signed self-test`,
    fix: UNREACHABLE_FIX,
  };
}

/** The verdict on signatures: the signed one accepted, the unsigned and the wrongly signed ones refused. */
function signatures(signed: PostOutcome, unsigned: PostOutcome, wrong: PostOutcome, nonce: string): CheckResult {
  if (!signed.answered)
    return { id: 'webhook-signature', status: 'skip', verdict: 'not checked: WEBHOOK_URL is unreachable' };
  const signedRefusal = refusalOf(signed);
  if (signedRefusal === 'missing') {
    return {
      id: 'webhook-signature',
      status: 'fail',
      verdict:
        'the signed self-test reached the bot without its X-Spark-Signature header: a proxy in front drops it, so every Webex event is refused',
      fix: 'pass the X-Spark-Signature header through to the bot (nginx passes it unless told otherwise: look for proxy_set_header or underscores rules)',
    };
  }
  if (signedRefusal === 'mismatch') {
    return {
      id: 'webhook-signature',
      status: 'fail',
      verdict:
        'secret mismatch: the running bot refused the self-test signed with WEBHOOK_SECRET — it runs with another secret (or a proxy changes the body)',
      fix: 'give the bot and the doctor the same WEBHOOK_SECRET and restart the bot (it then registers that secret on its webhooks); a proxy must pass the body unchanged',
    };
  }
  const accepted = signed.status === 200 && isSelfTestAnswer(signed.json, nonce);
  if (!accepted)
    return {
      id: 'webhook-signature',
      status: 'skip',
      verdict: 'not checked: the signed self-test did not reach this bot (see webhook-url)',
    };
  const refused = (o: PostOutcome) => o.answered && o.status === 401;
  if (refused(unsigned) && refused(wrong))
    return {
      id: 'webhook-signature',
      status: 'pass',
      verdict: 'the secret matches: signed with WEBHOOK_SECRET accepted, unsigned and wrongly signed refused (401)',
    };
  const open = [!refused(unsigned) ? 'unsigned' : undefined, !refused(wrong) ? 'wrongly signed' : undefined]
    .filter(Boolean)
    .join(' and ');
  return {
    id: 'webhook-signature',
    status: 'fail',
    verdict: `the ${open} self-test was not refused: the server at WEBHOOK_URL takes events anyone can forge`,
    fix: 'run this bot (it checks every signature) behind WEBHOOK_URL',
  };
}

/** Runs the three self-tests against `url` and judges them. */
export async function checkSelfTest(
  url: string,
  secret: string,
  owner: TokenOwner | undefined,
  timeoutMs = 10_000,
): Promise<CheckResult[]> {
  const nonce = randomBytes(8).toString('hex');
  const body = selfTestBody(nonce);
  const signed = await postSelfTest(url, body, signBody(secret, body), timeoutMs);
  const unsigned = signed.answered ? await postSelfTest(url, body, undefined, timeoutMs) : signed;
  const wrong = signed.answered ? await postSelfTest(url, body, signBody(`${secret}-wrong`, body), timeoutMs) : signed;
  return [reachability(url, signed, nonce, owner), signatures(signed, unsigned, wrong, nonce)];
}
