/** Helpers for the event journal's tests: temp folders, envelopes, crash images, and an io seam that counts and holds. */
import { cpSync, mkdtempSync, readlinkSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type JournalIo, nodeIo } from '../../../../src/events/journal/index.js';
import { eventKey, type WebhookEnvelope } from '../../../../src/protocol/envelope.js';

export const tempDir = (): string => mkdtempSync(path.join(tmpdir(), 'journal-'));

/** A `messages/created` envelope as Webex POSTs it, for message `n`. */
export function envelope(n: number, roomId = 'room-1'): WebhookEnvelope {
  return {
    id: 'webhook-1',
    name: 'bot firehose',
    targetUrl: 'https://bot.example.com/webhook',
    resource: 'messages',
    event: 'created',
    orgId: 'org-1',
    createdBy: 'bot-person',
    appId: 'app-1',
    ownedBy: 'creator',
    status: 'active',
    created: '2026-01-01T00:00:00.000Z',
    actorId: 'person-1',
    data: {
      id: `msg-${n}`,
      roomId,
      roomType: 'direct',
      personId: 'person-1',
      personEmail: 'ada@example.com',
      created: '2026-01-01T00:00:00.000Z',
    },
  };
}

/** The accept input of message `n`. */
export const input = (n: number, roomId?: string) => {
  const env = envelope(n, roomId);
  return { key: eventKey(env), eventId: `ev-${n}`, envelope: env };
};

/**
 * A copy of the folder as it is now: what a process killed at this moment leaves behind (the
 * journal object is abandoned, never closed; its lock file names this process's pid).
 */
export function crashImage(dir: string): string {
  const copy = tempDir();
  cpSync(dir, copy, { recursive: true });
  return copy;
}

/** Resolves once `condition()` holds (checked every few ms; the test's timeout bounds the wait). */
export async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 2));
}

/** A held call: `reached` resolves when the call arrives; it goes on after `release()`; `passed` resolves once it is done. */
export interface Gate {
  readonly reached: Promise<void>;
  release(): void;
  readonly passed: Promise<void>;
}

/** One call of the io: what it is, where, and on which file (its current path). */
export interface IoCall {
  readonly kind: 'write' | 'sync';
  readonly position: number;
  readonly file: string;
}

interface PendingGate {
  readonly match: (call: IoCall) => boolean;
  readonly arrive: () => void;
  readonly opened: Promise<void>;
  readonly pass: () => void;
  readonly failWith: Error | undefined;
}

/** The current path of an open file (Linux: /proc/self/fd). */
const pathOf = (handle: FileHandle): string => readlinkSync(`/proc/self/fd/${handle.fd}`);

/** The file system's io, counting its calls, with calls that can be held or made to fail. */
export class TestIo implements JournalIo {
  writes = 0;
  syncs = 0;
  private gates: PendingGate[] = [];

  /** Holds the next call of `kind` (that `where` accepts); once released, it fails with `failWith` if given. */
  hold(kind: 'write' | 'sync', where: (call: IoCall) => boolean = () => true, failWith?: Error): Gate {
    return this.add((call) => call.kind === kind && where(call), failWith);
  }

  /** Makes the next call of `kind` fail with `err` (before it touches the file). */
  fail(kind: 'write' | 'sync', err: Error): void {
    this.add((call) => call.kind === kind, err).release();
  }

  private add(match: (call: IoCall) => boolean, failWith: Error | undefined): Gate {
    let arrive!: () => void;
    let release!: () => void;
    let pass!: () => void;
    const reached = new Promise<void>((r) => {
      arrive = r;
    });
    const opened = new Promise<void>((r) => {
      release = r;
    });
    const passed = new Promise<void>((r) => {
      pass = r;
    });
    this.gates.push({ match, arrive, opened, pass, failWith });
    return { reached, release, passed };
  }

  private async around(call: IoCall, run: () => Promise<void>): Promise<void> {
    const i = this.gates.findIndex((g) => g.match(call));
    if (i === -1) return run();
    const [gate] = this.gates.splice(i, 1);
    gate!.arrive();
    await gate!.opened;
    try {
      if (gate!.failWith) throw gate!.failWith;
      await run();
    } finally {
      gate!.pass();
    }
  }

  async write(handle: FileHandle, data: Buffer, position: number): Promise<void> {
    this.writes++;
    await this.around({ kind: 'write', position, file: pathOf(handle) }, () => nodeIo.write(handle, data, position));
  }

  async sync(handle: FileHandle): Promise<void> {
    this.syncs++;
    await this.around({ kind: 'sync', position: 0, file: pathOf(handle) }, () => nodeIo.sync(handle));
  }
}

/** Calls on the journal file itself (not a compaction's temporary file). */
export const onJournal = (call: IoCall): boolean => call.file.endsWith('/events.journal');
/** Calls on a compaction's temporary file. */
export const onSnapshot = (call: IoCall): boolean => call.file.endsWith('.tmp');

/** Lets every callback already due run (microtasks and I/O callbacks ready now). */
export const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Whether `promise` has settled by the time the current I/O callbacks have run. */
export async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  await new Promise((r) => setImmediate(r));
  return done;
}
