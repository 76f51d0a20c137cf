// The transcript: one log per space (kept when you switch, so cards keep what you typed),
// messages oldest first, thread replies under their parent, markdown rendered safely, cards
// rendered once. It never re-renders a message it already shows.

import { cardProblem, renderCard } from './cards.js';
import { fileHref, fileInfo } from './api.js';
import { excerpt, fileSize, h, initials, shortTime } from './format.js';
import { renderMessageMarkdown } from './markdown.js';

const CARD_TYPE = 'application/vnd.microsoft.card.adaptive';
/** Within this many pixels of the bottom, new messages scroll the log. */
const STICKY_PX = 80;

export class TranscriptView {
  /**
   * @param {object} o
   * @param {HTMLElement} o.container the scrolling element holding one log per space
   * @param {{ nameOf(id: string): string, isBot(id: string): boolean, mentionName(kind: string, value: string): string | undefined }} o.directory
   * @param {(message: object, inputs: object) => Promise<string>} o.onSubmitCard resolves with a status line
   * @param {(message: object) => void} o.onReply
   * @param {(messageId: string) => void} o.onShowActivity
   */
  constructor({ container, directory, onSubmitCard, onReply, onShowActivity }) {
    this.container = container;
    this.directory = directory;
    this.onSubmitCard = onSubmitCard;
    this.onReply = onReply;
    this.onShowActivity = onShowActivity;
    this.logs = new Map(); // room id → log element
    this.elements = new Map(); // message id → article
    this.currentRoomId = undefined;
  }

  /** True when the message is shown (in any space). */
  has(messageId) {
    return this.elements.has(messageId);
  }

  /** Shows the log of a space (creating it empty if needed) and scrolls to its newest message. */
  show(roomId) {
    for (const [id, log] of this.logs) log.hidden = id !== roomId;
    this.log(roomId).hidden = false;
    this.currentRoomId = roomId;
    this.container.scrollTop = this.container.scrollHeight;
  }

  /** Adds a message (no-op when already shown). */
  add(message) {
    if (this.elements.has(message.id)) return;
    const log = this.log(message.roomId);
    const visible = message.roomId === this.currentRoomId;
    const atBottom = this.container.scrollHeight - this.container.scrollTop - this.container.clientHeight < STICKY_PX;
    log.querySelector(':scope > .empty')?.remove();
    const el = this.build(message);
    this.elements.set(message.id, el);
    const parent = message.parentId ? this.elements.get(message.parentId) : undefined;
    if (parent) {
      const thread = parent.querySelector(':scope > .msg-main > .thread');
      thread.hidden = false;
      thread.append(el);
    } else {
      log.append(el);
    }
    if (visible && atBottom) {
      if (parent?.nextElementSibling) el.scrollIntoView({ block: 'nearest' });
      else this.container.scrollTop = this.container.scrollHeight;
    }
  }

  /** Scrolls the current space to its newest message. */
  scrollToBottom() {
    this.container.scrollTop = this.container.scrollHeight;
  }

  /** Replaces the text of an edited message (cards and files cannot be edited in Webex). */
  update(message) {
    const el = this.elements.get(message.id);
    const body = el?.querySelector(':scope > .msg-main > .msg-body');
    if (!body) return;
    body.innerHTML = renderMessageMarkdown(message.markdown ?? message.text ?? '', this.directory.mentionName);
    const header = el.querySelector(':scope > .msg-main > header');
    if (header && !header.querySelector(':scope > .edited'))
      header.append(h('span', { class: 'edited', text: '(edited)' }));
  }

  /**
   * Shows how the bot heard a message: `webhook` (Webex POSTed it to the bot) or `socket` (it came
   * over the bot's event socket, websocket mode).
   */
  markTransport(messageId, kind) {
    const header = this.elements.get(messageId)?.querySelector(':scope > .msg-main > header');
    if (!header || !kind) return;
    let badge = header.querySelector(':scope > .transport');
    if (!badge) {
      badge = h('span', { class: 'transport' });
      header.querySelector(':scope > time')?.before(badge);
    }
    badge.dataset.transport = kind;
    badge.textContent = kind === 'socket' ? 'via socket' : 'via webhook';
    badge.title =
      kind === 'socket'
        ? 'The bot heard this over its event socket (websocket mode)'
        : 'Webex delivered this to the bot as a webhook';
  }

  /** Shows that a message was deleted. */
  remove(messageId) {
    const el = this.elements.get(messageId);
    const main = el?.querySelector(':scope > .msg-main');
    if (!main) return;
    for (const part of main.querySelectorAll(
      ':scope > .msg-body, :scope > .msg-card, :scope > .msg-files, :scope > .msg-actions',
    ))
      part.remove();
    main.querySelector(':scope > header')?.after(h('p', { class: 'msg-deleted', text: 'This message was deleted.' }));
  }

  log(roomId) {
    let log = this.logs.get(roomId);
    if (!log) {
      log = h(
        'div',
        { class: 'room-log', 'data-room-id': roomId, hidden: roomId !== this.currentRoomId },
        h('p', { class: 'empty', text: 'No messages yet. Say "help" to the bot.' }),
      );
      this.logs.set(roomId, log);
      this.container.append(log);
    }
    return log;
  }

