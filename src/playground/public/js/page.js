// The chat page: people and spaces from the control API, the space list, the transcript, the
// message box and the activity panel, kept in step with the emulator's events.

import { ActivityLog, transportOf } from './activity.js';
import { ActivityView } from './activity-view.js';
import * as api from './api.js';
import { Composer } from './composer.js';
import { Directory } from './directory.js';
import { NotifyBox } from './notify.js';
import { openActivity } from './panel.js';
import { h } from './format.js';
import { SpaceList } from './spaces.js';
import { TranscriptView } from './transcript.js';

const $ = (id) => document.getElementById(id);

export class ChatPage {
  /** @param {{ bot: object, people: object[], rooms: object[] }} state what `GET /_emulator/state` answered */
  constructor(state) {
    this.bot = state.bot;
    this.directory = new Directory(state.bot, state.people);
    this.rooms = new Map(state.rooms.map((r) => [r.id, r]));
    this.currentRoomId = undefined;
    this.log = new ActivityLog({ botId: this.bot.id, onChange: (x) => this.activityChanged(x) });
    this.activity = new ActivityView({
      container: $('activity-list'),
      scroller: $('activity'),
      log: this.log,
      directory: this.directory,
      onShowMessage: (messageId) => this.showMessage(messageId),
    });
    this.transcript = this.createTranscript();
    this.composer = this.createComposer();
    this.spaces = new SpaceList({ list: $('space-list'), onSelect: (roomId) => this.selectRoom(roomId) });
    $('new-space').addEventListener('click', () => void this.newSpaceWithBot());
    $('member-add').addEventListener('click', () => void this.addSelectedMember());
    this.notify = new NotifyBox(state.notify);
  }

  /** Who acts in the current space (adds, removes, creates): the person writing, or the first person known. */
  actor() {
    const typist = this.currentRoomId ? this.composer.typistFor(this.currentRoomId) : undefined;
    return typist ?? [...this.directory.people.values()].find((p) => p.type === 'person')?.id;
  }

  /** A new group space, made by the person writing, with the bot added to it. */
  async newSpaceWithBot() {
    const creator = this.actor();
    if (!creator) return;
    const count = [...this.rooms.values()].filter((r) => r.type === 'group').length + 1;
    const room = await api.createRoom({
      type: 'group',
      title: `New space ${count}`,
      memberIds: [creator, this.bot.id],
    });
    this.rooms.set(room.id, room);
    this.selectRoom(room.id);
  }

  async addSelectedMember() {
    const personId = $('member-add-select').value;
    if (!personId || !this.currentRoomId) return;
    await this.memberChange(() => api.addMember(this.currentRoomId, personId, this.actor()));
  }

  /** Runs a member change, showing its error (the emulator's reason) if it fails. */
  async memberChange(change) {
    $('member-error').textContent = '';
    try {
      await change();
      await this.refreshState();
    } catch (err) {
      $('member-error').textContent = err.message;
    }
  }

  /** The members panel of a group space: each member with a remove button, and who can be added. */
  renderMembers(room) {
    const tools = $('space-tools');
    tools.hidden = room.type !== 'group';
    if (tools.hidden) return;
    const actor = this.actor();
    $('member-list').replaceChildren(
      ...this.directory.membersOf(room).map((p) => {
        const nameId = `member-${p.id}`;
        return h(
          'li',
          {},
          h('span', { id: nameId, text: `${p.displayName}${p.type === 'bot' ? ' (bot)' : ''}` }),
          h('button', {
            type: 'button',
            class: 'link',
            text: p.id === actor ? 'Leave' : 'Remove',
            // Described (not labelled) by the name: the button is "Remove", the name says whom.
            'aria-describedby': nameId,
            onclick: () => void this.memberChange(() => api.removeMember(room.id, p.id, actor ?? p.id)),
          }),
        );
      }),
    );
    const outside = [...this.directory.people.values()].filter((p) => !room.memberIds.includes(p.id));
    $('member-add-select').replaceChildren(
      ...outside.map((p) => h('option', { value: p.id, text: `${p.displayName}${p.type === 'bot' ? ' (bot)' : ''}` })),
    );
    $('member-add').disabled = outside.length === 0;
  }

  createTranscript() {
    return new TranscriptView({
      container: $('transcript'),
      directory: this.directory,
      onSubmitCard: (message, inputs) => this.submitCard(message, inputs),
      onReply: (message) => {
        this.composer.setReplyTarget(message, this.directory.nameOf(message.personId));
        $('composer-input').focus();
      },
      onShowActivity: (messageId) => {
        openActivity(true);
        this.activity.reveal(messageId);
      },
    });
  }

  createComposer() {
    const el = {};
    for (const [key, id] of Object.entries(COMPOSER_ELEMENTS)) el[key] = $(id);
    return new Composer({
      el,
      bot: this.bot,
      onSend: async ({ roomId, ...body }) => {
        const message = await api.sendMessage(roomId, body);
        this.receiveMessage(message);
        this.transcript.scrollToBottom();
      },
    });
  }

  /** Loads what exists (spaces, transcripts, deliveries, socket frames) and opens the first space. */
  async load() {
    const first = this.firstRoom();
    if (first) this.selectRoom(first.id);
    this.renderSpaces();
    await this.loadTranscripts();
    for (const d of await api.getDeliveries()) this.log.addDelivery(d);
    for (const f of await api.getSocketFrames()) this.log.addFrame(f);
    return first;
  }

