import { expect } from 'chai';
import sinon from 'sinon';
import type { WebexPage } from 'webex';
import { silentLogger } from '../../../src/logging.js';
import { ensureWebhook, type WebhookRecord, type WebhookSpec } from '../../../src/webex/webhooks/ensure.js';

const spec: WebhookSpec = {
  name: 'bot hook',
  targetUrl: 'https://bot.example.com/webhook',
  resource: 'all',
  event: 'all',
  secret: 'secret-0123456789abcdef',
};

/** A fake webhooks API over an array, with two items per page to exercise paging. */
function fakeApi(initial: WebhookRecord[]) {
  const hooks = [...initial];
  let next = 100;
  const page = (from: number): WebexPage<WebhookRecord> => ({
    items: hooks.slice(from, from + 2),
    length: Math.min(2, hooks.length - from),
    hasNext: () => from + 2 < hooks.length,
    next: async () => page(from + 2),
  });
  return {
    hooks,
    list: sinon.spy(async () => page(0)),
    create: sinon.spy(async (body: Record<string, unknown>) => {
      const h = { id: `w${next++}`, status: 'active', ...body } as WebhookRecord;
      hooks.push(h);
      return h;
    }),
    update: sinon.spy(async (body: Record<string, unknown>) => {
      const h = hooks.find((x) => x.id === body['id'])!;
      Object.assign(h, body);
      return h;
    }),
    remove: sinon.spy(async (id: string | Record<string, unknown>) => {
      hooks.splice(
        hooks.findIndex((x) => x.id === id),
        1,
      );
    }),
  };
}

const hook = (id: string, over: Partial<WebhookRecord> = {}): WebhookRecord => ({
  id,
  name: spec.name,
  targetUrl: spec.targetUrl,
  resource: 'all',
  event: 'all',
  secret: spec.secret,
  status: 'active',
  ...over,
});

describe('ensureWebhook', () => {
  it('creates the webhook when none exists', async () => {
    const api = fakeApi([hook('other', { targetUrl: 'https://staging.example.com/webhook' })]);
    const r = await ensureWebhook(api, spec, silentLogger);
    expect(r.action).to.equal('created');
    expect(api.create.firstCall.args[0]).to.deep.equal({
      name: spec.name,
      targetUrl: spec.targetUrl,
      resource: 'all',
      event: 'all',
      secret: spec.secret,
    });
    expect(api.hooks.map((h) => h.id)).to.deep.equal(['other', r.webhook.id]);
  });

  it('keeps a matching webhook untouched (restarts do not duplicate)', async () => {
    const api = fakeApi([hook('w1')]);
    const r = await ensureWebhook(api, spec, silentLogger);
    expect(r).to.deep.include({ action: 'kept' });
    expect(api.create.called || api.update.called || api.remove.called).to.equal(false);
  });

  it('re-activates and re-keys an existing webhook instead of recreating it', async () => {
    const api = fakeApi([hook('w1', { status: 'inactive', secret: 'old', name: 'old name' })]);
    const r = await ensureWebhook(api, spec, silentLogger);
    expect(r.action).to.equal('updated');
    expect(api.update.firstCall.args[0]).to.deep.equal({
      id: 'w1',
      name: spec.name,
      targetUrl: spec.targetUrl,
      secret: spec.secret,
      status: 'active',
    });
    expect(api.create.called).to.equal(false);
  });

  it('removes duplicates of the same subscription, keeping an active one, across pages', async () => {
    const api = fakeApi([
      hook('x1', { resource: 'messages', event: 'created' }),
      hook('x2', { targetUrl: 'https://elsewhere.example.com/hook' }),
      hook('dup-inactive', { status: 'inactive' }),
      hook('keep'),
      hook('dup2'),
    ]);
    const r = await ensureWebhook(api, spec, silentLogger);
    expect(r.webhook.id).to.equal('keep');
    expect(api.remove.args.map((a) => a[0])).to.deep.equal(['dup-inactive', 'dup2']);
    expect(api.hooks.map((h) => h.id)).to.deep.equal(['x1', 'x2', 'keep']);
  });

  it('never touches webhooks for another target URL or subscription', async () => {
    const api = fakeApi([
      hook('a', { targetUrl: 'https://other.example.com/x' }),
      hook('b', { resource: 'attachmentActions', event: 'created' }),
    ]);
    await ensureWebhook(api, spec, silentLogger);
    expect(api.remove.called).to.equal(false);
    expect(api.update.called).to.equal(false);
  });
});
