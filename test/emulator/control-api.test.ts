/**
 * The HTTP control API under `/_emulator`, as a test in another process or the chat page uses it.
 */
import { expect } from 'chai';
import express from 'express';
import type {
  DeliveryRecord,
  Emulator,
  EmulatorEvent,
  FaultRule,
  Message,
  RoomState,
  SeedPerson,
  Webhook,
} from '../../src/emulator/index.js';
import { createHook, sdkFor, startTestEmulator } from './helpers.js';

describe('emulator control API', () => {
  let emulator: Emulator;
  /** `Json`: the shape the test expects of the answer (not checked). */
  const call = async <Json = unknown>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: Json }> => {
    const res = await fetch(`${emulator.url}/_emulator${path}`, {
      method,
      ...(body !== undefined
        ? {
            headers: { 'Content-Type': 'application/json' },
            body: typeof body === 'string' ? body : JSON.stringify(body),
          }
        : {}),
    });
    const text = await res.text();
    return { status: res.status, json: (text ? JSON.parse(text) : undefined) as Json };
  };

  beforeEach(async () => {
    emulator = await startTestEmulator();
  });
  afterEach(async () => {
    await emulator.stop();
  });

  it('shows the state: the bot, people without tokens, spaces with member ids', async () => {
    const { status, json } = await call<ReturnType<Emulator['state']>>('GET', '/state');
    expect(status).to.equal(200);
    expect(json.bot.id).to.equal(emulator.bot.id);
    expect(json.people.map((p: { displayName: string }) => p.displayName)).to.deep.equal([
      'Skill Bot',
      'Alice Example',
      'Bob Example',
    ]);
    expect(JSON.stringify(json)).to.not.contain(emulator.seed!.alice.token);
    expect(JSON.stringify(json)).to.not.contain(emulator.botToken);
    const group = json.rooms.find((r: { type: string }) => r.type === 'group');
    expect(group).to.include({ title: 'Team Space' });
    expect(group!.memberIds).to.deep.equal([emulator.seed!.alice.id, emulator.seed!.bob.id, emulator.bot.id]);
  });

  it('creates people (answering their token) and spaces', async () => {
    const carol = await call<SeedPerson>('POST', '/people', {
      displayName: 'Carol Example',
      email: 'carol@example.com',
    });
    expect(carol.status).to.equal(201);
    expect(carol.json.token).to.be.a('string');
    const room = await call<RoomState>('POST', '/rooms', {
      type: 'group',
      title: 'Ops',
      memberIds: [carol.json.id, emulator.bot.id],
    });
    expect(room.status).to.equal(201);
    expect(room.json).to.include({ title: 'Ops', type: 'group' });
    expect(room.json.memberIds).to.deep.equal([carol.json.id, emulator.bot.id]);
  });

  it('answers 400 with a reason to bad requests, and 404/409 where they apply', async () => {
    const cases: Array<[string, string, unknown, number, RegExp]> = [
      ['POST', '/people', { email: 'x@example.com' }, 400, /displayName is required/],
      ['POST', '/people', { displayName: 'X', email: 'x@example.com', type: 'robot' }, 400, /type must be/],
      ['POST', '/people', { displayName: 'Alice Again', email: 'alice@example.com' }, 409, /already exists/],
      ['POST', '/rooms', { type: 'team', memberIds: [] }, 400, /type must be/],
      ['POST', '/rooms', { type: 'group', memberIds: 'all' }, 400, /memberIds must be an array/],
      ['POST', '/rooms', { type: 'group', memberIds: ['nobody'] }, 404, /No person/],
      ['POST', `/rooms/${emulator.seed!.directRoom.id}/messages`, { text: 'who?' }, 400, /personId is required/],
      [
        'POST',
        `/rooms/${emulator.seed!.directRoom.id}/messages`,
        { personId: emulator.seed!.alice.id, text: 'x', mention: 'yes' },
        400,
        /mention must be a boolean/,
      ],
      [
        'POST',
        `/rooms/${emulator.seed!.directRoom.id}/messages`,
        { personId: emulator.seed!.alice.id },
        400,
        /needs text, markdown, a file or an attachment/,
      ],
      ['POST', '/attachment-actions', { personId: emulator.seed!.alice.id }, 400, /messageId is required/],
      ['POST', '/attachment-actions', { personId: emulator.seed!.alice.id, messageId: 'M' }, 400, /inputs is required/],
      [
        'POST',
        '/attachment-actions',
        { personId: emulator.seed!.alice.id, messageId: 'M', inputs: {}, type: 'click' },
        400,
        /type must be 'submit'/,
      ],
      ['POST', '/faults', { method: 'GET', path: '/v1/rooms' }, 400, /status, delayMs or hang/],
      ['POST', '/people', '{"displayName": ', 400, /not valid JSON/],
      ['GET', '/rooms/nowhere/messages', undefined, 404, /No space/],
      ['GET', '/nothing-here', undefined, 404, /No control endpoint/],
    ];
    for (const [method, path, body, status, error] of cases) {
      const res = await call<{ error: string }>(method, path, body);
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).to.equal(status);
      expect(res.json.error).to.match(error);
    }
  });

  it('posts as a person (with a mention), reads the transcript, and submits a card', async () => {
    const roomId = emulator.seed!.groupRoom.id;
    const said = await call<Message>('POST', `/rooms/${roomId}/messages`, {
      personId: emulator.seed!.alice.id,
      text: 'help',
      mention: true,
    });
    expect(said.status).to.equal(201);
    expect(said.json).to.include({ text: 'Skill Bot help', roomId, personId: emulator.seed!.alice.id });
    const webex = await sdkFor(emulator, emulator.botToken);
    const cardMessage = await webex.messages.create({
      roomId,
      parentId: said.json.id,
      markdown: 'form',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          content: { type: 'AdaptiveCard', version: '1.3', body: [] },
        },
      ],
    });
    const transcript = await call<{ items: Message[] }>('GET', `/rooms/${roomId}/messages`);
    expect(transcript.json.items.map((m: Message) => m.id)).to.deep.equal([said.json.id, cardMessage.id]);
    const action = await call('POST', '/attachment-actions', {
      personId: emulator.seed!.bob.id,
      messageId: cardMessage.id,
      inputs: { ok: 'true' },
    });
    expect(action.status).to.equal(201);
    expect(action.json).to.deep.include({
      messageId: cardMessage.id,
      personId: emulator.seed!.bob.id,
      inputs: { ok: 'true' },
    });
  });

  it('streams events as Server-Sent Events, with the kind as event name, optionally narrowed', async () => {
    const abort = new AbortController();
    const res = await fetch(`${emulator.url}/_emulator/events?kinds=message`, { signal: abort.signal });
    expect(res.headers.get('content-type')).to.match(/^text\/event-stream/);
    const reader = res.body!.getReader();
    const said = await emulator.say({
      personId: emulator.seed!.alice.id,
      roomId: emulator.seed!.directRoom.id,
      text: 'streamed',
    });
    let text = '';
    const complete = (): boolean =>
      text.includes('event: message') && text.indexOf('\n\n', text.indexOf('event: message')) > 0;
    while (!complete()) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString('utf8');
    }
    const block = text.slice(text.indexOf('event: message')).split('\n\n')[0]!;
    const data = JSON.parse(
      block
        .split('\n')
        .find((l) => l.startsWith('data: '))!
        .slice(6),
    ) as Extract<EmulatorEvent, { kind: 'message' }>;
    expect(data.kind).to.equal('message');
    expect(data.message.id).to.equal(said.id);
    expect(text).to.not.contain('event: api-call');
    abort.abort();
  });

  it('ends event streams when the emulator stops', async () => {
    const res = await fetch(`${emulator.url}/_emulator/events`);
    const reader = res.body!.getReader();
    await reader.read(); // the opening comment
    await emulator.stop();
    let done = false;
    while (!done) done = (await reader.read()).done;
    expect(done).to.equal(true);
  });

  it('manages faults, call counts, deliveries and webhooks (without secrets)', async () => {
    const added = await call<{ items: FaultRule[] }>('POST', '/faults', {
      method: 'GET',
      path: '/v1/people/me',
      status: 503,
      count: 2,
    });
    expect(added.status).to.equal(201);
    expect(added.json.items).to.deep.equal([
      { method: 'GET', path: '/v1/people/me', remaining: 2, phase: 'before', status: 503 },
    ]);
    const first = await fetch(`${emulator.apiUrl}/people/me`, {
      headers: { Authorization: `Bearer ${emulator.botToken}` },
    });
    expect(first.status).to.equal(503);
    expect((await call('DELETE', '/faults')).status).to.equal(204);
    expect((await call<{ items: FaultRule[] }>('GET', '/faults')).json.items).to.deep.equal([]);
    const second = await fetch(`${emulator.apiUrl}/people/me`, {
      headers: { Authorization: `Bearer ${emulator.botToken}` },
    });
    expect(second.status).to.equal(200);
    expect((await call('GET', '/calls')).json).to.deep.equal({ 'GET /v1/people/me': 2 });
    expect((await call('DELETE', '/calls')).status).to.equal(204);
    expect((await call('GET', '/calls')).json).to.deep.equal({});

    const webex = await sdkFor(emulator, emulator.botToken);
    const hook = await createHook(webex, 'http://127.0.0.1:9/none', { secret: 'hidden-secret' });
    const hooks = await call<{ items: Webhook[] }>('GET', '/webhooks');
    expect(hooks.json.items.map((w: { id: string }) => w.id)).to.deep.equal([hook.id]);
    expect(JSON.stringify(hooks.json)).to.not.contain('hidden-secret');
    const m = await emulator.say({
      personId: emulator.seed!.alice.id,
      roomId: emulator.seed!.directRoom.id,
      text: 'x',
    });
    const deliveries = await call<{ items: DeliveryRecord[] }>('GET', '/deliveries');
    expect(
      deliveries.json.items.map((d: { dataId: string; webhookId: string }) => [d.dataId, d.webhookId]),
    ).to.deep.equal([[m.id, hook.id]]);
  });

  it('leaves / free, and lets a page be mounted there through extendApp', async () => {
    expect((await fetch(`${emulator.url}/`)).status).to.equal(404);
    const withPage = await startTestEmulator({
      extendApp: (app) => {
        app.use('/', express.static('/nonexistent-dir'));
        app.get('/', (_req, res) => void res.type('html').send('<h1>playground</h1>'));
      },
    });
    try {
      const res = await fetch(`${withPage.url}/`);
      expect(await res.text()).to.equal('<h1>playground</h1>');
      expect((await fetch(`${withPage.url}/_emulator/state`)).status).to.equal(200);
    } finally {
      await withPage.stop();
    }
  });
});
