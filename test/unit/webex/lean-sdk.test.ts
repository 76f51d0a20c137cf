/**
 * The lean SDK: what the framework gets for `require('webex')` has every plugin the bot calls and
 * leaves out the heavy ones it never calls (meetings, calendar, presence; the conversation plugin
 * and, with it, encryption). Checked in a fresh process, whose module cache nothing else filled.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const run = promisify(execFile);
const probe = path.join(path.dirname(fileURLToPath(import.meta.url)), 'support', 'lean-sdk-probe.ts');

describe('the lean SDK (what the framework gets as `webex`)', function () {
  this.timeout(60_000);
  let found: { packagesLoaded: string[]; plugins: string[]; internal: string[] };
  before(async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', probe], { maxBuffer: 4 * 1024 * 1024 });
    found = JSON.parse(stdout.trim().split('\n').at(-1)!) as typeof found;
  });

  it('has every plugin the framework and the bot call', () => {
    expect(found.plugins).to.have.members([
      'messages',
      'rooms',
      'memberships',
      'people',
      'webhooks',
      'attachmentActions',
      'teams',
      'teamMemberships',
    ]);
    // Websocket mode's event socket, and what it needs to register a device.
    expect(found.internal).to.include.members(['mercury', 'device', 'services']);
  });

  it('leaves out meetings, calendar, presence, the conversation plugin and encryption (with its KMS and JOSE code)', () => {
    for (const absent of [
      '@webex/plugin-meetings',
      '@webex/internal-plugin-calendar',
      '@webex/internal-plugin-presence',
      '@webex/internal-plugin-encryption',
      'node-jose',
      '@babel/polyfill',
    ]) {
      expect(found.packagesLoaded, absent).to.not.include(absent);
    }
    expect(found.internal).to.not.include.members(['conversation', 'encryption']);
    // Sanity: the probe does see what it loads.
    expect(found.packagesLoaded).to.include.members([
      'webex-node-bot-framework',
      '@webex/webex-core',
      '@webex/plugin-messages',
    ]);
  });
});
