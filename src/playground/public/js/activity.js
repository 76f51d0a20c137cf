// The activity model behind the side panel: it groups what the emulator reports into
// exchanges. An exchange starts with a person's message or card submission (its trigger) and
// collects the webhooks delivered for it — or, in websocket mode, the frames pushed on the bot's
// event socket — the API calls the bot made while handling it, the bot's replies, and the
// webhooks or frames for those replies (Webex sends a bot its own messages too).
//
// How calls are tied to an exchange (no DOM here, so the rules are easy to follow):
// 1. a call whose resource is a trigger (GET /v1/messages/{id}, GET /v1/attachment/actions/{id})
//    belongs to it, and marks it as the one the bot is working on in that space;
// 2. a call that names a space belongs to the exchange the bot is working on there (the bot
//    handles one event per space at a time, in order);
// 3. any other call by the bot (e.g. GET /v1/people) belongs to the exchange of its previous call.
// A bot message joins the exchange the bot is working on in its space.

const MAX_EXCHANGES = 300;

/** Normalizes a delivery event or a delivery record into one shape. */
function deliveryFrom(source) {
  const attempts = source.attempts
    ? source.attempts.map((a) => ({ attempt: a.attempt, status: a.status, error: a.error, ms: a.ms }))
    : [{ attempt: source.attempt, status: source.status, error: source.error, ms: source.ms }];
  return {
    id: source.deliveryId ?? source.id,
    webhookName: source.webhookName,
    targetUrl: source.targetUrl,
    resource: source.resource,
    event: source.event,
    dataId: source.dataId,
    state: source.state,
    reason: source.reason,
    signed: source.signed ?? Boolean(source.signature),
    body: source.body,
    attempts,
  };
}

/** Normalizes a socket-frame event or record into one shape. */
function frameFrom(source) {
  return {
    id: source.frameId,
    deviceId: source.deviceId,
    resource: source.resource,
    event: source.event,
    dataId: source.dataId,
    verb: source.verb,
    state: source.state,
    body: source.body,
    resendOf: source.resendOf,
  };
}

/** How the bot heard an exchange's trigger: 'webhook', 'socket', or undefined (not yet, or not at all). */
export function transportOf(x) {
  const own = (dataId) => x.trigger && dataId === x.trigger.id;
  if (x.frames.some((f) => own(f.dataId) && f.state === 'sent')) return 'socket';
  if (x.deliveries.some((d) => own(d.dataId))) return 'webhook';
  return undefined;
}

/** Exchanges per space, fed with emulator events; `onChange(exchange)` after each change. */
export class ActivityLog {
  constructor({ botId, onChange = () => {} }) {
    this.botId = botId;
    this.onChange = onChange;
    this.exchanges = new Map(); // exchange id → exchange, in creation order
    this.byMessage = new Map(); // trigger, action or reply id → exchange
    this.working = new Map(); // room id → exchange the bot is working on
    this.pending = new Map(); // data id → deliveries seen before their exchange
    this.pendingFrames = new Map(); // data id → socket frames seen before their exchange
    this.lastHeard = new Map(); // room id → latest trigger the bot hears (for loaded history)
    this.lastCallExchange = undefined;
    this.otherCalls = []; // bot calls tied to no exchange (start-up, webhook registration...)
  }

  /** The exchanges of a space, oldest first. */
  exchangesIn(roomId) {
    return [...this.exchanges.values()].filter((x) => x.roomId === roomId);
  }

  /** The exchange a message (trigger or reply) or card submission belongs to. */
  exchangeOf(id) {
    return this.byMessage.get(id);
  }

  /**
   * A message was posted. `live` is false for messages loaded from a transcript (their API calls
   * happened before the page opened and were not seen).
   */
  addMessage(message, { live = true } = {}) {
    if (this.byMessage.has(message.id)) return this.byMessage.get(message.id);
    if (message.personId === this.botId) {
      let x = live ? this.working.get(message.roomId) : this.lastHeard.get(message.roomId);
      if (!x)
        x = this.create({ id: `bot:${message.id}`, kind: 'bot', roomId: message.roomId, at: message.created, live });
      x.replies.push(message);
      this.byMessage.set(message.id, x);
      this.adopt(message.id, x);
      this.onChange(x);
      return x;
    }
    const heard = message.roomType !== 'group' || (message.mentionedPeople ?? []).includes(this.botId);
    const x = this.create({
      id: message.id,
      kind: 'message',
      roomId: message.roomId,
      at: message.created,
      live,
      trigger: message,
      personId: message.personId,
      heard,
    });
    this.byMessage.set(message.id, x);
    if (heard && !live) this.lastHeard.set(message.roomId, x);
    this.adopt(message.id, x);
    this.onChange(x);
    return x;
  }

