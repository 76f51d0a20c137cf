/**
 * The HTTP agents that take the bot's own connections through a proxy: file downloads and the
 * event socket (REST calls and uploads go through the SDK's pipeline whenever a proxy is set,
 * and its `request` client reads the same variables). Which proxy, if any, is decided per URL by
 * {@link proxyFor}, the rule the SDK's client follows (`NO_PROXY` first, then `HTTPS_PROXY` /
 * `HTTP_PROXY`), so that every connection of the bot goes the same way.
 *
 * Agents from `https-proxy-agent` (an HTTP `CONNECT` tunnel) and `http-proxy-agent` (plain HTTP
 * requests in absolute form), both of which send the proxy URL's user and password as
 * `Proxy-Authorization: Basic`. A websocket always goes through a `CONNECT` tunnel: a forward
 * proxy does not carry an upgraded connection.
 */
import http, { type Agent, type ClientRequest } from 'node:http';
import https from 'node:https';
import { Agent as RoutingAgent, type AgentConnectOpts } from 'agent-base';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { proxyFor } from '../util/proxy.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The URL as the proxy rule sees it: a websocket URL by the scheme of its HTTP handshake. */
function asHttp(url: string): string {
  return url.replace(/^ws(s?):/i, 'http$1:');
}

/** The proxy for `url` (http, https, ws, wss), or `undefined` when it is reached directly. */
function proxyUrlFor(url: string, env: Env = process.env): string | undefined {
  return proxyFor(asHttp(url), env)?.proxy;
}

/**
 * An agent that sends requests to `url` through the proxy the environment names for it, or
 * `undefined` when it names none (then the caller's own agent is used).
 * @example
 * const agent = proxyAgentFor('https://webexapis.com/v1/contents/X', process.env) ?? keepAlive;
 */
export function proxyAgentFor(url: string, env: Env = process.env): Agent | undefined {
  const proxy = proxyUrlFor(url, env);
  if (!proxy) return undefined;
  const target = new URL(url);
  const tunnel = target.protocol === 'https:' || target.protocol === 'ws:' || target.protocol === 'wss:';
  return tunnel ? new HttpsProxyAgent(proxy, { keepAlive: true }) : new HttpProxyAgent(proxy, { keepAlive: true });
}

/**
 * The agent of the event socket: a `CONNECT` tunnel through the proxy the environment names for
 * each socket's own host (the socket's URL comes from the device registration, on another host
 * than the API), or a direct connection when it names none. Given to the SDK's socket client
 * (Mercury) as `defaultMercuryOptions.agent`.
 */
export class SocketProxyAgent extends RoutingAgent {
  private readonly tunnels = new Map<string, HttpsProxyAgent<string>>();
  private readonly direct = { http: new http.Agent(), https: new https.Agent() };

  constructor(private readonly env: Env = process.env) {
    super();
  }

  override connect(_req: ClientRequest, options: AgentConnectOpts): Agent {
    const scheme = options.secureEndpoint ? 'wss' : 'ws';
    const proxy = proxyUrlFor(`${scheme}://${options.host}:${options.port}/`, this.env);
    if (!proxy) return options.secureEndpoint ? this.direct.https : this.direct.http;
    let tunnel = this.tunnels.get(proxy);
    if (!tunnel) {
      tunnel = new HttpsProxyAgent(proxy);
      this.tunnels.set(proxy, tunnel);
    }
    return tunnel;
  }
}
