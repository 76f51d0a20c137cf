import { expect } from 'chai';
import sinon from 'sinon';
import { createCardRegistry, CARD_ID_INPUT } from '../../../src/cards/card-registry.js';
import { silentLogger } from '../../../src/logging.js';
import { apologyText, createDispatcher } from '../../../src/routing/dispatcher.js';
import type { EventScope, InboundMessage, InboundSubmission, OutgoingMessage } from '../../../src/routing/inbound.js';
import { command, defineSkill } from '../../../src/skill-kit/index.js';
import { checkSkill } from '../../../src/routing/skill-loader.js';
import type { CommandContext, SubmitContext } from '../../../src/skill-kit/types.js';

const bot = { id: 'bot-id', displayName: 'Skill Bot', firstName: 'Skill' };
const alice = { id: 'alice-id', displayName: 'Alice Example', email: 'alice@example.com' };

function message(text: string, extra: Partial<InboundMessage> = {}): InboundMessage {
  return {
    id: 'm1',
    roomId: 'r1',
    roomType: 'direct',
    roomTitle: 'Alice Example',
    parentId: undefined,
    text,
    html: undefined,
    files: [],
    created: '2026-01-01T00:00:00Z',
    person: alice,
    ...extra,
  };
}

/** A card as the bot sent it: tagged with `template` (as rendering does), or untagged (ready-made JSON). */
function sentCard(template?: string): Record<string, unknown> {
  const body = ['answer', 'input_text', 'x'].map((id) => ({ type: 'Input.Text', id, label: id }));
  return {
    type: 'AdaptiveCard',
    version: '1.3',
    body,
    actions: [{ type: 'Action.Submit', title: 'Go', data: template ? { [CARD_ID_INPUT]: template } : {} }],
  };
}

function submission(inputs: Record<string, unknown>, cardTemplate?: string): InboundSubmission {
  return {
    id: 'a1',
    messageId: 'card-msg',
    card: { content: sentCard(cardTemplate), threadRoot: 'card-root' },
    roomId: 'r1',
    roomType: 'group',
    roomTitle: 'Team',
    inputs,
    created: '2026-01-01T00:00:00Z',
    person: alice,
  };
}

function scope() {
  const sent: OutgoingMessage[] = [];
  const outbox = {
    send: sinon.spy(async (m: OutgoingMessage) => {
      sent.push(m);
      return { id: `sent-${sent.length}` };
    }),
    edit: sinon.spy(async (id: string) => ({ id })),
    remove: sinon.spy(async () => undefined),
  };
  const s: EventScope = {
    eventId: 'ev123',
    payload: { resource: 'messages', event: 'created', data: { id: 'm1' } },
    log: silentLogger,
    outbox,
  };
  return { scope: s, sent, outbox };
}

const form = {
  type: 'AdaptiveCard',
  version: '1.3',
  body: [{ type: 'TextBlock', text: 'Form for ${who}' }],
  actions: [{ type: 'Action.Submit', title: 'Go' }],
};
const cards = createCardRegistry(new Map([['form', form]]));

