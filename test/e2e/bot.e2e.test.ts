/**
 * The whole bot over real HTTP: the emulator started standalone, the bot started as a user
 * starts it (environment contract of `npm start`) with WEBEX_API_URL pointing at the emulator,
 * and a conversation through the emulator's control API. Webhooks are really registered,
 * really signed and really delivered; the bot really uses webex-node-bot-framework and the SDK.
 */
import { expect } from 'chai';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Message, Person, RoomState } from '../../src/emulator/index.js';
import { signBody } from '../../src/protocol/signature.js';
import { ControlClient } from './support/control-client.js';
import {
  freePort,
  projectRoot,
  startNodeScript,
  startStandaloneEmulator,
  type RunningProcess,
} from './support/processes.js';

const SECRET = 'e2e-webhook-secret-0123456789';
const seedCard = JSON.parse(readFileSync(path.join(projectRoot, 'test/fixtures/seed-card.json'), 'utf8')) as Record<
  string,
  unknown
>;

/** The shipped skills plus one whose handler throws, in a skills folder of their own. */
function skillsDirWithBoom(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'e2e-skills-'));
  // Every shipped skill (each card needs its owner), plus boom.
  for (const file of readdirSync(path.join(projectRoot, 'skills')).filter((f) => /^[^_.].*\.ts$/.test(f))) {
    writeFileSync(
      path.join(dir, file),
      `export { default } from ${JSON.stringify(path.join(projectRoot, 'skills', file))};\n`,
    );
  }
  writeFileSync(
    path.join(dir, 'boom.ts'),
    `
import { command, defineSkill } from ${JSON.stringify(path.join(projectRoot, 'src/skill-kit/index.ts'))};
export default defineSkill({
  name: 'boom',
  description: 'A skill whose handler throws',
  commands: [command({ pattern: 'boom', help: 'Throws', handle: async () => { throw new Error('boom handler exploded'); } })],
});
`,
  );
  return dir;
}

