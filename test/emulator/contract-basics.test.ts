/**
 * Contract: what every endpoint shares — tokens, the SDK's service discovery, error bodies,
 * tracking ids, trailing slashes, paging parameters — driven through the real `webex` SDK
 * where the SDK can express the call, and raw HTTP where it cannot (no token, bad JSON).
 */
import { expect } from 'chai';
import sinon from 'sinon';
import { decodeId, isRealFormatToken, type Emulator } from '../../src/emulator/index.js';
import { createWebexClient } from '../../src/webex/sdk.js';
import { expectApiError, sdkFor, startTestEmulator, until } from './helpers.js';

describe('emulator contract: basics', () => {
  let emulator: Emulator;

  before(async () => {
    emulator = await startTestEmulator();
  });
  after(async () => {
    await emulator.stop();
  });

  it('mints a bot token in Webex format whose org is the org of every person', () => {
    expect(isRealFormatToken(emulator.botToken)).to.equal(true);
    const orgUuid = emulator.botToken.split('_')[2];
    expect(decodeId(emulator.bot.orgId)).to.deep.equal({ type: 'ORGANIZATION', uuid: orgUuid });
  });

  it('answers the SDK as the bot and as a person, each with their own token', async () => {
    const bot = await sdkFor(emulator, emulator.botToken);
    const alice = await sdkFor(emulator, emulator.seed!.alice.token);
    const meBot = await bot.people.get('me');
    const meAlice = await alice.people.get('me');
    expect(meBot).to.include({ id: emulator.bot.id, displayName: 'Skill Bot', type: 'bot' });
    expect(meBot.emails).to.deep.equal(['skill-bot@webex.bot']);
    expect(meAlice).to.include({
      id: emulator.seed!.alice.id,
      displayName: 'Alice Example',
      type: 'person',
      firstName: 'Alice',
      lastName: 'Example',
    });
    expect(decodeId(meAlice.id)?.type).to.equal('PEOPLE');
  });

  it('answers the service catalog requests the SDK makes, so that the SDK prints nothing', async () => {
    const consoleSpies = (['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((m) =>
      sinon.spy(console, m),
    );
    try {
      const before = emulator.calls();
      const webex = await sdkFor(emulator, emulator.seed!.bob.token);
      await webex.people.get('me');
      const after = emulator.calls();
      expect((after['GET /v1/limited/catalog'] ?? 0) - (before['GET /v1/limited/catalog'] ?? 0)).to.equal(1);
      expect((after['GET /v1/catalog'] ?? 0) - (before['GET /v1/catalog'] ?? 0)).to.equal(1);
      for (const spy of consoleSpies) expect(spy.callCount, `console.${spy.name}`).to.equal(0);
    } finally {
      for (const spy of consoleSpies) spy.restore();
    }
  });

  it('is what keeps the SDK quiet: a token in another format makes it warn (control experiment)', async () => {
    const spy = sinon.stub(console, 'error');
    try {
      const webex = createWebexClient({ token: 'not-a-webex-token', apiUrl: emulator.apiUrl });
      await expectApiError(webex.people.get('me'), 401);
      // The SDK reports the token format in the background, after the call.
      await until(() => spy.callCount > 0, 'the SDK warned');
      expect(spy.args.flat().join(' ')).to.match(/not a valid format/);
    } finally {
      spy.restore();
    }
  });

  it('answers 401 with the Webex error body to an unknown token', async () => {
    const webex = await sdkFor(
      emulator,
      `${emulator.botToken.slice(0, 10)}XYZ_PF84_${emulator.botToken.split('_')[2]}`,
    );
    const err = await expectApiError(webex.rooms.list(), 401, /valid access token/);
    expect(err.body.message).to.equal(
      'The request requires a valid access token set in the Authorization request header.',
    );
  });

  it('answers 401 without a bearer token, or with another scheme', async () => {
    const variants: Array<Record<string, string>> = [
      {},
      { Authorization: `Basic ${emulator.botToken}` },
      { Authorization: 'Bearer' },
    ];
    for (const headers of variants) {
      const res = await fetch(`${emulator.apiUrl}/people/me`, { headers });
      expect(res.status).to.equal(401);
      const body = (await res.json()) as { message: string; errors: unknown[]; trackingId: string };
      expect(body.errors).to.deep.equal([{ description: body.message }]);
      expect(res.headers.get('trackingid')).to.equal(body.trackingId);
    }
  });

  it("echoes the client's TrackingID, and mints one otherwise", async () => {
    const given = await fetch(`${emulator.apiUrl}/people/me`, {
      headers: { Authorization: `Bearer ${emulator.botToken}`, TrackingID: 'test_123' },
    });
    expect(given.headers.get('trackingid')).to.equal('test_123');
    const minted = await fetch(`${emulator.apiUrl}/people/me`, {
      headers: { Authorization: `Bearer ${emulator.botToken}` },
    });
    expect(minted.headers.get('trackingid')).to.match(/^EMULATOR_[0-9a-f-]{36}$/);
  });

  it('accepts trailing slashes', async () => {
    const webex = await sdkFor(emulator, emulator.botToken);
    const res = await webex.request({ uri: `${emulator.apiUrl}/people/me/` });
    expect((res.body as { id: string }).id).to.equal(emulator.bot.id);
    const rooms = await webex.request({ uri: `${emulator.apiUrl}/rooms/` });
    expect((rooms.body as { items: unknown[] }).items).to.have.length(2);
  });

  it('answers 404 for an unknown endpoint and 405 for an unsupported method', async () => {
    const webex = await sdkFor(emulator, emulator.botToken);
    await expectApiError(webex.request({ uri: `${emulator.apiUrl}/teams` }), 404, /no endpoint GET \/v1\/teams/);
    const err = await expectApiError(
      webex.request({
        method: 'PUT',
        uri: `${emulator.apiUrl}/rooms/${emulator.seed!.groupRoom.id}`,
        body: { title: 'x' },
      }),
      405,
    );
    expect(err.headers['allow']).to.equal('GET');
  });

  it('answers 400 to a body that is not JSON, or not an object', async () => {
    const post = (body: string): Promise<Response> =>
      fetch(`${emulator.apiUrl}/messages`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${emulator.botToken}`, 'Content-Type': 'application/json' },
        body,
      });
    const broken = await post('{"roomId": ');
    expect(broken.status).to.equal(400);
    expect(((await broken.json()) as { message: string }).message).to.match(/not valid JSON/);
    const array = await post('[1,2]');
    expect(array.status).to.equal(400);
    expect(((await array.json()) as { message: string }).message).to.match(/JSON object/);
  });

  it('answers 413 to a body over 1 MB', async () => {
    const res = await fetch(`${emulator.apiUrl}/messages`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${emulator.botToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ roomId: emulator.seed!.directRoom.id, text: 'x'.repeat(1024 * 1024) }),
    });
    expect(res.status).to.equal(413);
  });

  it('answers 400 to a bad max or cursor', async () => {
    const webex = await sdkFor(emulator, emulator.botToken);
    await expectApiError(webex.rooms.list({ max: 0 }), 400, /max must be a positive integer/);
    await expectApiError(webex.rooms.list({ max: 'ten' }), 400, /max/);
    await expectApiError(webex.rooms.list({ cursor: 'bogus' }), 400, /cursor/);
  });
});
