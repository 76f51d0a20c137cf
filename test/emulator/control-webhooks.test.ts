import { expect } from 'chai';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';

describe("Emulator control API: webhooks changed behind the owner's back", () => {
  let emulator: Emulator;
  let hookId: string;
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${emulator.apiUrl}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${emulator.botToken}`, 'content-type': 'application/json' },
    });
  const control = (path: string, method: string, body?: unknown) =>
    fetch(`${emulator.url}/_emulator${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  const own = async () => ((await (await api('/webhooks')).json()) as { items: Array<Record<string, unknown>> }).items;

  before(async () => {
    emulator = await startEmulator({ seed: false });
  });
  after(() => emulator.stop());
  beforeEach(async () => {
    const res = await api('/webhooks', {
      method: 'POST',
      body: JSON.stringify({
        name: 'hook',
        targetUrl: 'http://127.0.0.1:9/webhook',
        resource: 'messages',
        event: 'created',
        secret: 'a-secret-0123456789',
      }),
    });
    hookId = ((await res.json()) as { id: string }).id;
  });

  it('marks a webhook inactive, points it elsewhere and changes its secret, as its owner then sees', async () => {
    const res = await control(`/webhooks/${hookId}`, 'PATCH', {
      status: 'inactive',
      targetUrl: 'http://127.0.0.1:9/old',
      secret: 'another-secret-0123',
    });
    expect(res.status).to.equal(200);
    expect(await res.json()).to.not.have.property('secret');
    const hook = (await own()).find((h) => h['id'] === hookId)!;
    expect(hook).to.include({ status: 'inactive', targetUrl: 'http://127.0.0.1:9/old', secret: 'another-secret-0123' });
  });

  it('removes the secret with secret: null (Webex then sends events unsigned)', async () => {
    expect((await control(`/webhooks/${hookId}`, 'PATCH', { secret: null })).status).to.equal(200);
    expect((await own()).find((h) => h['id'] === hookId)).to.not.have.property('secret');
  });

  it('deletes a webhook; unknown ids get 404 and bad changes 400 with the reason', async () => {
    expect((await control(`/webhooks/${hookId}`, 'DELETE')).status).to.equal(204);
    expect((await own()).some((h) => h['id'] === hookId)).to.equal(false);
    expect((await control(`/webhooks/${hookId}`, 'DELETE')).status).to.equal(404);
    const other = (await own())[0]!['id'] as string;
    const bad = await control(`/webhooks/${other}`, 'PATCH', { status: 'sleeping' });
    expect(bad.status).to.equal(400);
    expect(((await bad.json()) as { error: string }).error).to.match(/status must be/);
    expect((await control(`/webhooks/${other}`, 'PATCH', { targetUrl: 'ftp://x' })).status).to.equal(400);
  });
});
