/**
 * Skills' state is shared: a form sent by one instance is submitted through another, and the
 * first then knows what the second stored. The project's own `provision` skill and cards run
 * unchanged; only `REDIS_URL` differs from a single instance.
 */
import { expect } from 'chai';
import path from 'node:path';
import type { Message } from '../../src/emulator/index.js';
import { buttonsShown, textShown } from '../../src/testing/card-reader.js';
import { projectRoot } from '../e2e/support/processes.js';
import type { BotInstance } from './support/bot-cluster.js';
import { answersIn, createDirectSpaces, type LoadSpace } from './support/load.js';
import { waitUntil } from './support/wait.js';
import { startScaleWorld, type ScaleWorld } from './support/world.js';

describe('several instances: a form started on one instance and submitted through another', function () {
  if (process.env['NEW_SKILL_TEST_NESTED']) return;
  this.timeout(90_000);
  let world: ScaleWorld;
  let space: LoadSpace;
  before(async () => {
    world = await startScaleWorld({
      instances: 2,
      skillsDir: path.join(projectRoot, 'skills'),
      env: { CARDS_DIR: path.join(projectRoot, 'cards') },
    });
    space = createDirectSpaces(world.emulator, 1, 'form')[0]!;
    await world.view.settled(world.emulator);
  });
  after(async () => {
    await world?.stop();
  });

  /**
   * The next new bot message in the space after `action` (sent through instance `via`); a message
   * that replaces another (a form replaced by its summary) counts as new.
   */
  async function answerTo(via: BotInstance, action: () => Promise<unknown>): Promise<Message> {
    const { emulator, cluster } = world;
    const seen = new Set(answersIn(emulator, space).map((m) => m.id));
    const fresh = () => answersIn(emulator, space).filter((m) => !seen.has(m.id));
    cluster.proxy.pin(cluster.bots.indexOf(via));
    try {
      await action();
      await waitUntil('the bot answered', () => fresh().length > 0);
      return fresh()[0]!;
    } finally {
      cluster.proxy.pin(undefined);
    }
  }
  const handled = (bot: BotInstance, resource: string): number =>
    bot
      .logLines()
      .filter((l) => l['message'] === 'event done' && l['resource'] === resource && l['outcome'] === 'handled').length;
  const handledSubmissions = (bot: BotInstance): number => handled(bot, 'attachmentActions');
  const submit = (card: Message) =>
    world.emulator.submitCard({
      personId: space.person.id,
      messageId: card.id,
      inputs: {
        ...buttonsShown(card)[0]!.data,
        fullName: 'Ada Lovelace',
        email: 'ada@example.com',
        department: 'engineering',
        startDate: '2099-03-01',
      },
    });

  it('the form comes from instance a, its submission is handled by b, and a then sees what b stored', async () => {
    const { emulator, cluster, view } = world;
    const [a, b] = cluster.bots as [BotInstance, BotInstance];
    const form = await answerTo(a, () =>
      emulator.say({ personId: space.person.id, roomId: space.room.id, text: 'provision' }),
    );
    expect(buttonsShown(form).length).to.be.greaterThan(0);
    // The space is a's until its event is done (the lease is released with nothing left): only
    // then does a submission taken by b stay with b, rather than a handling it as its next event.
    await waitUntil('a logged the form message as handled', () => handled(a, 'messages') === 1);

    const summary = await answerTo(b, () => submit(form));
    expect(textShown(summary)).to.include('Account requested').and.include('E-mail: ada@example.com');
    // The summary took the form's place: the form cannot be pressed again.
    await waitUntil('the form was deleted', () => !answersIn(emulator, space).some((m) => m.id === form.id));
    // The reply is out before the handler's "event done" line: wait for that line.
    await waitUntil('b logged the submission as handled', () => handledSubmissions(b) === 1);
    expect(handledSubmissions(a)).to.equal(0);
    const requestId = /Request (PRV-[0-9A-Z]{6})/.exec(textShown(summary))![1]!;

    // Through a: the request b stored is there.
    const list = await answerTo(a, () =>
      emulator.say({ personId: space.person.id, roomId: space.room.id, text: 'provision list' }),
    );
    expect(list.markdown).to.include('Account requests in this space:').and.include(requestId);
    // The state lives in Redis under the bot's namespace, not in either instance's STATE_DIR.
    expect((await view.client.keys(`${view.keys.ns}state:skill:provision:*`)).length).to.be.greaterThan(0);
  });
});
