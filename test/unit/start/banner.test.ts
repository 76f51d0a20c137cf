import { expect } from 'chai';
import { formatEmulatorBanner, playgroundUrl } from '../../../src/start/banner.js';

describe('start-up banner (emulator mode)', () => {
  const input = {
    emulator: { url: 'http://127.0.0.1:4000', apiUrl: 'http://127.0.0.1:4000/v1' },
    bot: { bot: { displayName: 'Skill Bot' }, webhookUrl: 'http://127.0.0.1:3000/webhook', skills: ['help', 'echo'] },
  };

  it('puts the chat playground first, on localhost and the emulator port', () => {
    const lines = formatEmulatorBanner(input);
    const first = lines.findIndex((l) => l.trim() !== '' && !l.includes('is running'));
    expect(lines[first]).to.equal('  ▶ Open the chat playground:  http://localhost:4000/');
    expect(lines.join('\n')).to.include('Control API:   http://127.0.0.1:4000/_emulator').and.include('Skills:        help, echo').and.not.include('curl');
  });

  it('makes the playground line bold only when asked (a terminal)', () => {
    expect(formatEmulatorBanner({ ...input, bold: true }).join('\n')).to.include('\u001b[1mOpen the chat playground:  http://localhost:4000/\u001b[22m');
    expect(formatEmulatorBanner(input).join('\n')).to.not.include('\u001b[');
  });

  it('derives the playground URL from the emulator URL', () => {
    expect(playgroundUrl('http://127.0.0.1:41234')).to.equal('http://localhost:41234/');
  });
});
