/**
 * The webhook self-test: a POST that `npm run doctor` sends through the public `WEBHOOK_URL`
 * to prove, end to end, that the URL reaches this bot, that a proxy in front passes the
 * `X-Spark-Signature` header through, and that the bot's secret is the one the doctor was given.
 *
 * It is a webhook body with a resource Webex never sends ({@link SELF_TEST_RESOURCE}). The
 * webhook route recognises it only **after** the signature was verified, so only a holder of
 * the secret gets an answer; unsigned or wrongly signed self-tests are refused (401) like any
 * other request. A recognised self-test is answered with who the bot is and never reaches the
 * event pipeline or a skill: nothing is claimed, fetched or posted.
 */
import { isRecord } from '../util/is-record.js';

/** The reserved resource of a self-test body. */
export const SELF_TEST_RESOURCE = 'webexSkillBot.selfTest';
/** The event of a self-test body. */
export const SELF_TEST_EVENT = 'ping';

/** A self-test body, as the doctor sends it. */
export interface SelfTestRequest {
  readonly id: string;
  readonly name: string;
  readonly resource: typeof SELF_TEST_RESOURCE;
  readonly event: typeof SELF_TEST_EVENT;
  /** `data.id` is a nonce the answer echoes, so that a cached or foreign answer cannot pass. */
  readonly data: { readonly id: string };
}

/** Who the bot is, as far as it knows yet. */
export interface SelfTestIdentity {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
}

/** The bot's answer to a verified self-test (HTTP 200). */
export interface SelfTestAnswer {
  readonly status: 'self-test';
  /** The nonce of the request. */
  readonly nonce: string;
  /** The bot's identity; `null` while it is still connecting to Webex. */
  readonly bot: SelfTestIdentity | null;
  /** Whether the bot takes events now (as `/readyz` says). */
  readonly ready: boolean;
  /** The id of this HTTP request in the bot's log. */
  readonly requestId: string;
}

/** The JSON text of a self-test with `nonce`. */
export function selfTestBody(nonce: string): string {
  const body: SelfTestRequest = {
    id: 'self-test',
    name: 'webex-skill-bot doctor',
    resource: SELF_TEST_RESOURCE,
    event: SELF_TEST_EVENT,
    data: { id: nonce },
  };
  return JSON.stringify(body);
}

/** True when a parsed (and verified) webhook body is a self-test. */
export function isSelfTest(body: unknown): body is SelfTestRequest {
  return (
    isRecord(body) &&
    body['resource'] === SELF_TEST_RESOURCE &&
    isRecord(body['data']) &&
    typeof body['data']['id'] === 'string'
  );
}

/** True when a parsed HTTP answer is a bot's self-test answer to `nonce`. */
export function isSelfTestAnswer(body: unknown, nonce: string): body is SelfTestAnswer {
  return isRecord(body) && body['status'] === 'self-test' && body['nonce'] === nonce;
}
