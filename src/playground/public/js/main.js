// The chat playground: wires the emulator's control API and event stream to the space list,
// the transcript, the message box and the activity panel.

import * as api from './api.js';
import { ActivityLog, transportOf } from './activity.js';
import { ActivityView } from './activity-view.js';
import { Composer } from './composer.js';
import { followEvents } from './events.js';
import { SpaceList } from './spaces.js';
import { TranscriptView } from './transcript.js';

const $ = (id) => document.getElementById(id);

/** Starts the page: subscribe first (events are held), then load what exists, then apply the held events. */
async function start() {
  let handle = (e) => held.push(e);
  const held = [];
  let loaded = false;
  let firstContact;
  const contact = new Promise((resolve) => (firstContact = resolve));
  followEvents({
    onEvent: (e) => handle(e),
    onStatus: (status) => {
      showConnection(status);
      firstContact();
      if (status === 'open' && loaded) void resync();
    },
  });
  await contact;

  const state = await api.getState();
  const bot = state.bot;
  const people = new Map(state.people.map((p) => [p.id, p]));
  people.set(bot.id, bot);
  const rooms = new Map(state.rooms.map((r) => [r.id, r]));
  const directory = {
    nameOf: (id) => people.get(id)?.displayName ?? 'Someone',
    isBot: (id) => people.get(id)?.type === 'bot',
    mentionName: (kind, value) =>
      (kind === 'personId' ? people.get(value) : [...people.values()].find((p) => p.emails?.includes(value)))
        ?.displayName,
  };
  let currentRoomId;

  const log = new ActivityLog({
    botId: bot.id,
    onChange: (x) => {
      activity.changed(x);
      if (x.kind === 'message') transcript.markTransport(x.trigger.id, transportOf(x));
    },
  });
  const activity = new ActivityView({
    container: $('activity-list'),
    scroller: $('activity'),
    log,
    directory,
    onShowMessage: showMessage,
  });
  const transcript = new TranscriptView({
    container: $('transcript'),
    directory,
    onSubmitCard: async (message, inputs) => {
      const personId = composer.typistFor(message.roomId);
      if (!personId) throw new Error('nobody in this space can submit it');
      const action = await api.submitCard({ personId, messageId: message.id, inputs });
      log.addAction(action);
      return `Submitted as ${directory.nameOf(personId)}.`;
    },
    onReply: (message) => {
      composer.setReplyTarget(message, directory.nameOf(message.personId));
      $('composer-input').focus();
    },
    onShowActivity: (messageId) => {
      openActivity(true);
      activity.reveal(messageId);
    },
  });
  const composer = new Composer({
    el: {
      form: $('composer'),
      input: $('composer-input'),
      typist: $('typist'),
      mention: $('mention-toggle'),
      hint: $('composer-hint'),
      error: $('composer-error'),
      replyTarget: $('reply-target'),
      replyLabel: $('reply-label'),
      replyCancel: $('reply-cancel'),
    },
    bot,
    onSend: async ({ roomId, ...body }) => {
      const message = await api.sendMessage(roomId, body);
      receiveMessage(message);
      transcript.scrollToBottom();
    },
  });
  const spaces = new SpaceList({ list: $('space-list'), onSelect: selectRoom });

  function membersOf(room) {
    return room.memberIds.map((id) => people.get(id)).filter(Boolean);
  }

  function describeRoom(room) {
    if (room.type === 'direct')
      return `Direct · with ${membersOf(room).find((p) => p.type === 'bot')?.displayName ?? 'a person'}`;
    return `Group · ${room.memberIds.length} members`;
  }

  function visibleRooms() {
    return [...rooms.values()].filter((r) => membersOf(r).some((p) => p.type === 'person'));
  }

  function renderSpaces() {
    spaces.render(visibleRooms(), currentRoomId, describeRoom);
  }

  function selectRoom(roomId) {
    const room = rooms.get(roomId);
    if (!room) return;
    currentRoomId = roomId;
    $('space-title').textContent = room.title;
    const names = membersOf(room).map((p) => p.displayName);
    $('space-members').textContent = `${room.type === 'direct' ? 'Direct space' : 'Group space'}: ${names.join(', ')}`;
    transcript.show(roomId);
    activity.show(roomId);
    composer.setSpace(
      room,
      membersOf(room).filter((p) => p.type === 'person'),
    );
    renderSpaces();
  }

  function receiveMessage(message, { live = true } = {}) {
    if (!transcript.has(message.id)) {
      transcript.add(message);
      if (live && message.roomId !== currentRoomId) {
        spaces.bump(message.roomId);
        renderSpaces();
      }
    }
    log.addMessage(message, { live });
  }

  function showMessage(messageId) {
    const el = document.querySelector(`article[data-message-id="${CSS.escape(messageId)}"]`);
    if (!el) return;
    openActivity(false);
    for (const m of document.querySelectorAll('article.msg.highlight')) m.classList.remove('highlight');
    el.classList.add('highlight');
    el.tabIndex = -1;
    el.scrollIntoView({ block: 'nearest' });
    el.focus({ preventScroll: true });
  }

  async function refreshState() {
    const fresh = await api.getState();
    // A restarted emulator is a new Webex (new ids): start over.
    if (fresh.bot.id !== bot.id) {
      window.location.reload();
      return;
    }
    for (const p of fresh.people) people.set(p.id, p);
    for (const r of fresh.rooms) rooms.set(r.id, r);
    renderSpaces();
    const room = rooms.get(currentRoomId);
    if (room)
      composer.setSpace(
        room,
        membersOf(room).filter((p) => p.type === 'person'),
      );
  }

  async function loadTranscripts() {
    for (const room of rooms.values()) {
      for (const m of await api.getTranscript(room.id)) receiveMessage(m, { live: false });
    }
  }

  async function resync() {
    try {
      await refreshState();
      await loadTranscripts();
    } catch {
      // The stream reconnects; the next 'open' tries again.
    }
  }

  function onEvent(e) {
    switch (e.kind) {
      case 'message':
        receiveMessage(e.message);
        break;
      case 'message-updated':
        transcript.update(e.message);
        break;
      case 'message-deleted':
        transcript.remove(e.messageId);
        break;
      case 'attachment-action':
        log.addAction(e.action);
        break;
      case 'room-created':
      case 'membership-created':
      case 'membership-deleted':
        void refreshState();
        break;
      case 'delivery':
        log.addDelivery(e);
        break;
      case 'socket-frame':
        log.addFrame(e);
        break;
      case 'api-call':
        if (!log.addCall(e) && e.callerId === bot.id) activity.otherChanged();
        break;
      default:
        break;
    }
  }

  const first = visibleRooms().find((r) => r.type === 'direct' && r.memberIds.includes(bot.id)) ?? visibleRooms()[0];
  if (first) selectRoom(first.id);
  renderSpaces();
  await loadTranscripts();
  for (const d of await api.getDeliveries()) log.addDelivery(d);
  for (const f of await api.getSocketFrames()) log.addFrame(f);
  handle = onEvent;
  for (const e of held.splice(0)) onEvent(e);
  loaded = true;
  if (first) transcript.show(first.id);
  document.body.dataset.ready = 'true';
}

function showConnection(status) {
  const el = $('connection');
  el.dataset.status = status;
  el.textContent = status === 'open' ? 'Live' : status === 'reconnecting' ? 'Reconnecting…' : 'Disconnected';
}

/** The activity panel is a column on wide screens and a drawer on narrow ones. */
function openActivity(open) {
  document.body.classList.toggle('activity-open', open);
  $('activity-toggle').setAttribute('aria-expanded', String(open));
}

$('activity-toggle').addEventListener('click', () => {
  const open = !document.body.classList.contains('activity-open');
  openActivity(open);
  if (open) $('activity').focus();
});
$('activity-close').addEventListener('click', () => {
  openActivity(false);
  $('activity-toggle').focus();
});
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && document.body.classList.contains('activity-open')) {
    openActivity(false);
    $('activity-toggle').focus();
  }
});

start().catch((err) => {
  const banner = $('fatal');
  banner.hidden = false;
  banner.textContent = `The playground could not start: ${err.message}. Is the emulator still running?`;
  document.body.dataset.ready = 'error';
});
