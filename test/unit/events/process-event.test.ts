/**
 * processEvent on its own, with the seam and the routes faked: what it screens, fetches and hands
 * over, and what it refuses.
 */
import { expect } from 'chai';
import { WebexBadAnswerError } from '../../../src/errors.js';
import { createEventProcessor, type ProcessEventDeps } from '../../../src/events/process-event.js';
import { silentLogger } from '../../../src/logging.js';
import type { BotOutbox } from '../../../src/outbound/outbox.js';
import { SentMessageLedger } from '../../../src/outbound/sent-messages.js';
import { AccessPolicy } from '../../../src/policy/access.js';
import { RefusalNotices } from '../../../src/policy/refusals.js';
import type { WebhookEnvelope } from '../../../src/protocol/envelope.js';
import type { OutgoingMessage } from '../../../src/routing/inbound.js';
import { MemoryStore } from '../../../src/store/memory-store.js';
import type { FrameworkDispatch } from '../../../src/webex/index.js';

const card = { type: 'AdaptiveCard', version: '1.3', body: [], actions: [{ type: 'Action.Submit', title: 'Go' }] };

function world(over: Partial<ProcessEventDeps> = {}) {
  const sent: OutgoingMessage[] = [];
  const handedOver: string[] = [];
  const outbox: BotOutbox = {
    forEvent: () => ({
      send: async (m) => {
        sent.push(m);
        return { id: `sent-${sent.length}` };
      },
      edit: async (id) => ({ id }),
      remove: async () => undefined,
    }),
  };
  const ledger = new SentMessageLedger(
    async () => ({ id: 'x' }),
    () => 'BOT',
  );
  ledger.remember({ id: 'CARD-IN-A', roomId: 'ROOM-A', attachments: [{ contentType: 'x', content: card }] });
  const dispatch: FrameworkDispatch = {
    message: async (m) => {
      handedOver.push(m.id);
      return { kind: 'handled', outcome: { kind: 'handled', skill: 's' } as never };
    },
    submission: async (a) => {
      handedOver.push(a.id);
      return { kind: 'handled', outcome: { kind: 'handled', skill: 's' } as never };
    },
    membership: async () => ({ kind: 'not-dispatched' }),
    other: async () => undefined,
  };
  const process = createEventProcessor({
    botId: 'BOT',
    api: {
      getMessage: async (id) => ({ id, roomId: 'ROOM-A', personId: 'ALICE', text: 'hi' }),
      getAttachmentAction: async (id) => ({
        id,
        type: 'submit',
        messageId: 'CARD-IN-A',
        roomId: 'ROOM-B',
        personId: 'ALICE',
      }),
    },
    dispatch,
    routes: () => ({
      handleMessage: async () => ({ kind: 'unknown-command' }),
      handleSubmission: async () => ({ kind: 'unowned-card' }),
      handleLifecycle: async (e) => ({ kind: 'lifecycle', event: e.kind, ran: [], failed: [] }),
    }),
    outbox,
    sentMessages: ledger,
    guards: {
      access: new AccessPolicy({ domains: [], emails: [] }),
      respondToBots: false,
      refusals: new RefusalNotices(new MemoryStore()),
    },
    eventDeadlineMs: 5000,
    ...over,
  });
  return { process, sent, handedOver };
}

const envelope = (resource: string, id: string, roomId: string): WebhookEnvelope => ({
  id: 'WH',
  name: 'hook',
  resource,
  event: 'created',
  data: { id, roomId, personId: 'ALICE', personEmail: 'alice@example.com' },
});

