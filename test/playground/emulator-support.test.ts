/**
 * What the emulator gives the playground: the page at `/` (only when asked for), its vendor
 * bundles from node_modules, and events precise enough to group a bot's work per message
 * (`api-call` with the space and resource it concerns, `delivery` with its body and signing).
 */
import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  startEmulator,
  type ApiCallEvent,
  type DeliveryEvent,
  type Emulator,
  type EmulatorEvent,
} from '../../src/emulator/index.js';
import { callConcerns } from '../../src/emulator/http/concerns.js';

describe('emulator support for the playground', () => {
  describe('serving the page', () => {
    let plain: Emulator;
    let withPage: Emulator;
    before(async () => {
      plain = await startEmulator();
      withPage = await startEmulator({ playground: true });
    });
    after(async () => {
      await plain.stop();
      await withPage.stop();
    });

    it('leaves / free unless playground: true', async () => {
      expect((await fetch(`${plain.url}/`)).status).to.equal(404);
      const res = await fetch(`${withPage.url}/`);
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^text\/html/);
      expect(res.headers.get('content-security-policy'))
        .to.include("script-src 'self'")
        .and.include("connect-src 'self'");
      const html = await res.text();
      expect(html).to.include('<script type="module" src="/js/main.js"></script>');
      expect(html).to.not.match(/(src|href)="https?:/);
    });

    it('serves the browser bundles of adaptivecards and markdown-it from node_modules, and nothing else there', async () => {
      const ac = await fetch(`${withPage.url}/vendor/adaptivecards.min.js`);
      expect(ac.status).to.equal(200);
      expect(ac.headers.get('content-type')).to.match(/javascript/);
      expect(await ac.text()).to.include('AdaptiveCards');
      const md = await fetch(`${withPage.url}/vendor/markdown-it.mjs`);
      expect(md.status).to.equal(200);
      expect(md.headers.get('content-type')).to.match(/javascript/);
      expect(await md.text()).to.match(/export\s*\{/);
      for (const name of ['package.json', '__proto__', 'constructor', '..%2Fpackage.json']) {
        expect((await fetch(`${withPage.url}/vendor/${name}`)).status, name).to.equal(404);
      }
    });

    it('still answers the REST and control APIs next to the page', async () => {
      expect((await fetch(`${withPage.url}/_emulator/state`)).status).to.equal(200);
      expect((await fetch(`${withPage.url}/v1/people/me`)).status).to.equal(401);
    });
  });

  describe('events the activity panel groups by', () => {
    let emulator: Emulator;
    let receiver: http.Server;
    let receiverUrl = '';
    const events: EmulatorEvent[] = [];

    before(async () => {
      emulator = await startEmulator({ delivery: { retryDelaysMs: [] } });
      emulator.onEvent((e) => events.push(e));
      receiver = http.createServer((req, res) => {
        req.resume();
        req.on('end', () => res.end());
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    });
    after(async () => {
      await emulator.stop();
      await new Promise((resolve) => receiver.close(resolve));
    });
    beforeEach(() => {
      events.length = 0;
    });

    async function asBot(
      method: string,
      path: string,
      body?: unknown,
    ): Promise<{ status: number; json: Record<string, unknown> }> {
      const res = await fetch(`${emulator.apiUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${emulator.botToken}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    }

    /** Resolves once `ready()` holds, checking after each new event (no timer: mocha's timeout bounds it). */
    function when<T>(ready: () => T | undefined): Promise<T> {
      return new Promise((resolve) => {
        const now = ready();
        if (now !== undefined) return resolve(now);
        const off = emulator.onEvent(() => {
          const v = ready();
          if (v === undefined) return;
          off();
          resolve(v);
        });
      });
    }

    /** The api-call event of the last call to `route` (it is emitted once the answer is sent). */
    function callEvent(route: string): Promise<ApiCallEvent> {
      return when(() => events.filter((x): x is ApiCallEvent => x.kind === 'api-call' && x.route === route).at(-1));
    }

    it('api-call events name the space and the resource a call concerns', async () => {
      const roomId = emulator.seed!.directRoom.id;
      const posted = await asBot('POST', '/messages', { roomId, text: 'hi' });
      expect(await callEvent('/v1/messages')).to.include({
        method: 'POST',
        status: 200,
        roomId,
        resourceId: posted.json['id'] as string,
        callerId: emulator.bot.id,
      });

      await asBot('GET', `/messages/${posted.json['id'] as string}`);
      expect(await callEvent('/v1/messages/{id}')).to.include({ roomId, resourceId: posted.json['id'] as string });

      await asBot('GET', `/rooms/${roomId}`);
      expect(await callEvent('/v1/rooms/{id}')).to.include({ roomId, resourceId: roomId });

      await asBot('GET', '/people/me');
      const me = await callEvent('/v1/people/me');
      expect(me).to.not.have.property('roomId');
      expect(me).to.not.have.property('resourceId');
    });

    it('a failed call keeps the id it asked for but names no space', async () => {
      expect((await asBot('GET', '/messages/nope')).status).to.equal(404);
      const e = await callEvent('/v1/messages/{id}');
      expect(e).to.include({ status: 404, resourceId: 'nope' });
      expect(e).to.not.have.property('roomId');
    });

    it('delivery events carry the exact body sent and whether it was signed', async () => {
      await asBot('POST', '/webhooks', {
        name: 'signed',
        targetUrl: `${receiverUrl}/signed`,
        resource: 'messages',
        event: 'created',
        secret: 's3cret',
      });
      await asBot('POST', '/webhooks', {
        name: 'plain',
        targetUrl: `${receiverUrl}/plain`,
        resource: 'messages',
        event: 'created',
      });
      const m = await emulator.say({
        personId: emulator.seed!.alice.id,
        roomId: emulator.seed!.directRoom.id,
        text: 'ping',
      });
      const delivered = await when(() => {
        const list = events.filter((e): e is DeliveryEvent => e.kind === 'delivery' && e.dataId === m.id);
        return list.length === 2 ? list : undefined;
      });
      const records = emulator.deliveries().filter((d) => d.dataId === m.id);
      for (const e of delivered) {
        const record = records.find((r) => r.id === e.deliveryId)!;
        expect(e.body).to.equal(record.body);
        expect(e.signed).to.equal(e.webhookName === 'signed');
        expect(e.signed).to.equal(record.signature !== undefined);
        expect((JSON.parse(e.body) as { data: { id: string } }).data.id).to.equal(m.id);
      }
    });
  });

  describe('callConcerns', () => {
    const q = (s = ''): URLSearchParams => new URLSearchParams(s);

    it('reads the space from the answer, the request body or the query, and the id from the path or what a POST created', () => {
      expect(
        callConcerns({
          method: 'GET',
          route: '/v1/memberships',
          params: {},
          query: q('roomId=R'),
          requestBody: {},
          status: 200,
          responseBody: { items: [] },
        }),
      ).to.deep.equal({ roomId: 'R' });
      expect(
        callConcerns({
          method: 'POST',
          route: '/v1/messages',
          params: {},
          query: q(),
          requestBody: { roomId: 'R' },
          status: 400,
          responseBody: { message: 'bad' },
        }),
      ).to.deep.equal({ roomId: 'R' });
      expect(
        callConcerns({
          method: 'POST',
          route: '/v1/messages',
          params: {},
          query: q(),
          requestBody: { toPersonId: 'P' },
          status: 200,
          responseBody: { id: 'M', roomId: 'R' },
        }),
      ).to.deep.equal({ roomId: 'R', resourceId: 'M' });
      expect(
        callConcerns({
          method: 'GET',
          route: '/v1/attachment/actions/{id}',
          params: { id: 'A' },
          query: q(),
          requestBody: {},
          status: 200,
          responseBody: { id: 'A', roomId: 'R' },
        }),
      ).to.deep.equal({ roomId: 'R', resourceId: 'A' });
      expect(
        callConcerns({
          method: 'GET',
          route: '/v1/people',
          params: {},
          query: q('id=P'),
          requestBody: {},
          status: 200,
          responseBody: { items: [] },
        }),
      ).to.deep.equal({});
    });
  });
});
