// The side panel: for each exchange in the current space, the webhooks delivered (resource and
// event, target, status, attempts, signed or not, JSON body) — or, in websocket mode, the frames
// pushed on the bot's event socket — and the bot's API calls (method, route, status, time).
// Sections are updated in place; open bodies stay open.

import { excerpt, h, longTime } from './format.js';

function prettyJson(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return String(text ?? '');
  }
}

function statusClass(status) {
  if (status === undefined || status === 0) return 'status-none';
  return status >= 200 && status < 300 ? 'status-ok' : 'status-bad';
}

export class ActivityView {
  /**
   * @param {object} o
   * @param {HTMLElement} o.container where the sections go
   * @param {HTMLElement} o.scroller the element that scrolls them
   * @param {import('./activity.js').ActivityLog} o.log
   * @param {{ nameOf(id: string): string }} o.directory
   * @param {(messageId: string) => void} o.onShowMessage
   */
  constructor({ container, scroller, log, directory, onShowMessage }) {
    this.container = container;
    this.scroller = scroller;
    this.log = log;
    this.directory = directory;
    this.onShowMessage = onShowMessage;
    this.sections = new Map(); // exchange id → section
    this.currentRoomId = undefined;
    this.list = h('div', { class: 'exchanges' });
    this.other = h('details', { class: 'other-calls' });
    container.append(this.list, this.other);
  }

  /** Shows the exchanges of a space. */
  show(roomId) {
    this.currentRoomId = roomId;
    this.sections.clear();
    this.list.replaceChildren();
    const exchanges = this.log.exchangesIn(roomId);
    if (exchanges.length === 0)
      this.list.append(
        h('p', { class: 'empty', text: 'Nothing yet: write to the bot and watch the webhooks and API calls here.' }),
      );
    for (const x of exchanges) this.changed(x);
    this.otherChanged();
  }

  /** Updates (or adds) the section of an exchange, if it is in the current space. */
  changed(x) {
    if (x.roomId !== this.currentRoomId) return;
    let section = this.sections.get(x.id);
    const { scroller } = this;
    const atBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
    if (!section) {
      this.list.querySelector(':scope > .empty')?.remove();
      section = h('section', {
        class: 'exchange',
        id: `exchange-${x.id.replace(/[^\w-]/g, '_')}`,
        tabindex: '-1',
        'data-exchange-id': x.id,
      });
      this.sections.set(x.id, section);
      this.list.append(section);
    }
    const open = new Set([...section.querySelectorAll('details[open]')].map((d) => d.dataset.key));
    const focusedKey = section.contains(document.activeElement)
      ? document.activeElement.closest('[data-key]')?.dataset.key
      : undefined;
    section.replaceChildren(...this.build(x));
    for (const d of section.querySelectorAll('details')) if (open.has(d.dataset.key)) d.open = true;
    if (focusedKey) section.querySelector(`[data-key="${CSS.escape(focusedKey)}"] summary`)?.focus();
    if (atBottom && section === this.list.lastElementChild) scroller.scrollTop = scroller.scrollHeight;
  }

  /** Refreshes the count of calls tied to no message. */
  otherChanged() {
    const calls = this.log.otherCalls;
    const wasOpen = this.other.open;
    this.other.replaceChildren(
      h('summary', { text: `Other API calls by the bot (${calls.length}): start-up, webhook registration…` }),
      this.callTable(calls),
    );
    this.other.open = wasOpen;
    this.other.hidden = calls.length === 0;
  }

  /** Scrolls to and highlights the exchange of a message; false when it has none here. */
  reveal(messageId) {
    const x = this.log.exchangeOf(messageId);
    const section = x ? this.sections.get(x.id) : undefined;
    if (!section) return false;
    for (const s of this.list.querySelectorAll('.exchange.highlight')) s.classList.remove('highlight');
    section.classList.add('highlight');
    section.scrollIntoView({ block: 'nearest' });
    section.focus({ preventScroll: true });
    return true;
  }

  build(x) {
    const who = x.personId ? this.directory.nameOf(x.personId) : this.directory.nameOf(this.log.botId);
    const title =
      x.kind === 'card'
        ? `${who} submitted a card`
        : x.kind === 'bot'
          ? `${who} posted without a trigger seen here`
          : `${who}: “${excerpt(x.trigger.text ?? x.trigger.markdown ?? '', 48)}”`;
    const parts = [
      h('h3', {}, h('span', { class: 'title', text: title }), h('time', { datetime: x.at, text: longTime(x.at) })),
    ];
    if (!x.live)
      parts.push(h('p', { class: 'note', text: 'From before this page opened: its API calls were not recorded.' }));

    const replyIds = new Set(x.replies.map((m) => m.id));
    // Websocket mode: the frames on the bot's event socket; webhook mode (or both): the deliveries.
    if (x.frames.length > 0) {
      parts.push(h('h4', { text: `Over the event socket (${x.frames.length})` }));
      parts.push(
        h(
          'ul',
          { class: 'frames' },
          x.frames.map((f) => this.frame(f, replyIds.has(f.dataId))),
        ),
      );
    }
    if (x.frames.length === 0 || x.deliveries.length > 0) parts.push(...this.deliveries(x, replyIds));

    parts.push(h('h4', { text: `API calls by the bot (${x.calls.length})` }));
    if (x.calls.length > 0) parts.push(this.callTable(x.calls));
    else parts.push(h('p', { class: 'note', text: x.live ? 'None yet.' : 'Not recorded.' }));

    if (x.replies.length > 0) {
      parts.push(
        h(
          'p',
          { class: 'replies' },
          `Bot ${x.replies.length === 1 ? 'reply' : 'replies'}: `,
          x.replies.map((m, i) =>
            h('button', {
              type: 'button',
              class: 'link',
              text: `#${i + 1}${m.parentId ? ' (in thread)' : ''}${m.attachments ? ' card' : ''}`,
              'aria-label': `Show bot reply ${i + 1} in the chat`,
              onclick: () => this.onShowMessage(m.id),
            }),
          ),
        ),
      );
    }
    return parts;
  }