describe('processEvent (screen → enrich → dispatch)', () => {
  it('refuses a card submission that names a card of another space, handing nothing to a skill', async () => {
    const { process, handedOver, sent } = world();
    const outcome = await process(envelope('attachmentActions', 'ACTION-1', 'ROOM-B'), {
      eventId: 'ev1',
      log: silentLogger,
    });
    expect(outcome).to.deep.equal({ kind: 'ignored', reason: 'the submitted card is in another space' });
    expect(handedOver).to.deep.equal([]);
    expect(sent).to.deep.equal([]);
  });

  it("hands over a submission from the card's own space", async () => {
    const { process, handedOver } = world({
      api: {
        getMessage: async () => ({ id: 'M', roomId: 'ROOM-A', personId: 'ALICE' }),
        getAttachmentAction: async (id) => ({
          id,
          type: 'submit',
          messageId: 'CARD-IN-A',
          roomId: 'ROOM-A',
          personId: 'ALICE',
        }),
      },
    });
    await process(envelope('attachmentActions', 'ACTION-2', 'ROOM-A'), { eventId: 'ev2', log: silentLogger });
    expect(handedOver).to.deep.equal(['ACTION-2']);
  });

  it('a message Webex answers with the wrong JSON: the user gets the apology with the event id, and the event fails (logged as failed)', async () => {
    const { process, sent, handedOver } = world({
      api: {
        getMessage: async () => {
          throw new WebexBadAnswerError('GET /messages/{id}', 'no id, roomId, personId in its JSON');
        },
        getAttachmentAction: async () => {
          throw new Error('unused');
        },
      },
    });
    const failed = await process(envelope('messages', 'MSG-1', 'ROOM-A'), { eventId: 'ev3', log: silentLogger }).catch(
      (e: unknown) => e,
    );
    expect((failed as { code?: string }).code).to.equal('WEBEX_BAD_ANSWER');
    expect(sent).to.have.length(1);
    expect(sent[0]!.markdown).to.include('`ev3`');
    expect(handedOver).to.deep.equal([]);
  });

  describe('membership events (the life of a space)', () => {
    const membership = (event: 'created' | 'deleted', personId: string, actorId: string): WebhookEnvelope => ({
      id: 'WH',
      name: 'hook',
      resource: 'memberships',
      event,
      actorId,
      data: { id: `MEM-${personId}`, roomId: 'ROOM-A', personId },
    });
    const people: Record<string, { id: string; emails: string[]; displayName: string; type?: string }> = {
      ALICE: { id: 'ALICE', emails: ['alice@example.com'], displayName: 'Alice' },
      EVE: { id: 'EVE', emails: ['eve@elsewhere.example'], displayName: 'Eve' },
      OTHERBOT: { id: 'OTHERBOT', emails: ['other@webex.bot'], displayName: 'Other', type: 'bot' },
    };
    /** A world whose access policy allows example.com, recording lifecycle hand-overs. */
    function lifeWorld() {
      const lifecycle: string[] = [];
      const other: string[] = [];
      const w = world({
        api: {
          getMessage: async () => {
            throw new Error('unused');
          },
          getAttachmentAction: async () => {
            throw new Error('unused');
          },
          getPerson: async (id) => people[id]!,
        },
        dispatch: {
          message: async () => ({ kind: 'not-dispatched' }),
          submission: async () => ({ kind: 'not-dispatched' }),
          membership: async (env, run) => {
            const kind = env.event === 'deleted' ? 'bot-removed' : 'bot-added';
            return {
              kind: 'handled',
              outcome: (await run({ kind, roomId: 'ROOM-A', roomType: 'group', roomTitle: 'T' })) as never,
            };
          },
          other: async (env) => {
            other.push(`${env.event} ${env.data.personId}`);
          },
        },
        routes: () => ({
          handleMessage: async () => ({ kind: 'unknown-command' }),
          handleSubmission: async () => ({ kind: 'unowned-card' }),
          handleLifecycle: async (e) => {
            lifecycle.push(`${e.kind} by ${e.actor.displayName} <${e.actor.email}>`);
            return { kind: 'lifecycle', event: e.kind, ran: [], failed: [] };
          },
        }),
        guards: {
          access: new AccessPolicy({ domains: ['example.com'], emails: [] }),
          respondToBots: false,
          refusals: new RefusalNotices(new MemoryStore()),
        },
      });
      return { ...w, lifecycle, other };
    }
    const trace = { eventId: 'ev', log: silentLogger };

    it('runs the lifecycle with the actor looked up, when the access policy allows them', async () => {
      const w = lifeWorld();
      expect(await w.process(membership('created', 'BOT', 'ALICE'), trace)).to.deep.include({ kind: 'lifecycle' });
      expect(w.lifecycle).to.deep.equal(['bot-added by Alice <alice@example.com>']);
    });

    it('someone not allowed adds the bot: the refusal, no skill; the framework still keeps its objects', async () => {
      const w = lifeWorld();
      expect(await w.process(membership('created', 'BOT', 'EVE'), trace)).to.deep.equal({ kind: 'refused' });
      expect(w.lifecycle).to.deep.equal([]);
      expect(w.sent).to.have.length(1);
      expect(w.other).to.deep.equal(['created BOT']);
    });

    it('someone not allowed adds a person, or another bot does, or the bot itself: no skill, no message', async () => {
      const w = lifeWorld();
      expect(await w.process(membership('created', 'BOB', 'EVE'), trace)).to.deep.equal({ kind: 'refused' });
      expect((await w.process(membership('created', 'BOB', 'OTHERBOT'), trace)).kind).to.equal('ignored');
      expect(await w.process(membership('created', 'BOB', 'BOT'), trace)).to.deep.equal({
        kind: 'ignored',
        reason: 'the bot itself made the change',
      });
      expect(w.lifecycle).to.deep.equal([]);
      expect(w.sent).to.deep.equal([]);
    });

    it('the bot removed: handed on whoever did it (forgetting a space is housekeeping)', async () => {
      const w = lifeWorld();
      await w.process(membership('deleted', 'BOT', 'EVE'), trace);
      expect(w.lifecycle).to.deep.equal(['bot-removed by Eve <eve@elsewhere.example>']);
      expect(w.sent).to.deep.equal([]);
    });
  });
});
