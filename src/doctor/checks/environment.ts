/**
 * Checks of the machine the bot runs on: the Node.js version and the proxy variables (what they
 * mean for the REST calls; whether the event socket gets through is `proxy-tunnel.ts`).
 */
import type { CheckResult } from '../report.js';
import { proxyFor } from '../../util/proxy.js';

/**
 * Whether `version` (e.g. `20.19.2`) satisfies an engines range of the form `>=20.19`
 * (the only form this project's package.json uses); `undefined` for any other form.
 */
export function satisfiesMinimum(version: string, range: string): boolean | undefined {
  const min = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(range.trim());
  const have = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!min || !have) return undefined;
  const want = [Number(min[1]), Number(min[2] ?? 0), Number(min[3] ?? 0)];
  const got = [Number(have[1]), Number(have[2]), Number(have[3])];
  for (let i = 0; i < 3; i++) if (got[i] !== want[i]) return got[i]! > want[i]!;
  return true;
}

/** Node.js against `engines.node` of package.json. */
export function checkNode(version: string, range: string | undefined): CheckResult {
  if (range === undefined)
    return { id: 'node', status: 'pass', verdict: `Node.js ${version} (package.json names no minimum)` };
  const ok = satisfiesMinimum(version, range);
  if (ok === undefined)
    return {
      id: 'node',
      status: 'warn',
      verdict: `Node.js ${version}; cannot read the required range "${range}"`,
      fix: 'compare by hand with "engines" in package.json',
    };
  return ok
    ? {
        id: 'node',
        status: 'pass',
        verdict: `Node.js ${version} (needs ${range})`,
        details: { version, required: range },
      }
    : {
        id: 'node',
        status: 'fail',
        verdict: `Node.js ${version} is too old (needs ${range})`,
        fix: `install Node.js ${range.replace(/^>=\s*/, '')} or later (the current LTS release)`,
        details: { version, required: range },
      };
}

type Env = Readonly<Record<string, string | undefined>>;

/** A proxy URL without its user and password, for printing. */
function shown(proxy: string): string {
  try {
    const u = new URL(proxy);
    if (u.username || u.password) {
      u.username = '***';
      u.password = '';
    }
    return u.toString().replace(/\/$/, '');
  } catch {
    return proxy;
  }
}

/** The proxy variables, and what they mean for the bot's calls to Webex. */
export function checkProxy(apiUrl: string, env: Env): CheckResult {
  const names = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'].filter(
    (n) => env[n] !== undefined && env[n] !== '',
  );
  const via = proxyFor(apiUrl, env);
  const set = names.map((n) => (/no_proxy/i.test(n) ? `${n}=${env[n]!}` : `${n}=${shown(env[n]!)}`)).join(', ');
  const details = { variables: names, apiProxy: via ? shown(via.proxy) : null };
  if (via) {
    let valid = false;
    try {
      valid = ['http:', 'https:'].includes(new URL(via.proxy).protocol);
    } catch {
      valid = false;
    }
    if (!valid)
      return {
        id: 'proxy',
        status: 'fail',
        verdict: `${via.variable} is not an http(s) URL ("${shown(via.proxy)}"), and the bot's calls to ${apiUrl} would use it`,
        fix: `set ${via.variable} to a URL like http://proxy.example.com:3128, or unset it`,
        details,
      };
    const local = /^(127\.|localhost$|\[?::1\]?$)/.test(new URL(apiUrl).hostname);
    if (local)
      return {
        id: 'proxy',
        status: 'warn',
        verdict: `calls to the local ${apiUrl} would go through ${shown(via.proxy)} (${via.variable})`,
        fix: 'add 127.0.0.1,localhost to NO_PROXY',
        details,
      };
    return {
      id: 'proxy',
      status: 'pass',
      verdict: `the bot's calls to ${apiUrl} go through ${shown(via.proxy)} (${via.variable}); the checks below used it too`,
      details,
    };
  }
  return {
    id: 'proxy',
    status: 'pass',
    verdict:
      names.length === 0 ? `no proxy variables: calls to ${apiUrl} go direct` : `calls to ${apiUrl} go direct (${set})`,
    details,
  };
}
