/**
 * One doctor run: every check in order, each turned into a verdict whatever happens — a check
 * that throws becomes a failed verdict naming the error, and checks that need something a failed
 * one could not give are skipped with the reason. A run never throws.
 */
import { checkNode, checkProxy } from './checks/environment.js';
import { checkProxyTunnel } from './checks/proxy-tunnel.js';
import { checkMentions } from './checks/mentions.js';
import { checkSelfTest } from './checks/self-test.js';
import { checkClock, checkToken, type TokenOwner } from './checks/token.js';
import { checkWebhooks } from './checks/webhooks.js';
import { reportOf, type CheckResult, type DoctorReport } from './report.js';
import { createDoctorApi, type DoctorApi } from './webex-api.js';

/** What the doctor checks. */
export interface DoctorTarget {
  readonly mode: DoctorReport['mode'];
  readonly token: string;
  readonly apiUrl: string;
  /** The public webhook URL and its secret; undefined in websocket mode (no webhooks used). */
  readonly webhookUrl: string | undefined;
  readonly webhookSecret: string | undefined;
  readonly webhookSecretPrevious?: string | undefined;
}

/** Things a run reads from its surroundings (replaceable in tests). */
export interface DoctorEnvironment {
  readonly nodeVersion: string;
  /** `engines.node` of package.json. */
  readonly nodeRange: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Longest wait for one HTTP call (default 10 s). */
  readonly timeoutMs?: number;
  readonly api?: DoctorApi;
}

/** Runs `check`; a throw becomes a failed verdict of `id`. */
async function guarded(id: string, check: () => Promise<CheckResult[]> | CheckResult[]): Promise<CheckResult[]> {
  try {
    return await check();
  } catch (err) {
    return [
      {
        id,
        status: 'fail',
        verdict: `the check itself failed: ${(err as Error)?.message ?? String(err)}`,
        fix: 'report this as a bug of the doctor, with the line above',
      },
    ];
  }
}

const skipped = (id: string, why: string): CheckResult => ({ id, status: 'skip', verdict: `not checked: ${why}` });

/** Checks `target`; resolves with the report (never rejects). */
export async function runDoctor(
  target: DoctorTarget,
  environment: DoctorEnvironment,
  leading: readonly CheckResult[] = [],
): Promise<DoctorReport> {
  const timeoutMs = environment.timeoutMs ?? 10_000;
  const api = environment.api ?? createDoctorApi(target.token, target.apiUrl, timeoutMs);
  const checks: CheckResult[] = [...leading];
  checks.push(...(await guarded('node', () => [checkNode(environment.nodeVersion, environment.nodeRange)])));
  checks.push(...(await guarded('proxy', () => [checkProxy(target.apiUrl, environment.env)])));
  checks.push(
    ...(await guarded('proxy-socket', async () => {
      const tunnel = await checkProxyTunnel(target.apiUrl, environment.env, timeoutMs);
      return tunnel ? [tunnel] : [];
    })),
  );

  let owner: TokenOwner | undefined;
  let tokenOk = false;
  checks.push(
    ...(await guarded('token', async () => {
      const { result, owner: found, answer } = await checkToken(api);
      owner = found;
      tokenOk = result.status === 'pass';
      return [result, checkClock(answer)];
    })),
  );

  checks.push(...(await webhookChecks(target, api, owner, timeoutMs)));

  if (tokenOk && owner) {
    const name = owner.displayName;
    checks.push(...(await guarded('mentions', async () => [await checkMentions(api, name)])));
  } else {
    checks.push(skipped('mentions', 'needs a valid bot token'));
  }
  return reportOf(target.mode, checks);
}

/** The webhook checks (skipped in websocket mode, and those that need a token without one). */
async function webhookChecks(
  target: DoctorTarget,
  api: DoctorApi,
  owner: TokenOwner | undefined,
  timeoutMs: number,
): Promise<CheckResult[]> {
  const checks: CheckResult[] = [];
  const { webhookUrl, webhookSecret } = target;
  if (webhookUrl === undefined || webhookSecret === undefined) {
    // Websocket mode: events come over the bot's own socket, no webhook is involved.
    const why = 'websocket mode (no WEBHOOK_URL): events come over the socket, not webhooks';
    checks.push(
      ...['webhooks', 'webhooks-active', 'webhooks-secret', 'stale-webhooks', 'webhook-url', 'webhook-signature'].map(
        (id) => skipped(id, why),
      ),
    );
  } else {
    if (owner) {
      checks.push(
        ...(await guarded('webhooks', async () =>
          checkWebhooks(
            await api.list('webhooks', { max: 100 }, 5),
            { webhookUrl, secret: webhookSecret, previousSecret: target.webhookSecretPrevious },
            target.apiUrl,
          ),
        )),
      );
    } else {
      checks.push(
        ...['webhooks', 'webhooks-active', 'webhooks-secret', 'stale-webhooks'].map((id) =>
          skipped(id, 'needs an accepted token'),
        ),
      );
    }
    checks.push(...(await guarded('webhook-url', () => checkSelfTest(webhookUrl, webhookSecret, owner, timeoutMs))));
  }

  return checks;
}
