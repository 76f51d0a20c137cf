/**
 * One instance, nothing lost, nothing doubled (the embedded default: no Redis). The bot as a
 * process against a standalone emulator, its events in the journal in STATE_DIR:
 * - an event answered before a restart and delivered again after it is not answered again;
 * - events acknowledged with 200 and then SIGKILLed before they were handled are handled after
 *   the restart, each once.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Message } from '../../../src/emulator/index.js';
import { waitUntil } from '../../scale/support/wait.js';
import { ControlClient } from '../support/control-client.js';
import { freePort, startNodeScript, startStandaloneEmulator } from '../support/processes.js';

const SECRET = 'journal-webhook-secret-0123456789';

describe('one instance on the event journal: restarts and kills', function () {
  this.timeout(120_000);
  let emulator: Awaited<ReturnType<typeof startStandaloneEmulator>>;
  let control: ControlClient;
  let stateDir: string;
  let port: number;
  let direct: { id: string };
  let alice: string;
  let botId: string;

  before(async () => {
    emulator = await startStandaloneEmulator();
    control = new ControlClient(emulator.baseUrl);
    const state = await control.state();
    botId = state.bot.id;
    const room = state.rooms.find((r) => r.type === 'direct')!;
    direct = room;
    alice = room.memberIds.find((id) => id !== botId)!;
  });
  after(() => emulator.process.stop());
  beforeEach(async () => {
    stateDir = mkdtempSync(path.join(tmpdir(), 'journal-e2e-'));
    port = await freePort();
  });
  afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

  const startBotProcess = () =>
    startNodeScript('bot', 'src/main.ts', {
      WEBEX_BOT_TOKEN: emulator.token,
      WEBEX_API_URL: emulator.apiUrl,
      WEBHOOK_URL: `http://127.0.0.1:${port}/webhook`,
      WEBHOOK_SECRET: SECRET,
      PORT: String(port),
      STATE_DIR: stateDir,
      LOG_LEVEL: 'info',
    });
  const answersTo = async (sent: Message): Promise<Message[]> =>
    (await control.transcript(direct.id)).filter(
      (m) => m.personId === botId && (m.markdown ?? '').split('\n').includes(`- Message: ${sent.text}`),
    );

  it('an event answered before a restart and delivered again after it is not answered again', async () => {
    const first = startBotProcess();
    await first.waitFor(/bot ready/);
    const sent = await control.say(direct.id, alice, 'echo once, before the restart');
    await waitUntil('it is answered', async () => (await answersTo(sent)).length === 1);
    expect(await first.stop()).to.equal(0);

    const second = startBotProcess();
    await second.waitFor(/bot ready/);
    const delivery = (await control.deliveries()).find(
      (d) => d.dataId === sent.id && d.resource === 'messages' && d.targetUrl.endsWith(`:${port}/webhook`),
    )!;
    const [again] = await control.redeliver(delivery.id);
    await waitUntil('the redelivery is acknowledged', async () =>
      (await control.deliveries()).some((d) => d.id === again!.id && d.attempts.some((a) => a.status === 200)),
    );
    // Events of a space are handled in order: once a later message is answered, a redelivery taken
    // as new would have been answered before it.
    const later = await control.say(direct.id, alice, 'echo after the redelivery');
    await waitUntil('the later message is answered', async () => (await answersTo(later)).length === 1);
    expect(await second.stop()).to.equal(0);
    expect(await answersTo(sent)).to.have.length(1);
  });

  it('twelve events acknowledged with 200 and then SIGKILLed before they were handled are each handled once after the restart', async () => {
    const first = startBotProcess();
    await first.waitFor(/bot ready/);
    // Fetching a message hangs: the events are taken (200) but none can be handled.
    await control.fault({ method: 'GET', path: '/v1/messages/{id}', hang: true, count: 1000 });
    const sent: Message[] = [];
    for (let i = 0; i < 12; i++) sent.push(await control.say(direct.id, alice, `echo taken before the kill ${i}`));
    const ids = new Set(sent.map((m) => m.id));
    await waitUntil('all twelve were acknowledged with 200', async () => {
      const ok = (await control.deliveries()).filter(
        (d) =>
          ids.has(d.dataId) && d.targetUrl.endsWith(`:${port}/webhook`) && d.attempts.some((a) => a.status === 200),
      );
      return new Set(ok.map((d) => d.dataId)).size === 12;
    });
    first.kill('SIGKILL');
    await first.exitCode();
    await control.clearFaults();
    for (const m of sent) expect(await answersTo(m), m.text).to.have.length(0);

    const second = startBotProcess();
    await second.waitFor(/bot ready/);
    await waitUntil('every one is answered', async () => {
      for (const m of sent) if ((await answersTo(m)).length < 1) return false;
      return true;
    });
    await second.waitFor(/events taken before the last stop and not finished: handling them first.*events=12/);
    expect(await second.stop()).to.equal(0);
    for (const m of sent) expect(await answersTo(m), m.text).to.have.length(1);
  });
});
