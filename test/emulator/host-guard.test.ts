/**
 * DNS rebinding and cross-site requests: the emulator answers only requests addressed to a
 * loopback name (or one it was told to allow), on every part of its server, and its control API
 * takes JSON bodies only, so that a web page cannot drive it through a visitor's browser.
 */
import http from 'node:http';
import { expect } from 'chai';
import type { Emulator } from '../../src/emulator/index.js';
import { startTestEmulator } from './helpers.js';
import { connectedDevice, type TestSocket, activityOf } from './socket-client.js';

const ATTACKER = 'rebind.attacker.example';

interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** One request to the emulator's port with exactly these headers (`host: undefined`: no Host header at all). */
function raw(
  emulator: Emulator,
  method: string,
  path: string,
  headers: Record<string, string | undefined> = {},
  body?: string,
): Promise<RawAnswer> {
  const { port } = new URL(emulator.url);
  const { host, ...rest } = headers;
  const sent: Record<string, string> = Object.fromEntries(
    Object.entries(rest).filter((e): e is [string, string] => e[1] !== undefined),
  );
  if (host !== undefined) sent['host'] = host;
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method, path, headers: sent, setHost: !('host' in headers), agent: false },
      (res) => {
        // An event stream never ends: its first bytes are enough.
        if (String(res.headers['content-type']).startsWith('text/event-stream')) {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: '' });
          req.destroy();
          return;
        }
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      },
    );
    req.on('error', reject);
    // An upgrade that is answered with 101 would not end in a response: only refusals are expected here.
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 101, headers: res.headers, text: '' });
    });
    req.end(body);
  });
}

function errorOf(a: RawAnswer): string {
  return (JSON.parse(a.text) as { error: string }).error;
}

