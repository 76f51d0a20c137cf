/**
 * Test helpers for the emulator: SDK clients, a real local webhook receiver, and waits on events.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import type { WebexSdk } from 'webex';
import { startEmulator, type Emulator, type EmulatorEvent, type EmulatorOptions } from '../../src/emulator/index.js';
import type { WebhookEnvelope } from '../../src/protocol/envelope.js';
import { createWebexClient } from '../../src/webex/sdk.js';

/**
 * Starts an emulator with quick delivery retries suited to tests. A delivery waits up to 10 s for
 * its answer, so that a receiver that answers at once is never taken for one that hangs on a busy
 * machine; tests of the delivery timeout set a short one of their own.
 */
export function startTestEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator({
    delivery: { timeoutMs: 10_000, retryDelaysMs: [20, 20], inactiveAfterFailures: 3 },
    ...options,
  });
}

/**
 * A real `webex` SDK instance for `token`, returned once its background service-catalog
 * requests are done (so that none is in flight when the test's emulator stops).
 */
export async function sdkFor(emulator: Emulator, token: string): Promise<WebexSdk> {
  const webex = createWebexClient({ token, apiUrl: emulator.apiUrl });
  const services = (webex as unknown as { internal: { services: { waitForCatalog(group: string): Promise<void> } } })
    .internal.services;
  await services.waitForCatalog('postauth');
  return webex;
}

/** The error the SDK rejects with. */
export interface SdkError {
  statusCode: number;
  headers: Record<string, string>;
  body: { message: string; errors: Array<{ description: string }>; trackingId: string };
}

/**
 * Awaits a call that must fail and checks Webex's error shape: status, `{message, errors, trackingId}`
 * and the `TrackingID` header. Returns the error for further checks.
 */
export async function expectApiError(call: Promise<unknown>, status: number, message?: RegExp): Promise<SdkError> {
  let error: SdkError | undefined;
  try {
    await call;
  } catch (err) {
    error = err as SdkError;
  }
  expect(error, `expected the call to fail with ${status}`).to.not.equal(undefined);
  const e = error!;
  expect(e.statusCode).to.equal(status);
  expect(e.body.message).to.be.a('string').and.not.equal('');
  expect(e.body.errors).to.deep.equal([{ description: e.body.message }]);
  expect(e.body.trackingId).to.be.a('string').and.not.equal('');
  expect(e.headers['trackingid']).to.equal(e.body.trackingId);
  if (message) expect(e.body.message).to.match(message);
  return e;
}

/** How long the waits here wait by default: generous, since a wait that holds returns as soon as it does. */
const WAIT_MS = 15_000;

/** Polls `condition` until it holds (rejects after `timeoutMs`). */
export async function until(condition: () => boolean, what: string, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * Every emulator event from its creation on, so that a test can wait for an event that may
 * already have happened (deliveries can finish before the call that caused them returns).
 */
export class EventLog {
  readonly events: EmulatorEvent[] = [];
  private readonly waiters = new Set<() => void>();
  readonly stop: () => void;

  constructor(emulator: Emulator) {
    this.stop = emulator.onEvent((e) => {
      this.events.push(e);
      for (const w of [...this.waiters]) w();
    });
  }

  /** Resolves with the first event (past or future) of `kind` that matches. */
  waitFor<K extends EmulatorEvent['kind']>(
    kind: K,
    predicate: (e: Extract<EmulatorEvent, { kind: K }>) => boolean = () => true,
    timeoutMs = WAIT_MS,
  ): Promise<Extract<EmulatorEvent, { kind: K }>> {
    return new Promise((resolve, reject) => {
      const find = (): Extract<EmulatorEvent, { kind: K }> | undefined =>
        this.events.find(
          (e): e is Extract<EmulatorEvent, { kind: K }> =>
            e.kind === kind && predicate(e as Extract<EmulatorEvent, { kind: K }>),
        );
      const check = (): void => {
        const hit = find();
        if (!hit) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(hit);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`no matching ${kind} event within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }
}

/** One request the receiver got. */
export interface Received {
  url: string;
  headers: http.IncomingHttpHeaders;
  raw: Buffer;
  /** The parsed body (the emulator posts webhook envelopes), `undefined` when it is not JSON. */
  json: WebhookEnvelope | undefined;
  /** The requests that had arrived and were still unanswered when this one arrived. */
  inFlightAtArrival: Received[];
}

/** How the receiver answers one request. */
export type Answer = { status: number } | { hang: true };

/** A real HTTP server on 127.0.0.1 that records webhook POSTs. */
export class Receiver {
  readonly requests: Received[] = [];
  /** Decides each answer (a promise holds the answer back until it settles); default 200. */
  answer: (r: Received) => Answer | Promise<Answer> = () => ({ status: 200 });
  private waiters: Array<() => void> = [];
  private readonly unanswered = new Set<Received>();

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(path = '/webhook'): Promise<Receiver> {
    let receiver: Receiver | undefined;
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        let json: WebhookEnvelope | undefined;
        try {
          json = JSON.parse(raw.toString('utf8')) as WebhookEnvelope;
        } catch {
          json = undefined;
        }
        const self = receiver!;
        const r: Received = {
          url: req.url ?? '',
          headers: req.headers,
          raw,
          json,
          inFlightAtArrival: [...self.unanswered],
        };
        self.requests.push(r);
        self.unanswered.add(r);
        res.on('close', () => self.unanswered.delete(r));
        const reply = (a: Answer): void => {
          if ('hang' in a) return;
          self.unanswered.delete(r);
          res.writeHead(a.status).end();
        };
        const a = self.answer(r);
        if (a instanceof Promise) void a.then(reply, () => reply({ status: 500 }));
        else reply(a);
        for (const w of self.waiters) w();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    receiver = new Receiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`);
    return receiver;
  }

  /** Resolves once `count` received requests match (including those already received). */
  waitFor(predicate: (r: Received) => boolean, count = 1, timeoutMs = WAIT_MS): Promise<Received[]> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const hits = this.requests.filter(predicate);
        if (hits.length < count) return false;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve(hits);
        return true;
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(
          new Error(
            `receiver: ${this.requests.filter(predicate).length} of ${count} matching requests within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      if (!check()) this.waiters.push(check);
    });
  }

  /** Requests whose envelope is about `resource/event` (and `data.id`, when given). */
  about(resource: string, event: string, dataId?: string): Received[] {
    return this.requests.filter(
      (r) =>
        r.json?.resource === resource &&
        r.json?.event === event &&
        (dataId === undefined || r.json?.data?.id === dataId),
    );
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

/** Registers a webhook through the SDK. */
export function createHook(
  webex: WebexSdk,
  targetUrl: string,
  fields: Record<string, unknown> = {},
): Promise<{ id: string; name: string; status: string; secret?: string }> {
  return webex.webhooks.create({ name: 'test hook', targetUrl, resource: 'all', event: 'all', ...fields });
}
