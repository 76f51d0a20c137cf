/**
 * The proxy check of the event socket: websocket mode connects through a proxy with an HTTP
 * `CONNECT` tunnel (a proxy forwards no upgraded connection), so a proxy that passes the REST
 * calls can still stop the socket — it refuses `CONNECT`, or wants credentials the variable does
 * not carry. The doctor asks the proxy for a tunnel to the API's host and port, as the socket
 * does to its own host (which only a registered device learns; the doctor registers none).
 */
import http from 'node:http';
import type { CheckResult } from '../report.js';
import { proxyFor } from '../../util/proxy.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The proxy URL without its user and password, for printing. */
function shown(proxy: URL): string {
  return `${proxy.protocol}//${proxy.host}`;
}

/** Asks `proxy` for a tunnel to `host:port`: the status it answered, or the error. */
function askForTunnel(proxy: URL, target: string, timeoutMs: number): Promise<number | Error> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = { host: target };
    if (proxy.username || proxy.password) {
      const user = decodeURIComponent(proxy.username);
      const password = decodeURIComponent(proxy.password);
      headers['proxy-authorization'] = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    }
    const request = http.request({
      host: proxy.hostname,
      port: proxy.port || 80,
      method: 'CONNECT',
      path: target,
      headers,
      timeout: timeoutMs,
    });
    request.on('connect', (answer, socket) => {
      socket.destroy();
      resolve(answer.statusCode ?? 0);
    });
    request.on('response', (answer) => {
      answer.resume();
      resolve(answer.statusCode ?? 0);
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    request.on('error', (err) => resolve(err));
    request.end();
  });
}

/**
 * Whether the event socket can get through the proxy the environment names for `apiUrl`;
 * `undefined` when it names none (nothing to check: the socket connects directly).
 */
export async function checkProxyTunnel(apiUrl: string, env: Env, timeoutMs = 10_000): Promise<CheckResult | undefined> {
  const via = proxyFor(apiUrl, env);
  if (!via) return undefined;
  let proxy: URL;
  let api: URL;
  try {
    proxy = new URL(via.proxy);
    api = new URL(apiUrl);
  } catch {
    return { id: 'proxy-socket', status: 'skip', verdict: `not checked: ${via.variable} is not a URL` };
  }
  if (proxy.protocol !== 'http:')
    return { id: 'proxy-socket', status: 'skip', verdict: `not checked: the proxy is not an http:// proxy` };
  const target = `${api.hostname}:${api.port || (api.protocol === 'https:' ? '443' : '80')}`;
  const answer = await askForTunnel(proxy, target, timeoutMs);
  const details = { proxy: shown(proxy), target };
  if (answer === 200)
    return {
      id: 'proxy-socket',
      status: 'pass',
      verdict: `${shown(proxy)} opens tunnels (CONNECT) to ${target}, as the event socket of websocket mode needs`,
      details,
    };
  if (answer === 407)
    return {
      id: 'proxy-socket',
      status: 'fail',
      verdict: `${shown(proxy)} wants credentials for a tunnel (HTTP 407)${proxy.username ? ', and refused those given' : ''}: the event socket cannot connect`,
      fix: `put the proxy's user and password in ${via.variable}: http://user:password@${proxy.host} (characters like @ or : URL-encoded)`,
      details,
    };
  if (answer instanceof Error)
    return {
      id: 'proxy-socket',
      status: 'fail',
      verdict: `could not reach the proxy ${shown(proxy)} (${answer.message})`,
      fix: `check ${via.variable}: the host and port of the proxy`,
      details,
    };
  return {
    id: 'proxy-socket',
    status: 'fail',
    verdict: `${shown(proxy)} refused a tunnel (CONNECT) to ${target} with HTTP ${answer}: websocket mode cannot connect through it`,
    fix: "ask for CONNECT to Webex's hosts on port 443 to be allowed, or run in webhook mode (WEBHOOK_URL)",
    details,
  };
}
