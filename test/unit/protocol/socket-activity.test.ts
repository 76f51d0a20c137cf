import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { envelopeFromActivity, restCluster, restId } from '../../../src/protocol/socket-activity.js';
import { loadSdkPackage } from '../../../src/webex/sdk.js';

const common = loadSdkPackage<{
  constructHydraId(type: string, id: string, cluster?: string): string;
  buildHydraMembershipId(p: string, s: string, c: string): string;
}>('@webex/common');
const source = { id: 'device-1', name: 'webex sdk socket event' };
const HOST_URL = 'http://127.0.0.1:4000/conversation/api/v1/conversations';
const clusterOf = (url: string) =>
  url.startsWith('http://127.0.0.1:4000/') ? 'urn:TEAM:us-east-2_a:conversation' : undefined;

describe('socket activities as webhook envelopes', () => {
  const room = randomUUID();
  const alice = randomUUID();
  const base = (extra: Record<string, unknown>) => ({
    objectType: 'activity',
    published: '2026-01-01T00:00:00.000Z',
    actor: { objectType: 'person', id: alice, entryUUID: alice, emailAddress: 'alice@example.com' },
    target: { objectType: 'conversation', id: room, url: `${HOST_URL}/${room}`, tags: ['ONE_ON_ONE'] },
    ...extra,
  });

  it('builds REST ids as the SDK does (same cluster rules, people always "us")', () => {
    for (const cluster of ['us', 'urn:TEAM:eu-central-1_k']) {
      for (const type of ['MESSAGE', 'ROOM', 'PEOPLE', 'ATTACHMENT_ACTION', 'ORGANIZATION'] as const) {
        expect(restId(type, room, cluster)).to.equal(common.constructHydraId(type, room, cluster));
      }
    }
    expect(restCluster('urn:TEAM:us-east-2_a:conversation')).to.equal('us');
    expect(restCluster('urn:TEAM:eu-central-1_k:conversation')).to.equal('urn:TEAM:eu-central-1_k');
    expect(restCluster('nonsense')).to.equal(undefined);
  });

  it('maps a post to messages/created with the ids a webhook would carry', () => {
    const id = randomUUID();
    const bot = randomUUID();
    const r = envelopeFromActivity(
      base({ id, verb: 'post', object: { objectType: 'comment', mentions: { items: [{ id: bot }] } } }),
      clusterOf,
      source,
    );
    expect(r.kind).to.equal('event');
    const e = (r as Extract<typeof r, { kind: 'event' }>).envelope;
    expect(e).to.deep.include({
      id: 'device-1',
      name: 'webex sdk socket event',
      resource: 'messages',
      event: 'created',
      actorId: restId('PEOPLE', alice, 'us'),
    });
    expect(e.data).to.deep.equal({
      id: restId('MESSAGE', id, 'us'),
      roomId: restId('ROOM', room, 'us'),
      roomType: 'direct',
      personId: restId('PEOPLE', alice, 'us'),
      personEmail: 'alice@example.com',
      mentionedPeople: [restId('PEOPLE', bot, 'us')],
      created: '2026-01-01T00:00:00.000Z',
    });
  });

  it('maps cardAction, add and leave, with membership ids of the form <person>:<space>', () => {
    const action = randomUUID();
    const card = randomUUID();
    const r = envelopeFromActivity(
      base({ id: action, verb: 'cardAction', parent: { id: card }, object: { objectType: 'submit' } }),
      clusterOf,
      source,
    );
    expect(r.kind === 'event' && r.envelope.data).to.deep.include({
      id: restId('ATTACHMENT_ACTION', action, 'us'),
      messageId: restId('MESSAGE', card, 'us'),
      type: 'submit',
    });
    const carol = randomUUID();
    for (const [verb, event] of [
      ['add', 'created'],
      ['leave', 'deleted'],
    ] as const) {
      const m = envelopeFromActivity(
        base({
          id: randomUUID(),
          verb,
          object: { objectType: 'person', entryUUID: carol, emailAddress: 'carol@example.com' },
        }),
        clusterOf,
        source,
      );
      expect(
        m.kind === 'event' && [m.envelope.resource, m.envelope.event, m.envelope.data.id, m.envelope.data.personId],
      ).to.deep.equal([
        'memberships',
        event,
        common.buildHydraMembershipId(carol, room, 'us'),
        restId('PEOPLE', carol, 'us'),
      ]);
    }
  });

  it('skips activities the bot does not act on, and reports what it cannot read', () => {
    expect(
      envelopeFromActivity(
        base({ id: 'x', verb: 'acknowledge', object: { objectType: 'activity' } }),
        clusterOf,
        source,
      ),
    ).to.deep.equal({ kind: 'skipped', verb: 'acknowledge' });
    expect(envelopeFromActivity(undefined, clusterOf, source)).to.deep.equal({
      kind: 'malformed',
      reason: 'the frame has no activity',
    });
    expect(envelopeFromActivity({ verb: 'post', id: 'x' }, clusterOf, source)).to.deep.equal({
      kind: 'malformed',
      reason: 'the conversation URL is missing',
    });
    const elsewhere = envelopeFromActivity(
      base({ id: 'x', verb: 'post', target: { id: room, url: 'https://other.example/conversations/1' } }),
      clusterOf,
      source,
    );
    expect(elsewhere).to.deep.equal({
      kind: 'malformed',
      reason:
        'the service catalog has no cluster for https://other.example/conversations/1 (the REST ids cannot be built)',
    });
    expect(envelopeFromActivity(base({ verb: 'post' }), clusterOf, source)).to.deep.equal({
      kind: 'malformed',
      reason: 'the activity id is missing',
    });
  });
});
