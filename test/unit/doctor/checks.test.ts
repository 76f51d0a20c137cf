import { expect } from 'chai';
import { isPrivateHost } from '../../../src/doctor/checks/config.js';
import { checkNode, checkProxy, satisfiesMinimum } from '../../../src/doctor/checks/environment.js';
import { proxyFor } from '../../../src/util/proxy.js';
import { checkClock } from '../../../src/doctor/checks/token.js';
import { checkWebhooks } from '../../../src/doctor/checks/webhooks.js';
import { exitCodeOf, renderText, reportOf } from '../../../src/doctor/report.js';
import { nextLink, type ApiAnswer } from '../../../src/doctor/webex-api.js';

describe('doctor checks (units)', () => {
  it('reads the engines range: >=20.19 against Node versions', () => {
    expect(satisfiesMinimum('20.19.0', '>=20.19')).to.equal(true);
    expect(satisfiesMinimum('22.1.0', '>=20.19')).to.equal(true);
    expect(satisfiesMinimum('20.18.9', '>=20.19')).to.equal(false);
    expect(satisfiesMinimum('20.19.0', '^20')).to.equal(undefined);
    expect(checkNode('18.20.0', '>=20.19').status).to.equal('fail');
  });

  it('finds the proxy the SDK would use, as its HTTP client decides', () => {
    const env = {
      HTTPS_PROXY: 'http://proxy.example:3128',
      HTTP_PROXY: 'http://plain.example:8080',
      NO_PROXY: 'internal.example,.corp.example:8443',
    };
    expect(proxyFor('https://webexapis.com/v1', env)).to.deep.equal({
      proxy: 'http://proxy.example:3128',
      variable: 'HTTPS_PROXY',
    });
    expect(proxyFor('http://api.example/v1', env)).to.deep.equal({
      proxy: 'http://plain.example:8080',
      variable: 'HTTP_PROXY',
    });
    expect(proxyFor('https://webexapis.com/v1', { http_proxy: 'http://p:1' })).to.deep.equal({
      proxy: 'http://p:1',
      variable: 'http_proxy',
    });
    expect(proxyFor('https://api.internal.example/v1', env)).to.equal(undefined);
    expect(proxyFor('https://x.corp.example:8443/v1', env)).to.equal(undefined);
    expect(proxyFor('https://x.corp.example/v1', env)?.variable).to.equal('HTTPS_PROXY');
    expect(proxyFor('https://webexapis.com/v1', { ...env, NO_PROXY: '*' })).to.equal(undefined);
    expect(
      proxyFor('https://notinternal.example/v1', { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'internal.example' })?.variable,
    ).to.equal('HTTPS_PROXY');
  });

  it('reports proxies without their passwords, and fails a proxy that is not a URL', () => {
    const ok = checkProxy('https://webexapis.com/v1', { HTTPS_PROXY: 'http://me:secret@proxy.example:3128' });
    expect(ok.status).to.equal('pass');
    expect(ok.verdict).to.include('proxy.example:3128').and.not.include('secret');
    expect(checkProxy('https://webexapis.com/v1', { HTTPS_PROXY: 'proxy:3128 oops' }).status).to.equal('fail');
    expect(checkProxy('http://127.0.0.1:4000/v1', { HTTP_PROXY: 'http://proxy.example:3128' }).status).to.equal('warn');
  });

  it('tells private and local hosts from public ones', () => {
    for (const h of ['localhost', '127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.10', 'bot.local', '[::1]'])
      expect(isPrivateHost(h), h).to.equal(true);
    for (const h of ['bot.example.com', '172.32.0.1', '8.8.8.8']) expect(isPrivateHost(h), h).to.equal(false);
  });

  it('measures the clock against the Date of an answer, and warns past 30 s', () => {
    const at = (offsetSeconds: number): ApiAnswer => {
      // A whole second, as the header has: the skew is then exactly the offset.
      const now = Math.floor(Date.now() / 1000) * 1000;
      return {
        ok: true,
        status: 200,
        body: {},
        headers: { date: new Date(now - offsetSeconds * 1000).toUTCString() },
        sentAt: now - 10,
        receivedAt: now + 10,
      };
    };
    expect(checkClock(at(0)).status).to.equal('pass');
    expect(checkClock(at(1)).verdict).to.equal('clock in step with Webex (within 1 s)');
    expect(checkClock(at(10))).to.deep.include({ status: 'pass', verdict: 'clock 10 s ahead of Webex' });
    const far = checkClock(at(-120));
    expect(far.status).to.equal('warn');
    expect(far.verdict).to.match(/^clock 120 s behind Webex/);
    expect(checkClock({ ok: true, status: 200, body: {}, headers: {}, sentAt: 0, receivedAt: 0 }).status).to.equal(
      'skip',
    );
  });

  it('reads the next page from a Link header', () => {
    expect(nextLink('<https://webexapis.com/v1/webhooks?max=100&cursor=abc>; rel="next"')).to.equal(
      'https://webexapis.com/v1/webhooks?max=100&cursor=abc',
    );
    expect(nextLink('<https://a/prev>; rel="prev", <https://a/next>; rel="next"')).to.equal('https://a/next');
    expect(nextLink(undefined)).to.equal(undefined);
  });

  it('during a secret rotation, webhooks still on the previous secret are a warning', () => {
    const hooks = [
      {
        id: 'w1',
        targetUrl: 'https://bot.example.com/webhook',
        resource: 'all',
        event: 'all',
        status: 'active',
        secret: 'old-secret-0123456789',
      },
      {
        id: 'w2',
        targetUrl: 'https://bot.example.com/webhook',
        resource: 'attachmentActions',
        event: 'created',
        status: 'active',
        secret: 'new-secret-0123456789',
      },
    ];
    const results = checkWebhooks(
      { ok: true, items: hooks, truncated: false },
      {
        webhookUrl: 'https://bot.example.com/webhook',
        secret: 'new-secret-0123456789',
        previousSecret: 'old-secret-0123456789',
      },
      'https://webexapis.com/v1',
    );
    expect(results.find((r) => r.id === 'webhooks-secret')).to.deep.include({ status: 'warn' });
    expect(results.find((r) => r.id === 'webhooks')!.status).to.equal('pass');
  });

  it('renders one verdict line per check with the fix under it, and exits 1 only on a failure', () => {
    const warned = reportOf('webex', [
      { id: 'a', status: 'pass', verdict: 'fine' },
      { id: 'bb', status: 'warn', verdict: 'hmm', fix: 'do this' },
    ]);
    expect(exitCodeOf(warned)).to.equal(0);
    expect(renderText(warned)).to.equal(
      'PASS  a   fine\nWARN  bb  hmm\n          fix: do this\n\nAll clear: 1 passed, 1 warning(s), 0 skipped.\n',
    );
    const failed = reportOf('webex', [{ id: 'a', status: 'fail', verdict: 'broken', fix: 'mend it' }]);
    expect(exitCodeOf(failed)).to.equal(1);
    expect(renderText(failed)).to.match(/^1 check\(s\) failed: a /m);
  });
});
