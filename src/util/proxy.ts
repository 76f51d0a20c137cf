/**
 * Which proxy a call to a URL goes through, read from the environment as the SDK's HTTP client
 * (`request`) reads it: `NO_PROXY` first, then `HTTPS_PROXY`/`HTTP_PROXY`, upper or lower case.
 */

type Env = Readonly<Record<string, string | undefined>>;

function inNoProxy(url: URL, noProxy: string): boolean {
  if (noProxy.trim() === '*') return true;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const host = `.${url.hostname.toLowerCase().replace(/^\.+/, '')}`;
  return noProxy.split(',').some((zone) => {
    const z = zone.trim().toLowerCase();
    if (z === '') return false;
    const [zoneHost, zonePort] = z.split(':', 2) as [string, string | undefined];
    const suffix = `.${zoneHost.replace(/^\.+/, '')}`;
    return host.endsWith(suffix) && (zonePort === undefined || zonePort === port);
  });
}

/**
 * The proxy the SDK's HTTP client (`request`) uses for `url`, and the variable it comes from:
 * none when `NO_PROXY` covers the host; else `HTTPS_PROXY` (then `HTTP_PROXY`) for https URLs,
 * `HTTP_PROXY` for http ones — upper or lower case.
 */
export function proxyFor(url: string, env: Env): { proxy: string; variable: string } | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  const noProxy = env['NO_PROXY'] ?? env['no_proxy'] ?? '';
  if (noProxy !== '' && inNoProxy(u, noProxy)) return undefined;
  const names =
    u.protocol === 'https:'
      ? ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']
      : u.protocol === 'http:'
        ? ['HTTP_PROXY', 'http_proxy']
        : [];
  for (const variable of names) {
    const proxy = env[variable];
    if (proxy) return { proxy, variable };
  }
  return undefined;
}