describe('the bot end to end (emulator standalone, bot as a process)', function () {
  this.timeout(60_000);

  let emulator: Awaited<ReturnType<typeof startStandaloneEmulator>>;
  let bot: RunningProcess;
  let botPort: number;
  let control: ControlClient;
  let botPerson: Person;
  let alice: Person;
  let bob: Person;
  let direct: RoomState;
  let group: RoomState;
  const skillsDir = skillsDirWithBoom();

  const webhookUrl = () => `http://127.0.0.1:${botPort}/webhook`;

  async function startBotProcess(): Promise<RunningProcess> {
    const p = startNodeScript('bot', 'src/main.ts', {
      WEBEX_BOT_TOKEN: emulator.token,
      WEBEX_API_URL: emulator.apiUrl,
      WEBHOOK_URL: webhookUrl(),
      WEBHOOK_SECRET: SECRET,
      PORT: String(botPort),
      SKILLS_DIR: skillsDir,
      LOG_LEVEL: 'info',
    });
    await p.waitFor(/bot ready/);
    return p;
  }

  async function botWebhooks(): Promise<Array<Record<string, string>>> {
    const res = await fetch(`${emulator.apiUrl}/webhooks`, { headers: { authorization: `Bearer ${emulator.token}` } });
    expect(res.status).to.equal(200);
    return ((await res.json()) as { items: Array<Record<string, string>> }).items;
  }

  before(async () => {
    emulator = await startStandaloneEmulator();
    control = new ControlClient(emulator.baseUrl);
    const state = await control.state();
    botPerson = state.bot;
    alice = state.people.find((p) => p.emails[0] === 'alice@example.com')!;
    bob = state.people.find((p) => p.emails[0] === 'bob@example.com')!;
    direct = state.rooms.find((r) => r.type === 'direct')!;
    group = state.rooms.find((r) => r.type === 'group')!;
    botPort = await freePort();
    bot = await startBotProcess();
  });

  after(async () => {
    await bot?.stop();
    await emulator?.process.stop();
  });

  describe('registration', () => {
    it('registers one messages (firehose) and one attachmentActions webhook, signed, on WEBHOOK_URL', async () => {
      const hooks = (await botWebhooks()).filter((h) => h['targetUrl'] === webhookUrl());
      expect(hooks.map((h) => `${h['resource']}/${h['event']}`).sort()).to.deep.equal([
        'all/all',
        'attachmentActions/created',
      ]);
      for (const h of hooks) {
        expect(h['status']).to.equal('active');
        expect(h['secret']).to.equal(SECRET);
      }
    });

    it('reports ready on /healthz', async () => {
      const res = await fetch(`http://127.0.0.1:${botPort}/healthz`);
      expect(res.status).to.equal(200);
    });

    it('keeps its webhooks when stopped, and does not duplicate them when restarted', async () => {
      const before = (await botWebhooks()).map((h) => h['id']).sort();
      expect(await bot.stop()).to.equal(0);
      expect((await botWebhooks()).map((h) => h['id']).sort()).to.deep.equal(before);
      bot = await startBotProcess();
      expect((await botWebhooks()).map((h) => h['id']).sort()).to.deep.equal(before);
    });

    it('leaves webhooks for other URLs alone', async () => {
      const other = await fetch(`${emulator.apiUrl}/webhooks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${emulator.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'staging',
          targetUrl: 'http://127.0.0.1:9/staging',
          resource: 'messages',
          event: 'created',
        }),
      });
      const otherId = ((await other.json()) as { id: string }).id;
      await bot.stop();
      bot = await startBotProcess();
      expect((await botWebhooks()).map((h) => h['id'])).to.include(otherId);
      await fetch(`${emulator.apiUrl}/webhooks/${otherId}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${emulator.token}` },
      });
    });
  });

  describe('conversation', () => {
    it('answers help with every skill and its commands', async () => {
      const reply = await control.ask(direct.id, alice.id, botPerson.id, 'help');
      expect(reply.markdown)
        .to.include('**echo**')
        .and.include('**feedback**')
        .and.include('**boom**')
        .and.include('`echo <text...>`');
    });

    it('echoes the webhook JSON and the decoded space, sender and text in a direct space', async () => {
      const reply = await control.ask(direct.id, alice.id, botPerson.id, 'echo hello world');
      const md = reply.markdown!;
      expect(md).to.include('**Webhook received** (messages / created)');
      const json = JSON.parse(/```json\n([\s\S]*?)\n```/.exec(md)![1]!) as {
        resource: string;
        data: Record<string, unknown>;
      };
      expect(json.resource).to.equal('messages');
      expect(json.data['roomId']).to.equal(direct.id);
      expect(json.data['personId']).to.equal(alice.id);
      expect(json.data).to.not.have.property('text');
      expect(md).to.include(`- Space: ${direct.title} (direct)`);
      expect(md).to.include('- Sender: Alice Example (alice@example.com)');
      expect(md).to.include('- Message: echo hello world');
    });

    it('hears group-space messages only when mentioned, and strips the mention', async () => {
      const before = await control.transcript(group.id);
      const unheard = await control.say(group.id, bob.id, 'echo nobody asked me');
      await control.say(group.id, bob.id, 'echo with mention', { mention: true });
      const reply = await control.waitForMessage(group.id, botPerson.id, before);
      expect(reply.markdown)
        .to.include('- Message: echo with mention')
        .and.include(`- Space: ${group.title} (group)`)
        .and.include('Bob Example');
      const after = await control.transcript(group.id);
      expect(after.filter((m) => m.personId === botPerson.id && !before.some((b) => b.id === m.id))).to.have.length(1);
      const deliveries = (await (await fetch(`${emulator.baseUrl}/_emulator/deliveries`)).json()) as {
        items: Array<{ dataId?: string; data?: { id: string } }>;
      };
      expect(JSON.stringify(deliveries)).to.not.include(unheard.id);
    });

    it("sends the seed lab's card back as a card, and echoes its submission in the card's thread", async () => {
      const reply = await control.ask(direct.id, alice.id, botPerson.id, JSON.stringify(seedCard, null, 2));
      expect(reply.attachments).to.have.length(1);
      expect(reply.attachments![0]!.contentType).to.equal('application/vnd.microsoft.card.adaptive');
      expect(reply.attachments![0]!.content).to.deep.equal(seedCard);

      const before = await control.transcript(direct.id);
      const action = await control.submit(alice.id, reply.id, {
        input_text: 'typed into the card',
        input_toggle: 'true',
      });
      const echoed = await control.waitForMessage(direct.id, botPerson.id, before);
      expect(echoed.parentId).to.equal(reply.id);
      expect(echoed.markdown).to.include('**Card submitted** (attachmentActions / created)');
      expect(echoed.markdown).to.include(action.id);
      expect(echoed.markdown).to.include('- input\\_text: typed into the card').and.include('- input\\_toggle: true');
    });

    it('routes a template card submission to the skill that owns it', async () => {
      const card = await control.ask(direct.id, alice.id, botPerson.id, 'feedback the e2e tests');
      expect(JSON.stringify(card.attachments![0]!.content))
        .to.include('How is it going, Alice Example?')
        .and.include('the e2e tests');
      const before = await control.transcript(direct.id);
      await control.submit(alice.id, card.id, { rating: 'great', comment: 'works', _card: 'feedback' });
      const thanks = await control.waitForMessage(direct.id, botPerson.id, before);
      expect(thanks.markdown).to.equal('Thanks Alice Example, you rated it 😀 great.\n\n> works');
      expect(thanks.parentId).to.equal(card.id);
    });

    it('tells the user about a card it cannot send', async () => {
      const reply = await control.ask(
        direct.id,
        alice.id,
        botPerson.id,
        '{"type": "AdaptiveCard", "version": "1.6", "body": []}',
      );
      expect(reply.markdown).to.include("I can't send that card back").and.include('newer than Webex renders');
    });

    it('points an unknown command to help', async () => {
      const reply = await control.ask(direct.id, alice.id, botPerson.id, 'make me a sandwich');
      expect(reply.markdown).to.equal('Sorry, I don\'t know "make me a sandwich". Type `help` to see what I can do.');
    });

    it('apologises with a correlation id when a handler throws, logs it, and keeps running', async () => {
      const reply = await control.ask(direct.id, alice.id, botPerson.id, 'boom');
      const id = /`([0-9a-f]{12})`/.exec(reply.markdown!)![1]!;
      expect(reply.markdown).to.match(/^Sorry, something went wrong/);
      // The apology can reach the emulator before the bot's log line has crossed the pipe: wait for the line.
      await bot.waitFor(new RegExp(`^(?=.*skill handler failed)(?=.*${id}).*$`, 'm'));
      await bot.waitFor(/boom handler exploded/);
      const next = await control.ask(direct.id, alice.id, botPerson.id, 'echo still alive');
      expect(next.markdown).to.include('- Message: echo still alive');
    });

    it('answers messages of one space in order', async () => {
      const before = await control.transcript(direct.id);
      for (const n of [1, 2, 3, 4]) await control.say(direct.id, alice.id, `echo number ${n}`);
      await control.waitForMessage(direct.id, botPerson.id, before, (m) => (m.markdown ?? '').includes('number 4'));
      const replies = (await control.transcript(direct.id)).filter(
        (m: Message) => m.personId === botPerson.id && !before.some((b) => b.id === m.id),
      );
      expect(replies.map((m) => /number (\d)/.exec(m.markdown!)![1])).to.deep.equal(['1', '2', '3', '4']);
    });
  });

  describe('bad webhooks', () => {
    const event = () => ({
      id: 'x',
      name: 'x',
      resource: 'messages',
      event: 'created',
      data: {
        id: 'Y2lzY29zcGFyazovL3VzL01FU1NBR0UvMDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAw',
        roomId: direct.id,
      },
    });
    const post = (body: string, headers: Record<string, string>) =>
      fetch(webhookUrl(), { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

    it('refuses unsigned, wrongly signed, non-JSON and oversized posts, fetching nothing', async () => {
      const callsBefore = await control.calls();
      const raw = JSON.stringify(event());
      expect((await post(raw, {})).status).to.equal(401);
      expect((await post(raw, { 'x-spark-signature': signBody('not-the-secret-0123456789', raw) })).status).to.equal(
        401,
      );
      expect(
        (await post(raw.replace('created', 'deleted'), { 'x-spark-signature': signBody(SECRET, raw) })).status,
      ).to.equal(401);
      expect((await post('{oops', { 'x-spark-signature': signBody(SECRET, '{oops') })).status).to.equal(400);
      const big = JSON.stringify({ ...event(), pad: 'x'.repeat(100_000) });
      expect((await post(big, { 'x-spark-signature': signBody(SECRET, big) })).status).to.equal(413);
      const callsAfter = await control.calls();
      expect(callsAfter['GET /v1/messages/{id}'] ?? 0).to.equal(callsBefore['GET /v1/messages/{id}'] ?? 0);
      await bot.waitFor(/webhook refused: bad signature/); // the 401s came back before the log line crossed the pipe
    });
  });
});
