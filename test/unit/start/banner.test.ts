import { expect } from 'chai';
import type { EmulatorSeed } from '../../../src/emulator/index.js';
import { formatEmulatorBanner, playgroundUrl } from '../../../src/start/banner.js';

describe('start-up banner (emulator mode)', () => {
  const seed = {
    alice: { id: 'ALICE', displayName: 'Alice Example', emails: ['alice@example.com'] },
    directRoom: { id: 'ROOM' },
  } as unknown as EmulatorSeed;
  const input = {
    emulator: { url: 'http://127.0.0.1:4000', apiUrl: 'http://127.0.0.1:4000/v1', seed },
    bot: { bot: { displayName: 'Skill Bot' }, webhookUrl: 'http://127.0.0.1:3000/webhook', skills: ['help', 'echo'] },
  };

  it('puts the chat playground first, on localhost and the emulator port', () => {
    const lines = formatEmulatorBanner(input);
    const first = lines.findIndex((l) => l.trim() !== '' && !l.includes('is running'));
    expect(lines[first]).to.equal('  ▶ Open the chat playground:  http://localhost:4000/');
    expect(lines.join('\n'))
      .to.include('Emulator:      http://127.0.0.1:4000')
      .and.include('Skills:        help, echo');
  });

  it('keeps a one-command control API example (as Alice, in the direct space)', () => {
    expect(formatEmulatorBanner(input).join('\n')).to.include(
      `    curl -s -X POST http://127.0.0.1:4000/_emulator/rooms/ROOM/messages \\\n      -H 'content-type: application/json' -d '{"personId":"ALICE","text":"help"}'`,
    );
    expect(
      formatEmulatorBanner({ ...input, emulator: { ...input.emulator, seed: undefined } }).join('\n'),
    ).to.not.include('curl');
  });

  it('with POST /notify on, prints a ready curl line that posts to Alice through the bot', () => {
    const notify = { url: 'http://127.0.0.1:3000/notify', token: 'made-up-token' };
    expect(formatEmulatorBanner({ ...input, notify }).join('\n')).to.include(
      `    curl -s -X POST http://127.0.0.1:3000/notify -H 'Authorization: Bearer made-up-token' \\\n      -H 'content-type: application/json' -d '{"toPersonEmail":"alice@example.com","markdown":"Build **green**"}'`,
    );
    expect(formatEmulatorBanner(input).join('\n')).to.not.include('/notify');
  });

  it('makes the playground line bold only when asked (a terminal)', () => {
    expect(formatEmulatorBanner({ ...input, bold: true }).join('\n')).to.include(
      '\u001b[1mOpen the chat playground:  http://localhost:4000/\u001b[22m',
    );
    expect(formatEmulatorBanner(input).join('\n')).to.not.include('\u001b[');
  });

  it('says how events reach the bot: webhooks by default, or the event socket', () => {
    expect(formatEmulatorBanner(input).join('\n')).to.include(
      'Events:        webhooks to http://127.0.0.1:3000/webhook   (WEBEX_TRANSPORT=websocket npm start: over the event socket)',
    );
    const socket = formatEmulatorBanner({
      ...input,
      bot: { ...input.bot, transport: 'websocket' as const, webhookUrl: undefined },
    }).join('\n');
    expect(socket)
      .to.include("Events:        over the emulator's event socket (websocket mode: no webhooks, no public URL)")
      .and.not.include('webhooks to');
  });

  it('derives the playground URL from the emulator URL', () => {
    expect(playgroundUrl('http://127.0.0.1:41234')).to.equal('http://localhost:41234/');
  });
});