  /** The webhooks heading and list of an exchange (or why there are none). */
  deliveries(x, replyIds) {
    const parts = [h('h4', { text: `Webhooks delivered (${x.deliveries.length})` })];
    if (x.deliveries.length === 0) {
      const why = !x.heard
        ? 'None: in a group space Webex sends a bot only the messages that @mention it, so the bot never heard this one.'
        : x.live
          ? 'None yet.'
          : 'None recorded.';
      parts.push(h('p', { class: `note${x.heard ? '' : ' not-heard'}`, text: why }));
    } else {
      parts.push(
        h(
          'ul',
          { class: 'deliveries' },
          x.deliveries.map((d) => this.delivery(d, replyIds.has(d.dataId))),
        ),
      );
    }
    return parts;
  }

  /** One frame pushed (or missed) on the bot's event socket. */
  frame(f, ownReply) {
    return h(
      'li',
      { class: `frame state-${f.state}` },
      h(
        'div',
        { class: 'line' },
        h('code', { class: 'event', text: `${f.resource}/${f.event}` }),
        ' → ',
        h('span', { class: 'target', text: `event socket of device ${f.deviceId.slice(0, 8)}…` }),
      ),
      h(
        'div',
        { class: 'chips' },
        h('span', { class: 'chip', title: 'the activity verb', text: f.verb }),
        h('span', {
          class: `chip ${f.state === 'sent' ? 'status-ok' : 'status-bad'}`,
          text: f.state === 'sent' ? 'sent' : 'missed: no socket open',
        }),
        f.resendOf ? h('span', { class: 'chip', text: 'sent again' }) : undefined,
        ownReply ? h('span', { class: 'chip own', text: "the bot's own reply" }) : undefined,
      ),
      f.body
        ? h(
            'details',
            { 'data-key': `frame-${f.id}` },
            h('summary', { text: 'Frame JSON' }),
            h('pre', { text: prettyJson(f.body) }),
          )
        : undefined,
    );
  }

  delivery(d, ownReply) {
    const last = d.attempts[d.attempts.length - 1];
    const status = last?.status ?? (last?.error ? last.error : '…');
    return h(
      'li',
      { class: `delivery state-${d.state}` },
      h(
        'div',
        { class: 'line' },
        h('code', { class: 'event', text: `${d.resource}/${d.event}` }),
        ' → ',
        h('span', { class: 'target', text: d.targetUrl }),
      ),
      h(
        'div',
        { class: 'chips' },
        h('span', { class: `chip ${statusClass(last?.status)}`, title: last?.error ?? '', text: String(status) }),
        h('span', { class: 'chip', text: `${d.attempts.length} ${d.attempts.length === 1 ? 'attempt' : 'attempts'}` }),
        h('span', { class: `chip ${d.signed ? 'signed' : 'unsigned'}`, text: d.signed ? 'signed' : 'not signed' }),
        h('span', { class: 'chip', text: d.state }),
        ownReply ? h('span', { class: 'chip own', text: "the bot's own reply" }) : undefined,
      ),
      d.reason ? h('p', { class: 'note', text: d.reason }) : undefined,
      d.body
        ? h(
            'details',
            { 'data-key': `delivery-${d.id}` },
            h('summary', { text: 'JSON body' }),
            h('pre', { text: prettyJson(d.body) }),
          )
        : undefined,
    );
  }

  callTable(calls) {
    if (calls.length === 0) return h('p', { class: 'note', text: 'None.' });
    return h(
      'table',
      { class: 'calls' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col', text: 'Method' }),
          h('th', { scope: 'col', text: 'Route' }),
          h('th', { scope: 'col', text: 'Status' }),
          h('th', { scope: 'col', text: 'ms' }),
        ),
      ),
      h(
        'tbody',
        {},
        calls.map((c) =>
          h(
            'tr',
            { title: c.path },
            h('td', { class: 'method', text: c.method }),
            h('td', { class: 'route', text: c.route }),
            h('td', { class: statusClass(c.status), text: c.status === 0 ? 'no answer' : String(c.status) }),
            h('td', { class: 'ms', text: String(c.ms) }),
          ),
        ),
      ),
    );
  }
}
