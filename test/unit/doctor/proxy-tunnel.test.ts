/**
 * The doctor's check of the event socket behind a proxy, against a real local proxy: a tunnel
 * opened with the credentials of the proxy URL passes; no credentials (407), and no proxy at
 * that address, fail with what to do; no proxy at all is nothing to check.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { checkProxyTunnel } from '../../../src/doctor/checks/proxy-tunnel.js';
import { startTestProxy, type TestProxy } from '../../e2e/support/http-proxy.js';

describe('doctor: the event socket through the proxy', () => {
  let proxy: TestProxy;
  let api: http.Server;
  let apiUrl: string;
  before(async () => {
    proxy = await startTestProxy({ user: 'bot', password: 'pw' });
    api = http.createServer((_req, res) => res.end());
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
    apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}/v1`;
  });
  after(async () => {
    await proxy.close();
    await new Promise<void>((r) => api.close(() => r()));
  });

  it('passes when the proxy opens a tunnel with the credentials of the proxy URL', async () => {
    const result = await checkProxyTunnel(apiUrl, { HTTP_PROXY: proxy.url });
    expect(result).to.deep.include({ id: 'proxy-socket', status: 'pass' });
    expect(result!.verdict).to.not.include('pw');
    expect(proxy.tunnels).to.equal(1);
  });

  it('fails, saying what to do, when the proxy wants credentials the URL does not carry', async () => {
    const bare = proxy.url.replace(/\/\/[^@]+@/, '//');
    const result = await checkProxyTunnel(apiUrl, { HTTP_PROXY: bare });
    expect(result).to.deep.include({ status: 'fail' });
    expect(result!.verdict).to.match(/wants credentials .*HTTP 407/);
    expect(result!.fix).to.match(/http:\/\/user:password@127\.0\.0\.1:\d+/);
  });

  it('fails when nothing answers at the proxy address, and says nothing without a proxy', async () => {
    const result = await checkProxyTunnel(apiUrl, { HTTP_PROXY: 'http://127.0.0.1:9' }, 2000);
    expect(result).to.deep.include({ status: 'fail' });
    expect(result!.verdict).to.match(/could not reach the proxy/);
    expect(await checkProxyTunnel(apiUrl, {})).to.equal(undefined);
    expect(await checkProxyTunnel(apiUrl, { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' })).to.equal(undefined);
  });
});