describe('emulator: DNS rebinding (Host check) and JSON-only control API', () => {
  let emulator: Emulator;
  const port = (): string => new URL(emulator.url).port;

  before(async () => {
    emulator = await startTestEmulator({ playground: true });
  });
  after(async () => {
    await emulator.stop();
  });

  describe('Host header', () => {
    it(`refuses ${ATTACKER} on the control API (read and speak as a person) with 403 and the reason`, async () => {
      const state = await raw(emulator, 'GET', '/_emulator/state', { host: `${ATTACKER}:${port()}` });
      expect(state.status).to.equal(403);
      expect(errorOf(state)).to.match(/only requests addressed to localhost, 127\.0\.0\.1 or \[::1\]/);
      expect(errorOf(state)).to.contain(`Host "${ATTACKER}:${port()}"`).and.contain('allowedHosts');
      expect(state.text).to.not.contain(emulator.seed!.alice.id);

      const roomId = emulator.seed!.directRoom.id;
      const before = emulator.transcript(roomId).length;
      const said = await raw(
        emulator,
        'POST',
        `/_emulator/rooms/${roomId}/messages`,
        { host: ATTACKER, 'content-type': 'application/json' },
        JSON.stringify({ personId: emulator.seed!.alice.id, text: 'transfer everything' }),
      );
      expect(said.status).to.equal(403);
      expect(emulator.transcript(roomId)).to.have.length(before);
    });

    it('refuses it on the REST API, the event stream, the playground page and the event sockets too', async () => {
      const host = `${ATTACKER}:${port()}`;
      const me = await raw(emulator, 'GET', '/v1/people/me', { host, authorization: `Bearer ${emulator.botToken}` });
      expect(me.status).to.equal(403);
      expect(me.text).to.not.contain(emulator.bot.id);
      expect((await raw(emulator, 'GET', '/_emulator/events', { host })).status).to.equal(403);
      const page = await raw(emulator, 'GET', '/', { host });
      expect(page.status).to.equal(403);
      expect(page.text).to.not.contain('<html');
      const { device, socket } = await connectedDevice(emulator, emulator.botToken);
      try {
        const path = new URL(String(device['webSocketUrl'])).pathname;
        const upgrade = await raw(emulator, 'GET', path, {
          host,
          connection: 'Upgrade',
          upgrade: 'websocket',
          'sec-websocket-version': '13',
          'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
        });
        expect(upgrade.status).to.equal(403);
        expect(upgrade.text).to.contain('allowedHosts');
      } finally {
        socket.close();
      }
    });

    it('refuses a request without a Host header', async () => {
      // Node's HTTP server answers 400 itself to an HTTP/1.1 request without Host; the guard would say 403.
      expect((await raw(emulator, 'GET', '/_emulator/state', { host: undefined })).status).to.be.oneOf([400, 403]);
    });

    it('serves the loopback names with any port, and *.localhost', async () => {
      for (const host of [
        `127.0.0.1:${port()}`,
        `localhost:${port()}`,
        'localhost',
        `LocalHost:${port()}`,
        `[::1]:${port()}`,
        `playground.localhost:${port()}`,
      ]) {
        const res = await raw(emulator, 'GET', '/_emulator/state', { host });
        expect(res.status, host).to.equal(200);
      }
      for (const host of [`localhost.${ATTACKER}`, `127.0.0.1.${ATTACKER}`, '127.0.0.2', `${ATTACKER}@127.0.0.1`]) {
        expect((await raw(emulator, 'GET', '/_emulator/state', { host })).status, host).to.equal(403);
      }
    });

    it('serves the names given in allowedHosts (".name": the domain and its subdomains), and refuses a bad list', async () => {
      const named = await startTestEmulator({ allowedHosts: ['emulator.internal', '.lab.example'] });
      try {
        const at = (host: string): Promise<number> =>
          raw(named, 'GET', '/_emulator/state', { host }).then((r) => r.status);
        expect(await at('emulator.internal:4000')).to.equal(200);
        expect(await at('lab.example')).to.equal(200);
        expect(await at('bench.lab.example:80')).to.equal(200);
        expect(await at(`127.0.0.1:${new URL(named.url).port}`)).to.equal(200);
        expect(await at('other.internal')).to.equal(403);
        expect(await at('notlab.example')).to.equal(403);
      } finally {
        await named.stop();
      }
      for (const bad of [['emulator:4000'], ['http://emulator'], [''], 'emulator.internal', [42]]) {
        let error: unknown;
        try {
          await (await startTestEmulator({ allowedHosts: bad as never })).stop();
        } catch (err) {
          error = err;
        }
        expect(error, JSON.stringify(bad)).to.be.instanceOf(TypeError);
        expect((error as Error).message).to.match(/allowedHosts/);
      }
    });
  });

  describe('control API bodies', () => {
    let socket: TestSocket;
    let deviceId: string;
    before(async () => {
      const connected = await connectedDevice(emulator, emulator.botToken);
      socket = connected.socket;
      deviceId = String(connected.device['url']).split('/').pop()!;
    });
    const openSockets = (): number | undefined => emulator.devices().find((d) => d.id === deviceId)?.sockets;
    after(() => socket.close());

    const control = (method: string, path: string, headers: Record<string, string>, body?: string) =>
      raw(emulator, method, `/_emulator${path}`, { host: `127.0.0.1:${port()}`, ...headers }, body);

    it('refuses a text/plain POST to /sockets/drop with 415 and the reason; the socket stays up', async () => {
      const dropped = await control('POST', '/sockets/drop', { 'content-type': 'text/plain' }, '{}');
      expect(dropped.status).to.equal(415);
      expect(errorOf(dropped))
        .to.match(/JSON only/)
        .and.contain('Content-Type "text/plain"');
      // Also without a body or a content type (what a cross-site fetch in no-cors mode sends).
      const bare = await control('POST', '/sockets/drop', {});
      expect(bare.status).to.equal(415);
      expect(errorOf(bare)).to.contain('no Content-Type');
      expect(openSockets()).to.equal(1);
      await emulator.say({
        personId: emulator.seed!.alice.id,
        roomId: emulator.seed!.directRoom.id,
        text: 'still there?',
      });
      expect(activityOf(await socket.next()).verb).to.equal('post');
    });

    it('refuses a form post that speaks as a person, and a text/plain PUT', async () => {
      const roomId = emulator.seed!.directRoom.id;
      const before = emulator.transcript(roomId).length;
      const form = await control(
        'POST',
        `/rooms/${roomId}/messages`,
        { 'content-type': 'application/x-www-form-urlencoded' },
        `personId=${emulator.seed!.alice.id}&text=hi`,
      );
      expect(form.status).to.equal(415);
      expect(emulator.transcript(roomId)).to.have.length(before);
      const put = await control('PUT', '/sockets', { 'content-type': 'text/plain' }, '{"refuse":true}');
      expect(put.status).to.equal(415);
      expect((emulator as Emulator & { refusingSockets: boolean }).refusingSockets).to.equal(false);
    });

    it('serves JSON (with a charset), and a DELETE without a body', async () => {
      const latency = await control(
        'PUT',
        '/latency',
        { 'content-type': 'application/json; charset=utf-8' },
        '{"latencyMs":0}',
      );
      expect(latency.status).to.equal(200);
      expect((await control('DELETE', '/faults', {})).status).to.equal(204);
      const dropped = await control(
        'POST',
        '/sockets/drop',
        { 'content-type': 'application/json' },
        JSON.stringify({ deviceId }),
      );
      expect(dropped.status).to.equal(200);
      expect(JSON.parse(dropped.text)).to.deep.equal({ dropped: 1 });
      expect((await socket.closed).code).to.equal(1006);
    });
  });
});