  build(message) {
    const author = this.directory.nameOf(message.personId);
    const isBot = this.directory.isBot(message.personId);
    const headingId = `msg-${message.id}-author`;
    const header = h(
      'header',
      {},
      h('span', { class: 'author', id: headingId, text: author }),
      isBot ? h('span', { class: 'badge', text: 'Bot' }) : undefined,
      h('time', { datetime: message.created, text: shortTime(message.created) }),
    );
    const main = h('div', { class: 'msg-main' }, header);
    const attachment = message.attachments?.[0];
    if (attachment) main.append(this.buildCard(message, attachment));
    else main.append(this.buildBody(message));
    if (message.files?.length) main.append(this.buildFiles(message.files));
    const actions = h('div', { class: 'msg-actions' });
    if (!message.parentId)
      actions.append(
        h('button', {
          type: 'button',
          class: 'msg-action',
          text: 'Reply in thread',
          'aria-label': `Reply in thread to ${author}`,
          onclick: () => this.onReply(message),
        }),
      );
    actions.append(
      h('button', {
        type: 'button',
        class: 'msg-action',
        text: 'Webhooks & API calls',
        'aria-label': `Webhooks and API calls for this message from ${author}`,
        onclick: () => this.onShowActivity(message.id),
      }),
    );
    main.append(actions);
    if (!message.parentId)
      main.append(
        h('div', { class: 'thread', role: 'group', 'aria-label': `Thread replies to ${author}`, hidden: true }),
      );
    return h(
      'article',
      {
        class: `msg${isBot ? ' from-bot' : ''}${message.parentId ? ' reply' : ''}`,
        'data-message-id': message.id,
        'data-person-id': message.personId,
        'aria-labelledby': headingId,
      },
      h('div', { class: 'avatar', 'aria-hidden': 'true', text: initials(author) }),
      main,
    );
  }

  /** The message's files, as links to download them, with name and size (asked of the emulator with HEAD). */
  buildFiles(urls) {
    return h(
      'ul',
      { class: 'msg-files', 'aria-label': 'Files' },
      urls.map((url) => {
        const link = h('a', { class: 'msg-file', href: fileHref(url), download: '', text: 'file' });
        const size = h('span', { class: 'msg-file-size', text: '' });
        fileInfo(url).then(
          (info) => {
            link.textContent = info.name;
            link.setAttribute('download', info.name);
            size.textContent = ` (${fileSize(info.size)}${info.type ? `, ${info.type}` : ''})`;
          },
          (err) => {
            size.textContent = ` (${err.message})`;
          },
        );
        return h('li', {}, h('span', { class: 'msg-file-icon', 'aria-hidden': 'true', text: '📎 ' }), link, size);
      }),
    );
  }

  buildBody(message) {
    const body = h('div', { class: 'msg-body' });
    body.innerHTML = renderMessageMarkdown(message.markdown ?? message.text ?? '', this.directory.mentionName);
    return body;
  }

  buildCard(message, attachment) {
    const box = h('div', { class: 'msg-card' });
    const problem =
      attachment.contentType !== CARD_TYPE
        ? `its content type is ${attachment.contentType}`
        : cardProblem(attachment.content);
    if (problem) return this.cardNotShown(box, message, `Webex would not show this card: ${problem}.`);
    const status = h('p', { class: 'card-status', role: 'status' });
    let rendered;
    try {
      rendered = renderCard(attachment.content, this.cardHandlers(message, status));
    } catch (err) {
      return this.cardNotShown(box, message, `The renderer failed: ${err.message}`);
    }
    if (!rendered.element) return this.cardNotShown(box, message, 'The renderer produced nothing for it.');
    box.append(rendered.element);
    if (rendered.notes.length > 0) box.append(rendererNotes(rendered.notes));
    box.append(status);
    return box;
  }

  /** A card that is not drawn: why, then the message's text. */
  cardNotShown(box, message, why) {
    box.append(
      h('div', { class: 'card-flag', role: 'note' }, h('strong', { text: 'Card not shown. ' }), why),
      this.buildBody(message),
    );
    return box;
  }

  /** What the card's buttons do: submit as the person writing (saying how it went in `status`), open links. */
  cardHandlers(message, status) {
    return {
      onSubmit: (inputs) => {
        status.className = 'card-status';
        status.textContent = 'Sending…';
        this.onSubmitCard(message, inputs).then(
          (line) => {
            status.textContent = line;
          },
          (err) => {
            status.className = 'card-status error';
            status.textContent = `Not sent: ${err.message}`;
          },
        );
      },
      onBlocked: () => {
        status.className = 'card-status error';
        status.textContent = 'Not sent: fill in the highlighted fields first.';
      },
      onOpenUrl: (url) => {
        if (/^https?:/i.test(url)) window.open(url, '_blank', 'noopener,noreferrer');
      },
    };
  }
}

/** The renderer's notes on a card: the parts Webex would not show. */
function rendererNotes(notes) {
  return h(
    'details',
    { class: 'card-notes' },
    h('summary', { text: `Renderer notes (${notes.length}): parts Webex would not show` }),
    h(
      'ul',
      {},
      notes.map((n) => h('li', { text: excerpt(n, 200) })),
    ),
  );
}
