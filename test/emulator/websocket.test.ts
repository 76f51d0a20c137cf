/**
 * The emulator's websocket mode: the service catalog, the device routes and the frames of the
 * event socket, looked at with a bare websocket client — and the real SDK connecting with them.
 */
import { expect } from 'chai';
import { membershipId, mintId, uuidOf, type Emulator } from '../../src/emulator/index.js';
import { EMULATOR_CLUSTER_ID } from '../../src/emulator/http/routes/catalog.js';
import { sdkFor, startTestEmulator, until } from './helpers.js';
import { activityOf, connectedDevice, openSocket, registerDevice } from './socket-client.js';

const CARD = {
  contentType: 'application/vnd.microsoft.card.adaptive',
  content: { type: 'AdaptiveCard', version: '1.3', body: [], actions: [{ type: 'Action.Submit', title: 'Go' }] },
};

describe('the emulator in websocket mode', () => {
  let emulator: Emulator;
  const bearer = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

  beforeEach(async () => {
    emulator = await startTestEmulator();
  });
  afterEach(async () => {
    await emulator.stop();
  });

  describe('service catalog', () => {
    it('names the device, conversation and metrics services on its own host, with the cluster anchor for conversation URLs', async () => {
      for (const path of ['/v1/catalog?format=hostmap', '/v1/limited/catalog?format=hostmap&orgId=x']) {
        const res = await fetch(`${emulator.url}${path}`);
        expect(res.status).to.equal(200);
        const map = (await res.json()) as {
          format: string;
          serviceLinks: Record<string, string>;
          hostCatalog: Record<string, Array<{ host: string; id: string }>>;
        };
        expect(map.format).to.equal('hostmap');
        expect(map.serviceLinks).to.deep.equal({
          wdm: `${emulator.url}/wdm/api/v1`,
          conversation: `${emulator.url}/conversation/api/v1`,
          metrics: `${emulator.url}/metrics/api/v1`,
        });
        expect(map.hostCatalog['127.0.0.1']).to.deep.equal([
          { host: '127.0.0.1', ttl: -1, priority: 5, id: EMULATOR_CLUSTER_ID },
        ]);
        expect(Object.values(map.serviceLinks).every((u) => u.startsWith('http://127.0.0.1:'))).to.equal(true);
      }
    });

    it("lets the SDK find the cluster of a conversation URL, and the REST API stay where the SDK's config put it", async () => {
      const sdk = (await sdkFor(emulator, emulator.botToken)) as unknown as {
        internal: { services: { getClusterId(url: string): string; get(name: string): string } };
      };
      expect(
        sdk.internal.services.getClusterId(
          `${emulator.url}/conversation/api/v1/conversations/${uuidOf(emulator.seed!.directRoom.id)}`,
        ),
      ).to.equal(EMULATOR_CLUSTER_ID);
      expect(sdk.internal.services.get('wdm')).to.equal(`${emulator.url}/wdm/api/v1`);
      expect(sdk.internal.services.get('hydra')).to.equal(emulator.apiUrl);
    });
  });

  describe('device routes', () => {
    it('registers a device (POST) with its URLs on 127.0.0.1, the owner and no feature toggles; 401 without a good token', async () => {
      const { status, device } = await registerDevice(emulator, emulator.botToken, {
        deviceType: 'WEB',
        name: 'bot',
        model: 'node',
        ttl: 1800,
      });
      expect(status).to.equal(200);
      const id = String(device['url']).split('/').pop()!;
      expect(device).to.include({
        url: `${emulator.url}/wdm/api/v1/devices/${id}`,
        webSocketUrl: `ws://127.0.0.1:${new URL(emulator.url).port}/mercury/${id}`,
        userId: uuidOf(emulator.bot.id),
        deviceType: 'WEB',
        name: 'bot',
        ttl: 1800,
      });
      expect(device['features']).to.deep.equal({ developer: [], entitlement: [], user: [] });
      expect(emulator.devices().map((d) => [d.id, d.ownerId, d.sockets])).to.deep.equal([[id, emulator.bot.id, 0]]);
      expect((await registerDevice(emulator, 'not-a-token')).status).to.equal(401);
    });

    it("refreshes a device (PUT), 404 for one that is gone or not the caller's", async () => {
      const { device } = await registerDevice(emulator, emulator.botToken);
      const url = String(device['url']);
      const refreshed = await fetch(url, {
        method: 'PUT',
        headers: bearer(emulator.botToken),
        body: JSON.stringify({ name: 'bot' }),
      });
      expect(refreshed.status).to.equal(200);
      expect(((await refreshed.json()) as { url: string }).url).to.equal(url);
      expect(
        (await fetch(url, { method: 'PUT', headers: bearer(emulator.seed!.alice.token), body: '{}' })).status,
      ).to.equal(404);
      expect(
        (
          await fetch(`${emulator.url}/wdm/api/v1/devices/00000000-0000-4000-8000-000000000000`, {
            method: 'PUT',
            headers: bearer(emulator.botToken),
            body: '{}',
          })
        ).status,
      ).to.equal(404);
    });

    it('deletes a device (DELETE), closing its socket with 1000 "Done"; DELETE on the collection removes all of the caller\'s', async () => {
      const { device, socket } = await connectedDevice(emulator, emulator.botToken);
      const other = await registerDevice(emulator, emulator.botToken);
      const alices = await registerDevice(emulator, emulator.seed!.alice.token);
      expect(
        (await fetch(String(device['url']), { method: 'DELETE', headers: bearer(emulator.botToken) })).status,
      ).to.equal(204);
      expect(await socket.closed).to.deep.equal({ code: 1000, reason: 'Done' });
      expect(
        (await fetch(String(device['url']), { method: 'PUT', headers: bearer(emulator.botToken), body: '{}' })).status,
      ).to.equal(404);
      expect(
        (await fetch(`${emulator.url}/wdm/api/v1/devices`, { method: 'DELETE', headers: bearer(emulator.botToken) }))
          .status,
      ).to.equal(204);
      expect(emulator.devices().map((d) => d.url)).to.deep.equal([alices.device['url']]);
      expect(other.status).to.equal(200);
    });

    it('accepts client metrics and drops them (204)', async () => {
      for (const path of ['clientmetrics', 'clientmetrics-prelogin']) {
        const res = await fetch(`${emulator.url}/metrics/api/v1/${path}`, {
          method: 'POST',
          headers: bearer(emulator.botToken),
          body: JSON.stringify({ metrics: [{ key: 'x' }] }),
        });
        expect(res.status).to.equal(204);
      }
    });
  });

  describe('socket frames', () => {
    it('refuses the socket of an unknown device (HTTP 404)', async () => {
      const port = new URL(emulator.url).port;
      let error: Error | undefined;
      await openSocket(`ws://127.0.0.1:${port}/mercury/00000000-0000-4000-8000-000000000000`).catch(
        (err: Error) => (error = err),
      );
      expect(error?.message).to.equal('upgrade refused: HTTP 404');
    });

    it("closes with 4401 when the authorization frame has a bad token (or another person's), 4400 when the first frame is not one", async () => {
      const { device } = await registerDevice(emulator, emulator.botToken);
      for (const token of ['Bearer nope', `Bearer ${emulator.seed!.alice.token}`]) {
        const socket = await openSocket(String(device['webSocketUrl']));
        socket.send({ id: 'a', type: 'authorization', data: { token } });
        expect((await socket.closed).code).to.equal(4401);
      }
      const socket = await openSocket(String(device['webSocketUrl']));
      socket.send({ id: 'p', type: 'ping' });
      expect((await socket.closed).code).to.equal(4400);
    });

    it('sends the buffer state first, answers a ping with a pong of the same id, and ignores acks', async () => {
      const { device } = await registerDevice(emulator, emulator.botToken);
      const socket = await openSocket(String(device['webSocketUrl']));
      socket.send({
        id: 'auth',
        type: 'authorization',
        data: { token: `Bearer ${emulator.botToken}` },
        trackingId: 't',
      });
      const first = await socket.next();
      expect(first['type']).to.equal(undefined);
      expect(first.data).to.deep.equal({ eventType: 'mercury.buffer_state' });
      expect(first.id).to.be.a('string');
      socket.send({ messageId: first.id, type: 'ack' });
      socket.send({ id: 'ping-1', type: 'ping' });
      expect(await socket.next()).to.deep.equal({ id: 'ping-1', type: 'pong' });
      expect(emulator.devices()[0]!.sockets).to.equal(1);
      socket.close();
    });

    it('pushes a post activity for direct messages and group mentions only, naming the message by the uuid of its REST id', async () => {
      const { socket } = await connectedDevice(emulator, emulator.botToken);
      const { alice, directRoom, groupRoom } = emulator.seed!;
      const direct = await emulator.say({ personId: alice.id, roomId: directRoom.id, text: 'hello' });
      const a = activityOf(await socket.next());
      expect(a).to.deep.include({
        id: uuidOf(direct.id),
        verb: 'post',
        objectType: 'activity',
        published: direct.created,
      });
      expect(a['actor']).to.deep.include({
        objectType: 'person',
        entryUUID: uuidOf(alice.id),
        emailAddress: 'alice@example.com',
      });
      expect(a['object']).to.deep.equal({ objectType: 'comment', id: uuidOf(direct.id) });
      expect(a['target']).to.deep.equal({
        objectType: 'conversation',
        id: uuidOf(directRoom.id),
        url: `${emulator.url}/conversation/api/v1/conversations/${uuidOf(directRoom.id)}`,
        tags: ['ONE_ON_ONE'],
      });
      expect(mintId('MESSAGE', a['id'])).to.equal(direct.id);

      await emulator.say({ personId: alice.id, roomId: groupRoom.id, text: 'not for the bot' });
      const mention = await emulator.say({ personId: alice.id, roomId: groupRoom.id, text: 'help', mention: true });
      const m = activityOf(await socket.next());
      expect(m['id']).to.equal(uuidOf(mention.id));
      expect((m['target'] as { tags: unknown }).tags).to.deep.equal([]);
      expect((m['object'] as { mentions: unknown }).mentions).to.deep.equal({
        items: [{ objectType: 'person', id: uuidOf(emulator.bot.id) }],
      });
      const frames = emulator.socketFrames();
      expect(frames.map((f) => [f.resource, f.event, f.dataId, f.state])).to.deep.equal([
        ['messages', 'created', direct.id, 'sent'],
        ['messages', 'created', mention.id, 'sent'],
      ]);
      socket.close();
    });

    it("pushes a cardAction activity to the card's author, with the card message as parent and the inputs", async () => {
      const { alice, directRoom } = emulator.seed!;
      const card = await emulator.say({
        personId: emulator.bot.id,
        roomId: directRoom.id,
        text: 'a card',
        attachments: [CARD],
      });
      const { socket } = await connectedDevice(emulator, emulator.botToken);
      const action = await emulator.submitCard({ personId: alice.id, messageId: card.id, inputs: { choice: 'yes' } });
      const a = activityOf(await socket.next());
      expect(a).to.deep.include({ id: uuidOf(action.id), verb: 'cardAction' });
      expect(a['parent']).to.deep.equal({ id: uuidOf(card.id), type: 'reply' });
      expect(a['object']).to.deep.equal({ objectType: 'submit', inputs: { choice: 'yes' } });
      expect(mintId('ATTACHMENT_ACTION', a['id'])).to.equal(action.id);
      socket.close();
    });

    it('pushes add and leave activities for memberships, whose person and space give the membership id of the REST API', async () => {
      const { bob, groupRoom } = emulator.seed!;
      const carol = emulator.createPerson({ displayName: 'Carol Example', email: 'carol@example.com' });
      const { socket } = await connectedDevice(emulator, emulator.botToken);
      const added = await fetch(`${emulator.apiUrl}/memberships`, {
        method: 'POST',
        headers: bearer(bob.token),
        body: JSON.stringify({ roomId: groupRoom.id, personId: carol.id }),
      });
      const membership = (await added.json()) as { id: string };
      const add = activityOf(await socket.next());
      expect(add['verb']).to.equal('add');
      expect(add['object']).to.deep.include({
        objectType: 'person',
        entryUUID: uuidOf(carol.id),
        emailAddress: 'carol@example.com',
        displayName: 'Carol Example',
      });
      const person = add['object'] as { entryUUID: string };
      const space = add['target'] as { id: string };
      expect(membershipId(mintId('PEOPLE', person.entryUUID), mintId('ROOM', space.id))).to.equal(membership.id);
      const got = await fetch(`${emulator.apiUrl}/memberships/${membership.id}`, {
        headers: bearer(emulator.botToken),
      });
      expect(got.status).to.equal(200);
      expect(
        (
          await fetch(`${emulator.apiUrl}/memberships/${membership.id}`, {
            method: 'DELETE',
            headers: bearer(bob.token),
          })
        ).status,
      ).to.equal(204);
      expect(activityOf(await socket.next())['verb']).to.equal('leave');
      socket.close();
    });

    it('records an event for a device with no open socket as missed (Webex keeps no backlog for it)', async () => {
      await registerDevice(emulator, emulator.botToken);
      const m = await emulator.say({
        personId: emulator.seed!.alice.id,
        roomId: emulator.seed!.directRoom.id,
        text: 'anyone?',
      });
      expect(emulator.socketFrames().map((f) => [f.dataId, f.state])).to.deep.equal([[m.id, 'missed']]);
    });

    it("resends a frame's activity as a new frame, and sends a raw frame as it is", async () => {
      const { device, socket } = await connectedDevice(emulator, emulator.botToken);
      await emulator.say({ personId: emulator.seed!.alice.id, roomId: emulator.seed!.directRoom.id, text: 'twice' });
      const original = await socket.next();
      const [copy] = emulator.resendFrame(emulator.socketFrames()[0]!.frameId);
      const again = await socket.next();
      expect(again.id).to.equal(copy!.frameId).and.not.equal(original.id);
      expect(activityOf(again)).to.deep.equal(activityOf(original));
      expect(copy!.resendOf).to.equal(original.id);
      const deviceId = String(device['url']).split('/').pop()!;
      expect(emulator.sendRawFrame(deviceId, '{not json')).to.equal(1);
      expect(await socket.next()).to.deep.equal({ raw: '{not json' });
      socket.close();
    });

    it('cuts sockets off without a close frame (1006), and refuses new ones (HTTP 503) while asked', async () => {
      const { device, socket } = await connectedDevice(emulator, emulator.botToken);
      emulator.refuseSockets(true);
      expect(emulator.dropSockets()).to.equal(1);
      expect((await socket.closed).code).to.equal(1006);
      let error: Error | undefined;
      await openSocket(String(device['webSocketUrl'])).catch((err: Error) => (error = err));
      expect(error?.message).to.equal('upgrade refused: HTTP 503');
      emulator.refuseSockets(false);
      const back = await openSocket(String(device['webSocketUrl']));
      back.close();
    });
  });

  describe('control API', () => {
    it('lists devices and frames, drops, refuses, resends and sends raw frames; 400 with the reason for bad input', async () => {
      const { device, socket } = await connectedDevice(emulator, emulator.botToken);
      const deviceId = String(device['url']).split('/').pop()!;
      const control = (method: string, path: string, body?: unknown) =>
        fetch(`${emulator.url}/_emulator${path}`, {
          method,
          headers: { 'content-type': 'application/json' },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
      const devices = (await (await control('GET', '/devices')).json()) as {
        items: Array<{ id: string; sockets: number }>;
      };
      expect(devices.items.map((d) => [d.id, d.sockets])).to.deep.equal([[deviceId, 1]]);
      await emulator.say({ personId: emulator.seed!.alice.id, roomId: emulator.seed!.directRoom.id, text: 'hi' });
      await socket.next();
      const frames = (await (await control('GET', '/socket-frames')).json()) as { items: Array<{ frameId: string }> };
      const resent = await control('POST', `/socket-frames/${frames.items[0]!.frameId}/resend`, { copies: 2 });
      expect(resent.status).to.equal(201);
      expect(((await resent.json()) as { items: unknown[] }).items).to.have.length(2);
      expect(
        (await control('POST', `/socket-frames/${frames.items[0]!.frameId}/resend`, { copies: 0 })).status,
      ).to.equal(400);
      expect((await control('POST', '/socket-frames/nope/resend', {})).status).to.equal(404);
      expect(await (await control('POST', `/devices/${deviceId}/raw-frames`, { text: 'x' })).json()).to.deep.equal({
        sockets: 1,
      });
      const bad = await control('POST', `/devices/${deviceId}/raw-frames`, { text: 3 });
      expect(bad.status).to.equal(400);
      expect(await bad.json()).to.deep.equal({ error: 'text must be a string' });
      expect(await (await control('PUT', '/sockets', { refuse: true })).json()).to.deep.equal({ refusing: true });
      expect((await control('PUT', '/sockets', { refuse: 'yes' })).status).to.equal(400);
      expect(await (await control('POST', '/sockets/drop', { deviceId })).json()).to.deep.equal({ dropped: 1 });
      expect((await socket.closed).code).to.equal(1006);
    });
  });

  describe('with the real SDK', () => {
    it("registers, connects and hears a message through the SDK's own listener, which fetches it by the id it built", async () => {
      const sdk = (await sdkFor(emulator, emulator.botToken)) as unknown as {
        messages: {
          listen(): Promise<void>;
          on(e: string, f: (ev: { data: { id: string; text: string } }) => void): void;
        };
        internal: { mercury: { disconnect(): Promise<void> }; device: { unregister(): Promise<void> } };
      };
      await sdk.messages.listen();
      const heard: string[] = [];
      sdk.messages.on('created', (ev) => heard.push(`${ev.data.id} ${ev.data.text}`));
      const m = await emulator.say({
        personId: emulator.seed!.alice.id,
        roomId: emulator.seed!.directRoom.id,
        text: 'over the socket',
      });
      await until(() => heard.length > 0, 'the SDK heard the message');
      expect(heard).to.deep.equal([`${m.id} over the socket`]);
      await sdk.internal.mercury.disconnect();
      await sdk.internal.device.unregister();
      expect(emulator.devices()).to.deep.equal([]);
    });
  });
});