  /** The space to open first: a direct space with the bot, or any. */
  firstRoom() {
    const visible = this.visibleRooms();
    return visible.find((r) => r.type === 'direct' && r.memberIds.includes(this.bot.id)) ?? visible[0];
  }

  /** Spaces someone can write in from the page (those with a person in them). */
  visibleRooms() {
    return [...this.rooms.values()].filter((r) => this.directory.writersIn(r).length > 0);
  }

  describeRoom(room) {
    if (room.type === 'direct')
      return `Direct · with ${this.directory.membersOf(room).find((p) => p.type === 'bot')?.displayName ?? 'a person'}`;
    return `Group · ${room.memberIds.length} members`;
  }

  renderSpaces() {
    this.spaces.render(this.visibleRooms(), this.currentRoomId, (room) => this.describeRoom(room));
  }

  selectRoom(roomId) {
    const room = this.rooms.get(roomId);
    if (!room) return;
    this.currentRoomId = roomId;
    $('space-title').textContent = room.title;
    const names = this.directory.membersOf(room).map((p) => p.displayName);
    $('space-members').textContent = `${room.type === 'direct' ? 'Direct space' : 'Group space'}: ${names.join(', ')}`;
    this.transcript.show(roomId);
    this.activity.show(roomId);
    this.composer.setSpace(room, this.directory.writersIn(room));
    this.renderMembers(room);
    this.notify.show(roomId);
    this.renderSpaces();
  }

  async submitCard(message, inputs) {
    const personId = this.composer.typistFor(message.roomId);
    if (!personId) throw new Error('nobody in this space can submit it');
    const action = await api.submitCard({ personId, messageId: message.id, inputs });
    this.log.addAction(action);
    return `Submitted as ${this.directory.nameOf(personId)}.`;
  }

  receiveMessage(message, { live = true } = {}) {
    if (!this.transcript.has(message.id)) {
      this.transcript.add(message);
      if (live && message.roomId !== this.currentRoomId) {
        this.spaces.bump(message.roomId);
        this.renderSpaces();
      }
    }
    this.log.addMessage(message, { live });
  }

  activityChanged(x) {
    this.activity.changed(x);
    if (x.kind === 'message') this.transcript.markTransport(x.trigger.id, transportOf(x));
  }

  /** Closes the panel and highlights a message in the transcript. */
  showMessage(messageId) {
    const el = document.querySelector(`article[data-message-id="${CSS.escape(messageId)}"]`);
    if (!el) return;
    openActivity(false);
    for (const m of document.querySelectorAll('article.msg.highlight')) m.classList.remove('highlight');
    el.classList.add('highlight');
    el.tabIndex = -1;
    el.scrollIntoView({ block: 'nearest' });
    el.focus({ preventScroll: true });
  }

  async refreshState() {
    const fresh = await api.getState();
    // A restarted emulator is a new Webex (new ids): start over.
    if (fresh.bot.id !== this.bot.id) {
      window.location.reload();
      return;
    }
    for (const p of fresh.people) this.directory.set(p);
    for (const r of fresh.rooms) this.rooms.set(r.id, r);
    this.renderSpaces();
    const room = this.rooms.get(this.currentRoomId);
    if (room) {
      this.composer.setSpace(room, this.directory.writersIn(room));
      const names = this.directory.membersOf(room).map((p) => p.displayName);
      $('space-members').textContent =
        `${room.type === 'direct' ? 'Direct space' : 'Group space'}: ${names.join(', ')}`;
      this.renderMembers(room);
    }
  }

  async loadTranscripts() {
    for (const room of this.rooms.values()) {
      for (const m of await api.getTranscript(room.id)) this.receiveMessage(m, { live: false });
    }
  }

  /** After the event stream reconnected: catch up on what happened meanwhile. */
  async resync() {
    try {
      await this.refreshState();
      await this.loadTranscripts();
    } catch {
      // The stream reconnects; the next 'open' tries again.
    }
  }

  /** Applies one emulator event. */
  onEvent(e) {
    EVENT_HANDLERS.get(e.kind)?.(this, e);
  }
}

/** Composer option → element id. */
const COMPOSER_ELEMENTS = {
  form: 'composer',
  input: 'composer-input',
  typist: 'typist',
  mention: 'mention-toggle',
  hint: 'composer-hint',
  error: 'composer-error',
  replyTarget: 'reply-target',
  replyLabel: 'reply-label',
  replyCancel: 'reply-cancel',
  file: 'composer-file',
  attachment: 'attachment',
  attachmentName: 'attachment-name',
  fileRemove: 'attachment-remove',
};

/** What each event kind does to the page (other kinds are ignored). */
const EVENT_HANDLERS = new Map([
  ['message', (page, e) => page.receiveMessage(e.message)],
  ['message-updated', (page, e) => page.transcript.update(e.message)],
  ['message-deleted', (page, e) => page.transcript.remove(e.messageId)],
  ['attachment-action', (page, e) => page.log.addAction(e.action)],
  ['room-created', (page) => void page.refreshState()],
  ['membership-created', (page) => void page.refreshState()],
  ['membership-deleted', (page) => void page.refreshState()],
  ['delivery', (page, e) => page.log.addDelivery(e)],
  ['socket-frame', (page, e) => page.log.addFrame(e)],
  [
    'api-call',
    (page, e) => {
      if (!page.log.addCall(e) && e.callerId === page.bot.id) page.activity.otherChanged();
    },
  ],
]);
