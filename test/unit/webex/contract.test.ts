/**
 * The seam's contract (src/webex/contract.ts), checked against the libraries as installed: one
 * probe per patch point, each failing with a message that names the patch point when the library
 * under it changed shape — so an upgrade says what to redo instead of breaking quietly. Plus: no
 * file outside src/webex/ imports either library.
 */
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LIBRARY_VERSIONS, PATCH_POINTS } from '../../../src/webex/contract.js';
import { createWebexClient, loadSdkPackage, loadWebexModule, withSdkConfig } from '../../../src/webex/sdk.js';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const frameworkEntry = require.resolve('webex-node-bot-framework');
const webexMain = require.resolve('webex', { paths: [frameworkEntry] });
const frameworkSource = (file: string): string =>
  readFileSync(path.join(path.dirname(frameworkEntry), 'lib', file), 'utf8');
/** An address nothing listens on: SDK instances made here never reach anything. */
const NOWHERE = 'http://127.0.0.1:9/v1';

type Probe = () => void | Promise<void>;
/** Asserts `ok`, naming the patch point and what changed. */
const holds = (id: string, ok: unknown, what: string): void => {
  if (!ok)
    expect.fail(`patch point "${id}" no longer holds: ${what}. Redo it (src/webex/contract.ts says where and why).`);
};
// biome-ignore lint/suspicious/noExplicitAny: the probes read an untyped library's internals, whatever their shape
const sdk = () => createWebexClient({ token: 'contract-probe', apiUrl: NOWHERE }) as unknown as Record<string, any>;