  /** A person submitted a card. */
  addAction(action, { live = true } = {}) {
    if (this.byMessage.has(action.id)) return this.byMessage.get(action.id);
    const x = this.create({
      id: action.id,
      kind: 'card',
      roomId: action.roomId,
      at: action.created,
      live,
      trigger: action,
      personId: action.personId,
      heard: true,
    });
    this.byMessage.set(action.id, x);
    this.adopt(action.id, x);
    this.onChange(x);
    return x;
  }

  /** A delivery attempt finished (event), or a delivery record loaded from the emulator. */
  addDelivery(source) {
    const d = deliveryFrom(source);
    const x = this.byMessage.get(d.dataId);
    if (!x) {
      const list = this.pending.get(d.dataId) ?? [];
      this.merge(list, d);
      this.pending.set(d.dataId, list);
      return undefined;
    }
    this.merge(x.deliveries, d);
    this.onChange(x);
    return x;
  }

  /** A frame was pushed (or missed) on an event socket (event), or a frame record was loaded. */
  addFrame(source) {
    if (source.ownerId !== this.botId) return undefined;
    const f = frameFrom(source);
    const x = this.byMessage.get(f.dataId);
    if (!x) {
      const list = this.pendingFrames.get(f.dataId) ?? [];
      if (!list.some((e) => e.id === f.id)) list.push(f);
      this.pendingFrames.set(f.dataId, list);
      return undefined;
    }
    if (!x.frames.some((e) => e.id === f.id)) x.frames.push(f);
    this.onChange(x);
    return x;
  }

  /** The emulator answered a REST call. Only the bot's calls are kept. */
  addCall(call) {
    if (call.callerId !== this.botId) return undefined;
    let x = call.resourceId ? this.byMessage.get(call.resourceId) : undefined;
    if (x?.trigger && x.id === call.resourceId) this.working.set(x.roomId, x);
    if (!x && call.roomId) x = this.working.get(call.roomId);
    if (!x && !call.roomId) x = this.lastCallExchange;
    if (!x) {
      this.otherCalls.push(call);
      if (this.otherCalls.length > MAX_EXCHANGES) this.otherCalls.shift();
      return undefined;
    }
    x.calls.push(call);
    this.lastCallExchange = x;
    this.onChange(x);
    return x;
  }

  create(fields) {
    const x = { deliveries: [], frames: [], calls: [], replies: [], heard: true, ...fields };
    this.exchanges.set(x.id, x);
    if (this.exchanges.size > MAX_EXCHANGES) {
      const [oldestId, oldest] = this.exchanges.entries().next().value;
      this.exchanges.delete(oldestId);
      for (const [id, owner] of this.byMessage) if (owner === oldest) this.byMessage.delete(id);
    }
    return x;
  }

  adopt(dataId, x) {
    const frames = this.pendingFrames.get(dataId);
    if (frames) {
      this.pendingFrames.delete(dataId);
      for (const f of frames) if (!x.frames.some((e) => e.id === f.id)) x.frames.push(f);
    }
    const waiting = this.pending.get(dataId);
    if (!waiting) return;
    this.pending.delete(dataId);
    for (const d of waiting) this.merge(x.deliveries, d);
  }

  merge(list, d) {
    const known = list.find((e) => e.id === d.id);
    if (!known) {
      list.push(d);
      return;
    }
    for (const a of d.attempts) if (!known.attempts.some((k) => k.attempt === a.attempt)) known.attempts.push(a);
    known.attempts.sort((a, b) => a.attempt - b.attempt);
    const latest = Math.max(...known.attempts.map((a) => a.attempt));
    if (d.attempts.some((a) => a.attempt === latest) || d.state !== 'pending') known.state = d.state;
    known.reason = d.reason ?? known.reason;
    known.body = known.body ?? d.body;
    known.signed = known.signed || d.signed;
  }
}