describe('dispatcher', () => {
  const calls: Array<{ name: string; context: CommandContext<unknown> | SubmitContext }> = [];
  const skills = [
    checkSkill(
      'ticket.ts',
      defineSkill({
        name: 'ticket',
        description: 'Tickets',
        commands: [
          command({
            pattern: 'ticket <anything...>',
            help: 'Catch-all',
            handle: (c) => void calls.push({ name: 'catch-all', context: c }),
          }),
          command({
            pattern: 'ticket open <priority:low|high> <title...>',
            help: 'Open a ticket',
            examples: ['ticket open high VPN down'],
            handle: (c) => void calls.push({ name: 'open', context: c }),
          }),
          command({
            pattern: 'boom',
            help: 'Throws',
            handle: () => {
              throw new Error('handler exploded');
            },
          }),
          command({
            pattern: 'slow',
            help: 'Async',
            handle: async (c) => {
              await new Promise((r) => setTimeout(r, 20));
              await c.reply.text('done');
            },
          }),
          command({
            pattern: 'form',
            help: 'Sends a card',
            handle: (c) => c.reply.card('form', { who: c.person.displayName }),
          }),
          command({
            pattern: 'thread',
            help: 'Replies in thread',
            handle: (c) => c.reply.text('in thread', { thread: true }),
          }),
          command({
            pattern: 'long',
            help: 'A reply over the size limit',
            handle: (c) =>
              c.reply.text(Array.from({ length: 300 }, (_, i) => `line ${i} ${'x'.repeat(40)}`).join('\n')),
          }),
          command({
            pattern: 'paste',
            help: 'Sends ready-made card JSON claiming a template',
            handle: (c) => c.reply.cardJson(sentCard('form')),
          }),
        ],
        onSubmit: {
          form: (c) => {
            calls.push({ name: 'form-submit', context: c });
            return c.reply.text('got it');
          },
        },
      }),
    ),
    checkSkill(
      'catch.ts',
      defineSkill({
        name: 'catch',
        description: 'Unowned cards',
        commands: [
          command({
            pattern: 'priority <x>',
            priority: 5,
            help: 'High priority',
            handle: (c) => void calls.push({ name: 'priority', context: c }),
          }),
        ],
        onSubmit: { '*': (c) => void calls.push({ name: 'unowned', context: c }) },
      }),
    ),
  ];
  const dispatcher = createDispatcher({ skills, cards, bot: () => bot });

  beforeEach(() => {
    calls.length = 0;
  });

  it('runs the most specific matching command, with typed args and context', async () => {
    const { scope: s } = scope();
    const outcome = await dispatcher.handleMessage(message('ticket open high VPN down'), s);
    expect(outcome).to.deep.equal({ kind: 'handled', skill: 'ticket' });
    expect(calls.map((c) => c.name)).to.deep.equal(['open']);
    const ctx = calls[0]!.context as CommandContext<unknown>;
    expect(ctx.args).to.deep.equal({ priority: 'high', title: 'VPN down' });
    expect(ctx.person).to.deep.equal(alice);
    expect(ctx.space).to.deep.include({ id: 'r1', title: 'Alice Example', type: 'direct' });
    expect(ctx.event).to.include({ id: 'ev123', resource: 'messages' });
    expect(ctx.skills.map((x) => x.name)).to.deep.equal(['ticket', 'catch']);
  });

  it('runs exactly one handler even when several match', async () => {
    await dispatcher.handleMessage(message('ticket whatever'), scope().scope);
    expect(calls.map((c) => c.name)).to.deep.equal(['catch-all']);
  });

  it('strips the @mention before matching in group spaces', async () => {
    const html =
      '<p><spark-mention data-object-type="person" data-object-id="bot-id">Skill Bot</spark-mention> ticket open low printer</p>';
    await dispatcher.handleMessage(
      message('Skill Bot ticket open low printer', { roomType: 'group', html }),
      scope().scope,
    );
    expect((calls[0]!.context as CommandContext<unknown>).text).to.equal('ticket open low printer');
    expect((calls[0]!.context as CommandContext<unknown>).message.rawText).to.equal(
      'Skill Bot ticket open low printer',
    );
  });

  it('honours priority over specificity', async () => {
    await dispatcher.handleMessage(message('priority 1'), scope().scope);
    expect(calls.map((c) => c.name)).to.deep.equal(['priority']);
  });

  it('awaits async handlers', async () => {
    const { scope: s, sent } = scope();
    await dispatcher.handleMessage(message('slow'), s);
    expect(sent.map((m) => m.markdown)).to.deep.equal(['done']);
  });

  it('answers an unknown command with a pointer to help', async () => {
    const { scope: s, sent } = scope();
    expect(await dispatcher.handleMessage(message('make coffee'), s)).to.deep.equal({ kind: 'unknown-command' });
    expect(sent).to.have.length(1);
    expect(sent[0]!.markdown).to.equal('Sorry, I don\'t know "make coffee". Type `help` to see what I can do.');
  });

  it('tells group spaces to mention the bot in the help pointer', async () => {
    const { scope: s, sent } = scope();
    await dispatcher.handleMessage(message('Skill Bot make coffee', { roomType: 'group' }), s);
    expect(sent[0]!.markdown).to.include('`@Skill Bot help`');
  });

  it('escapes the echoed unknown text', async () => {
    const { scope: s, sent } = scope();
    await dispatcher.handleMessage(message('<@all> **hi**'), s);
    expect(sent[0]!.markdown).to.include('&lt;@all&gt; \\*\\*hi\\*\\*');
  });

  it('greets a bare mention', async () => {
    const { scope: s, sent } = scope();
    await dispatcher.handleMessage(message('Skill Bot', { roomType: 'group' }), s);
    expect(sent[0]!.markdown).to.match(/^Hi Alice Example! Type `@Skill Bot help`/);
  });

  it('explains wrong arguments with usage and examples', async () => {
    const { scope: s, sent } = scope();
    const outcome = await dispatcher.handleMessage(message('ticket open urgent x'), s);
    expect(outcome).to.deep.equal({ kind: 'usage', skill: 'ticket' });
    expect(calls).to.have.length(0);
    expect(sent[0]!.markdown)
      .to.include('must be one of: low, high')
      .and.include('Usage: `ticket open <priority:low|high> <title...>`')
      .and.include('`ticket open high VPN down`');
  });

  it('turns a throwing handler into an apology with the correlation id', async () => {
    const { scope: s, sent } = scope();
    const outcome = await dispatcher.handleMessage(message('boom'), s);
    expect(outcome.kind).to.equal('failed');
    expect((outcome as { error: Error }).error.message).to.equal('handler exploded');
    expect(sent.map((m) => m.markdown)).to.deep.equal([apologyText('ev123')]);
    expect(apologyText('ev123')).to.include('`ev123`');
  });

  it('keeps a reply in the thread the message was in', async () => {
    const { scope: s, sent } = scope();
    await dispatcher.handleMessage(message('slow', { parentId: 'root-1' }), s);
    expect(sent[0]!.parentId).to.equal('root-1');
    await dispatcher.handleMessage(message('slow'), s);
    expect(sent[1]!.parentId).to.equal(undefined);
  });

  it('sends a reply over the size limit as several messages, in order, in the same thread, nothing cut', async () => {
    const { scope: s, sent } = scope();
    await dispatcher.handleMessage(message('long', { parentId: 'root' }), s);
    expect(sent.length).to.be.greaterThan(1);
    expect(sent.every((m) => Buffer.byteLength(m.markdown!) <= 7439 && m.parentId === 'root')).to.equal(true);
    expect(
      sent
        .map((m) => m.markdown)
        .join('\n')
        .split('\n'),
    ).to.deep.equal(Array.from({ length: 300 }, (_, i) => `line ${i} ${'x'.repeat(40)}`));
  });

  it('threads under the message when asked', async () => {
    const { scope: s, sent } = scope();
    await dispatcher.handleMessage(message('thread'), s);
    expect(sent[0]!.parentId).to.equal('m1');
  });

  it('sends card templates rendered with data, as an attachment with fallback text', async () => {
    const { scope: s, sent } = scope();
    await dispatcher.handleMessage(message('form'), s);
    expect(sent[0]!.text).to.equal('Form for Alice Example');
    expect(sent[0]!.attachments![0]!.contentType).to.equal('application/vnd.microsoft.card.adaptive');
    expect(JSON.stringify(sent[0]!.attachments![0]!.content)).to.include('"_card":"form"');
  });

  it('routes a submission to the skill owning the card the bot sent, without the routing key, replying in the card thread', async () => {
    const { scope: s, sent } = scope();
    const outcome = await dispatcher.handleSubmission(submission({ answer: '42', [CARD_ID_INPUT]: 'form' }, 'form'), s);
    expect(outcome).to.deep.equal({ kind: 'handled', skill: 'ticket' });
    const ctx = calls[0]!.context as SubmitContext;
    expect(ctx.inputs).to.deep.equal({ answer: '42', input_text: undefined, x: undefined });
    expect(ctx.cardId).to.equal('form');
    expect(ctx.action).to.deep.equal({ id: 'a1', messageId: 'card-msg', created: '2026-01-01T00:00:00Z' });
    expect(sent[0]!.parentId).to.equal('card-root');
  });

  it("sends ready-made cards' submissions to the '*' handler", async () => {
    await dispatcher.handleSubmission(submission({ input_text: 'hi' }), scope().scope);
    expect(calls.map((c) => c.name)).to.deep.equal(['unowned']);
    expect((calls[0]!.context as SubmitContext).cardId).to.equal(undefined);
  });

  it('answers a card of a template that no longer exists as out of date, running no handler', async () => {
    const { scope: s, sent } = scope();
    expect(await dispatcher.handleSubmission(submission({ input_text: 'hi' }, 'gone'), s)).to.deep.equal({
      kind: 'stale-card',
    });
    expect(calls).to.deep.equal([]);
    expect(sent[0]!.markdown).to.match(/^This card is from an older version of me/);
    expect(sent[0]!.parentId).to.equal('card-root');
  });

  it('ignores a routing key forged in the inputs: the card the bot sent decides, and the key never reaches the handler', async () => {
    await dispatcher.handleSubmission(submission({ input_text: 'hi', [CARD_ID_INPUT]: 'form' }), scope().scope);
    expect(calls.map((c) => c.name)).to.deep.equal(['unowned']);
    expect((calls[0]!.context as SubmitContext).inputs).to.deep.equal({
      answer: undefined,
      input_text: 'hi',
      x: undefined,
    });
  });

  it('strips template tags from ready-made card JSON, so a pasted card cannot pass for a template', async () => {
    const { scope: s, sent } = scope();
    const reply = await dispatcher.handleMessage(message('paste'), s);
    expect(reply.kind).to.equal('handled');
    expect(JSON.stringify(sent[0]!.attachments![0]!.content)).not.to.include(CARD_ID_INPUT);
  });

  it('says so when no skill takes a card', async () => {
    const only = createDispatcher({ skills: [skills[0]!], cards, bot: () => bot });
    const { scope: s, sent } = scope();
    expect(await only.handleSubmission(submission({ x: '1' }), s)).to.deep.equal({ kind: 'unowned-card' });
    expect(sent[0]!.markdown).to.match(/nothing here handles that card/);
  });
});