const PROBES: Record<string, Probe> = {
  'sdk-module-cache': () => {
    const id = 'sdk-module-cache';
    const core = require(require.resolve('@webex/webex-core', { paths: [webexMain] })) as {
      default?: { extend?: unknown };
    };
    holds(id, typeof core.default?.extend === 'function', '@webex/webex-core no longer exports a class with extend()');
    holds(id, typeof require(path.join(path.dirname(webexMain), 'config')) === 'object', "webex's dist/config is gone");
    for (const plugin of ['@webex/plugin-messages', '@webex/internal-plugin-device', '@webex/plugin-webhooks']) {
      holds(id, require.resolve(plugin, { paths: [webexMain] }), `${plugin} no longer resolves from webex`);
    }
    holds(id, typeof loadWebexModule().init === 'function', 'the module the framework gets has no init()');
  },
  'sdk-init-hook': async () => {
    const Framework = require('webex-node-bot-framework') as new (o: object) => { start(): Promise<unknown> };
    let instance: unknown;
    let started: Promise<unknown> | undefined;
    withSdkConfig(
      { apiUrl: NOWHERE },
      (made) => {
        instance = made;
      },
      () => {
        started = new Framework({ token: 'contract-probe' }).start();
        return started;
      },
    );
    await started?.catch(() => undefined);
    holds(
      'sdk-init-hook',
      instance,
      'framework.start() no longer creates its SDK instance with Webex.init, synchronously',
    );
  },
  'sdk-request': async () => {
    const instance = sdk();
    const seen: Array<Record<string, unknown>> = [];
    holds(
      'sdk-request',
      Object.getOwnPropertyDescriptor(instance, 'request')?.configurable !== false,
      'request cannot be shadowed on the instance',
    );
    Object.defineProperty(instance, 'request', {
      value: async (o: Record<string, unknown>) => {
        seen.push(o);
        return { statusCode: 200, headers: {}, body: { id: 'm' } };
      },
      configurable: true,
    });
    await instance['messages'].get('abc');
    holds(
      'sdk-request',
      seen[0]?.['service'] === 'hydra' && seen[0]?.['resource'] === 'messages/abc',
      'the messages plugin no longer sends through sdk.request (service hydra)',
    );
  },
  'people-get': () => {
    holds('people-get', typeof sdk()['people'].get === 'function', 'the people plugin has no get()');
    holds(
      'people-get',
      /webex\.people\.get\(triggerObject\.personId\)/.test(frameworkSource('framework.js')),
      'the framework no longer looks senders up with webex.people.get(personId)',
    );
  },
  'webhooks-as-ensure': () => {
    const hooks = sdk()['webhooks'];
    for (const m of ['list', 'create', 'update', 'remove'])
      holds('webhooks-as-ensure', typeof hooks[m] === 'function', `webhooks.${m} is gone`);
    const source = frameworkSource('framework.js');
    for (const call of ['webhooks.list(', 'webhooks.create(', 'webhooks.remove(']) {
      holds(
        'webhooks-as-ensure',
        source.includes(call),
        `the framework no longer calls ${call}…) to register its webhooks`,
      );
    }
  },
  'socket-listeners-off': () => {
    const instance = sdk();
    for (const p of ['messages', 'memberships', 'rooms', 'attachmentActions']) {
      holds('socket-listeners-off', typeof instance[p].listen === 'function', `${p}.listen is gone`);
    }
    holds(
      'socket-listeners-off',
      /\.listen\(\)/.test(frameworkSource('websocket.js')),
      "the framework's websocket mode no longer calls listen()",
    );
  },
  'client-metrics-off': () => {
    holds(
      'client-metrics-off',
      typeof sdk()['internal'].metrics?.submitClientMetrics === 'function',
      'internal.metrics.submitClientMetrics is gone',
    );
  },
  'mercury-acknowledge': () => {
    const { Socket } = loadSdkPackage<{ Socket?: { prototype?: Record<string, unknown> } }>(
      '@webex/internal-plugin-mercury',
    );
    holds(
      'mercury-acknowledge',
      typeof Socket?.prototype?.['_acknowledge'] === 'function',
      'Socket.prototype._acknowledge is gone',
    );
  },
  'mercury-internals': () => {
    const { mercury, device, services } = sdk()['internal'];
    for (const m of ['connect', 'disconnect', 'on', '_attemptConnection'])
      holds('mercury-internals', typeof mercury?.[m] === 'function', `internal.mercury.${m} is gone`);
    holds('mercury-internals', typeof device?.refresh === 'function', 'internal.device.refresh is gone');
    holds('mercury-internals', typeof services?.getClusterId === 'function', 'internal.services.getClusterId is gone');
  },
  'framework-bots': () => {
    const Framework = require('webex-node-bot-framework') as new (o: object) => { bots?: unknown };
    holds(
      'framework-bots',
      Array.isArray(new Framework({ token: 'contract-probe' }).bots),
      'framework.bots is not an array',
    );
    holds(
      'framework-bots',
      /this\.bots/.test(frameworkSource('framework.js')),
      'the framework no longer keeps its bot objects in this.bots',
    );
  },
  'framework-on-events': () => {
    const proto = (require('webex-node-bot-framework') as { prototype: Record<string, unknown> }).prototype;
    for (const m of ['onMessageCreated', 'onAttachmentActions'])
      holds('framework-on-events', typeof proto[m] === 'function', `Framework.prototype.${m} is gone`);
    const source = frameworkSource('framework.js');
    holds(
      'framework-on-events',
      source.includes('trigger.message = message;'),
      'a trigger no longer carries the message object handed over',
    );
    holds(
      'framework-on-events',
      source.includes('trigger.attachmentAction = triggerObject;'),
      'a trigger no longer carries the action object handed over',
    );
  },
  'mercury-agent': () => {
    const id = 'mercury-agent';
    const mercury = readFileSync(
      require.resolve('@webex/internal-plugin-mercury/dist/mercury.js', { paths: [webexMain] }),
      'utf8',
    );
    holds(
      id,
      /webex\.config\.defaultMercuryOptions\)/.test(mercury),
      'Mercury no longer reads config.defaultMercuryOptions',
    );
    holds(
      id,
      /_objectSpread\(\{\}, options\), _this\d*\.webex\.config\.defaultMercuryOptions\)/.test(mercury),
      'Mercury no longer spreads defaultMercuryOptions into the socket options',
    );
    const socketBase = readFileSync(
      require.resolve('@webex/internal-plugin-mercury/dist/socket/socket-base.js', { paths: [webexMain] }),
      'utf8',
    );
    holds(id, socketBase.includes('new WebSocket(url, [], options)'), 'the socket is no longer made with the options');
  },
  'sdk-upload-formdata': async () => {
    const id = 'sdk-upload-formdata';
    const made = sdk();
    let seen: Record<string, unknown> | undefined;
    Object.defineProperty(made, 'request', {
      value: async (options: Record<string, unknown>) => {
        seen = options;
        return { body: { id: 'M' } };
      },
      configurable: true,
    });
    await made['messages'].create({ roomId: 'R', files: [{ value: Buffer.from('x'), options: { filename: 'x' } }] });
    holds(
      id,
      seen?.['formData'] !== undefined && seen['body'] === undefined,
      'a file object no longer makes a formData post',
    );
    const request = readFileSync(require.resolve('request/request.js', { paths: [webexMain] }), 'utf8');
    holds(
      id,
      request.includes("value.hasOwnProperty('value') && value.hasOwnProperty('options')"),
      "request's formData no longer takes { value, options } parts",
    );
  },
  'framework-lifecycle-events': () => {
    const id = 'framework-lifecycle-events';
    const source = frameworkSource('framework.js');
    for (const event of ["emitBoth('files'", "emitBoth('memberEnters'", "emitBoth('memberExits'"])
      holds(id, source.includes(event), `the framework no longer emits ${event.slice(10)}`);
    holds(id, source.includes("this.myEmitWithActor('spawn', newBot, actorId)"), 'spawn no longer carries addedBy');
    holds(
      id,
      source.includes('this.emit(event, bot, this.id, actorId)'),
      'an event with an actor is no longer emitted as (bot, id, actorId)',
    );
    holds(id, source.includes("this.myEmit('despawn', bot)"), 'the framework no longer emits despawn');
  },
  'framework-process-event': () => {
    const processEvent = require('webex-node-bot-framework/lib/process-event') as unknown;
    holds(
      'framework-process-event',
      typeof processEvent === 'function',
      'lib/process-event no longer exports a function',
    );
  },
};

