/**
 * A chat-like client for the emulator's control API over HTTP: speak as a person, submit cards,
 * and wait for the bot's replies — so end-to-end tests read like a conversation.
 */
import type { DeliveryRecord, Message, Person, RoomState, Webhook } from '../../../src/emulator/index.js';

export interface EmulatorState {
  bot: Person;
  people: Person[];
  rooms: RoomState[];
}

export class ControlClient {
  constructor(readonly baseUrl: string) {}

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}/_emulator${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} /_emulator${path} → ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  state(): Promise<EmulatorState> {
    return this.json('GET', '/state');
  }

  async transcript(roomId: string): Promise<Message[]> {
    return (await this.json<{ items: Message[] }>('GET', `/rooms/${roomId}/messages`)).items;
  }

  say(
    roomId: string,
    personId: string,
    text: string,
    options: { mention?: boolean; parentId?: string } = {},
  ): Promise<Message> {
    return this.json('POST', `/rooms/${roomId}/messages`, { personId, text, ...options });
  }

  submit(personId: string, messageId: string, inputs: Record<string, unknown>): Promise<{ id: string }> {
    return this.json('POST', '/attachment-actions', { personId, messageId, inputs });
  }

  calls(): Promise<Record<string, number>> {
    return this.json('GET', '/calls');
  }

  /** Injects a fault (see `FaultRule`). */
  fault(rule: Record<string, unknown>): Promise<unknown> {
    return this.json('POST', '/faults', rule);
  }

  /** Removes every fault rule. */
  async clearFaults(): Promise<void> {
    await this.json('DELETE', '/faults');
  }

  /** Delivers a delivery's event again (as Webex does when it did not get its 200 in time); the new deliveries. */
  async redeliver(deliveryId: string): Promise<DeliveryRecord[]> {
    return (await this.json<{ items: DeliveryRecord[] }>('POST', `/deliveries/${deliveryId}/redeliver`, {})).items;
  }

  /** Webhook deliveries, oldest first. */
  async deliveries(): Promise<DeliveryRecord[]> {
    return (await this.json<{ items: DeliveryRecord[] }>('GET', '/deliveries')).items;
  }

  /** The registered webhooks (no secrets). */
  async webhooks(): Promise<Webhook[]> {
    return (await this.json<{ items: Webhook[] }>('GET', '/webhooks')).items;
  }

  /** Changes a webhook behind its owner's back: status, target URL, secret (`null`: none). */
  alterWebhook(
    id: string,
    change: { status?: 'active' | 'inactive'; targetUrl?: string; secret?: string | null },
  ): Promise<Webhook> {
    return this.json('PATCH', `/webhooks/${id}`, change);
  }

  /** Deletes a webhook behind its owner's back. */
  removeWebhook(id: string): Promise<void> {
    return this.json('DELETE', `/webhooks/${id}`);
  }

  /**
   * Waits for a new message from `fromId` in `roomId` (one not among `before`), optionally
   * matching `predicate`.
   */
  async waitForMessage(
    roomId: string,
    fromId: string,
    before: readonly Message[],
    predicate: (m: Message) => boolean = () => true,
    timeoutMs = 20_000,
  ): Promise<Message> {
    const seen = new Set(before.map((m) => m.id));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = (await this.transcript(roomId)).find(
        (m) => !seen.has(m.id) && m.personId === fromId && predicate(m),
      );
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no new message from ${fromId} in ${roomId} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 30));
    }
  }

  /** Says `text` and returns the bot's next reply. */
  async ask(
    roomId: string,
    personId: string,
    botId: string,
    text: string,
    options: { mention?: boolean } = {},
  ): Promise<Message> {
    const before = await this.transcript(roomId);
    await this.say(roomId, personId, text, options);
    return this.waitForMessage(roomId, botId, before);
  }
}
