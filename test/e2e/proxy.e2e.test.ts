/**
 * Behind a proxy, every connection the bot opens to Webex goes through it — REST calls, a file
 * posted, a file downloaded, and in websocket mode the event socket — in both transports, with a
 * proxy that wants credentials (given in `HTTP_PROXY`). The emulator records the remote port of
 * every connection it gets; each must be one the proxy opened.
 */
import type { Socket } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { startTestBot, type TestBot } from '../../src/testing/test-bot.js';
import { startTestProxy, type TestProxy } from './support/http-proxy.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'];

for (const transport of ['webhook', 'websocket'] as const) {
  describe(`behind a proxy (${transport} mode)`, function () {
    this.timeout(60_000);
    let proxy: TestProxy;
    let t: TestBot;
    const saved: Record<string, string | undefined> = {};
    const emulatorPorts: number[] = [];

    before(async () => {
      proxy = await startTestProxy({ user: 'bot', password: 's3cret:@' });
      for (const name of PROXY_VARIABLES) {
        saved[name] = process.env[name];
        delete process.env[name];
      }
      process.env['HTTP_PROXY'] = proxy.url;
      t = await startTestBot({
        transport,
        skillsDir: path.join(here, '../fixtures/skills/space-life'),
        cardsDir: mkdtempSync(path.join(tmpdir(), 'proxy-cards-')),
        emulator: { onConnection: (socket: Socket) => emulatorPorts.push(socket.remotePort!) },
      });
    });
    after(async () => {
      await t?.stop();
      for (const name of PROXY_VARIABLES) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
      await proxy?.close();
    });

    it('answers, posts a file and downloads one, all through the proxy', async () => {
      expect((await t.direct.say('recall')).text).to.equal('note: none');
      const posted = await t.direct.say('report');
      expect(t.emulator.file(posted.files![0]!)!.name).to.equal('report.csv');
      const downloaded = await t.direct.sendFile({ name: 'in.txt', type: 'text/plain', data: 'twelve bytes' });
      expect(downloaded.text).to.equal('downloaded in.txt: 12 bytes');
      const calls = t.emulator.calls();
      expect(calls['POST /v1/messages']).to.be.at.least(3);
      expect(calls['GET /v1/contents/{id}']).to.equal(1);
    });

    it('opened no connection to Webex but through the proxy, which checked its credentials', () => {
      expect(emulatorPorts.length).to.be.greaterThan(0);
      const direct = emulatorPorts.filter((p) => !proxy.upstreamPorts.has(p));
      expect(direct, 'connections that did not come through the proxy').to.deep.equal([]);
      expect(proxy.refused).to.equal(0);
      if (transport === 'websocket') {
        expect(t.emulator.devices().some((d) => d.sockets > 0)).to.equal(true);
        expect(proxy.tunnels, 'the event socket goes through a CONNECT tunnel').to.be.greaterThan(0);
      }
    });
  });
}