describe('the seam: contract with the framework and the SDK (src/webex/contract.ts)', function () {
  this.timeout(20_000);

  it('names the installed library versions (an upgrade: recheck every patch point, then update LIBRARY_VERSIONS)', () => {
    for (const [name, version] of Object.entries(LIBRARY_VERSIONS)) {
      const installed = (require(path.join(root, 'node_modules', name, 'package.json')) as { version: string }).version;
      const points = PATCH_POINTS.filter((p) => p.library === name).map((p) => p.id);
      expect(
        installed,
        `${name} is ${installed}; the contract was written against ${version}: recheck ${points.join(', ')}`,
      ).to.equal(version);
    }
  });

  it('has a probe for every patch point, and no probe without one', () => {
    expect(Object.keys(PROBES).sort()).to.deep.equal(PATCH_POINTS.map((p) => p.id).sort());
  });

  for (const point of PATCH_POINTS) {
    it(`patch point ${point.id} (${point.library} ${LIBRARY_VERSIONS[point.library]}): ${point.touches}`, async () => {
      await PROBES[point.id]!();
    });
  }

  it('no file outside src/webex/ imports webex, webex-node-bot-framework or @webex/*', () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (/\.(ts|js)$/.test(entry.name) && !file.startsWith(path.join(root, 'src', 'webex') + path.sep)) {
          const text = readFileSync(file, 'utf8');
          if (
            /(from|import|require)\s*\(?\s*['"](webex|webex-node-bot-framework|@webex\/[^'"]+)(\/[^'"]*)?['"]/.test(
              text,
            )
          )
            offenders.push(path.relative(root, file));
        }
      }
    };
    walk(path.join(root, 'src'));
    walk(path.join(root, 'skills'));
    expect(offenders, 'these import a library past the seam').to.deep.equal([]);
  });
});
