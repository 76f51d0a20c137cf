// The message box: who is writing (members of the space who are people), the @mention of the
// bot in group spaces (on by default; without it the bot does not hear the message, as in
// Webex), an optional thread to reply in, a file to attach (one per message, as in Webex), Enter
// to send and Shift+Enter for a new line.

import { excerpt, fileSize, h } from './format.js';

/** Largest file the page sends (the control API takes a JSON body of up to 16 MB, base64 included). */
const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** A file's bytes as base64 (for the control API's JSON). */
async function base64Of(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export class Composer {
  /**
   * @param {object} o
   * @param {Record<string, HTMLElement>} o.el form, input, typist, mention, hint, error, replyTarget
   * @param {{ displayName: string }} o.bot
   * @param {(m: { roomId: string, personId: string, text: string, mention: boolean, parentId?: string }) => Promise<void>} o.onSend
   */
  constructor({ el, bot, onSend }) {
    this.el = el;
    this.bot = bot;
    this.onSend = onSend;
    this.room = undefined;
    this.people = [];
    this.typist = new Map(); // room id → person id
    this.mention = new Map(); // room id → boolean
    this.replyTo = new Map(); // room id → message
    el.form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.send();
    });
    el.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        void this.send();
      } else if (e.key === 'Escape' && this.replyTo.has(this.room?.id)) {
        this.setReplyTarget(undefined);
      }
    });
    el.input.addEventListener('input', () => this.autosize());
    el.mention.addEventListener('click', () => {
      if (!this.room) return;
      this.mention.set(this.room.id, !this.mentionOn());
      this.refresh();
    });
    el.replyCancel.addEventListener('click', () => {
      this.setReplyTarget(undefined);
      el.input.focus();
    });
    this.file = undefined;
    el.file.addEventListener('change', () => this.setFile(el.file.files?.[0]));
    el.fileRemove.addEventListener('click', () => {
      this.setFile(undefined);
      el.input.focus();
    });
  }

  /** The file to send with the next message (undefined: none). */
  setFile(file) {
    const { error, attachment, attachmentName } = this.el;
    error.textContent = '';
    if (file && file.size > MAX_FILE_BYTES) {
      error.textContent = `That file is ${fileSize(file.size)}; the playground sends files up to ${fileSize(MAX_FILE_BYTES)}.`;
      file = undefined;
    }
    this.file = file;
    if (!file) this.el.file.value = '';
    attachment.hidden = !file;
    attachmentName.textContent = file ? `Attached: ${file.name} (${fileSize(file.size)})` : '';
  }

  /** The person writing in a space. */
  typistFor(roomId) {
    return this.typist.get(roomId);
  }

  /** Switches to a space; `people` are its members who are people (not bots). */
  setSpace(room, people) {
    this.room = room;
    this.people = people;
    const current = this.typist.get(room.id);
    if (!current || !people.some((p) => p.id === current)) {
      if (people[0]) this.typist.set(room.id, people[0].id);
      else this.typist.delete(room.id);
    }
    if (!this.mention.has(room.id)) this.mention.set(room.id, true);
    this.renderTypists();
    this.refresh();
  }

  /** Replies go into this message's thread (undefined: to the space). */
  setReplyTarget(message, authorName = '') {
    if (!this.room) return;
    if (message) this.replyTo.set(this.room.id, { message, authorName });
    else this.replyTo.delete(this.room.id);
    this.refresh();
  }

  mentionOn() {
    return this.room?.type === 'group' && this.mention.get(this.room.id) !== false;
  }

  renderTypists() {
    const { typist } = this.el;
    const chosen = this.typist.get(this.room.id);
    const options = this.people.map((p) =>
      h(
        'label',
        { class: 'typist-option' },
        h('input', {
          type: 'radio',
          name: 'typist',
          value: p.id,
          checked: p.id === chosen,
          onchange: () => {
            this.typist.set(this.room.id, p.id);
            this.refresh();
          },
        }),
        h('span', { text: p.displayName }),
      ),
    );
    typist.replaceChildren(h('legend', { text: 'Writing as' }), ...options);
    if (this.people.length === 0) typist.append(h('span', { class: 'note', text: 'No person in this space' }));
  }

  refresh() {
    const { mention, hint, input, replyTarget, replyLabel } = this.el;
    const group = this.room?.type === 'group';
    const on = this.mentionOn();
    mention.hidden = !group;
    mention.setAttribute('aria-pressed', String(on));
    mention.textContent = `@${this.bot.displayName}`;
    mention.title = on
      ? `Mentioning ${this.bot.displayName}: press to write without the mention`
      : `Not mentioning ${this.bot.displayName}: press to mention it`;
    const name = this.people.find((p) => p.id === this.typist.get(this.room?.id))?.displayName ?? 'nobody';
    input.placeholder = `Write a message as ${name}…`;
    input.disabled = this.people.length === 0;
    hint.textContent = !group
      ? 'Enter sends · Shift+Enter adds a line'
      : on
        ? `${this.bot.displayName} is @mentioned: it receives this message · Enter sends · Shift+Enter adds a line`
        : `Not mentioned: in a group space ${this.bot.displayName} does not receive this message (as in Webex)`;
    hint.classList.toggle('warn', group && !on);
    const reply = this.replyTo.get(this.room?.id);
    replyTarget.hidden = !reply;
    replyLabel.textContent = reply
      ? `Replying in the thread of ${reply.authorName}: “${excerpt(reply.message.text ?? reply.message.markdown ?? 'a card', 50)}”`
      : '';
  }

  autosize() {
    const { input } = this.el;
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight, 200)}px`;
  }

  /** Text typed as `@Skill Bot …` (or `@Skill …`) counts as the mention. */
  takeTypedMention(text) {
    const names = [this.bot.displayName, this.bot.displayName.split(/\s+/)[0]];
    for (const name of names) {
      const prefix = `@${name}`;
      if (text.toLowerCase().startsWith(prefix.toLowerCase()) && /^(\s|$)/.test(text.slice(prefix.length)))
        return text.slice(prefix.length).trimStart();
    }
    return undefined;
  }

  async send() {
    const { input, error } = this.el;
    if (!this.room || input.disabled) return;
    let text = input.value.trim();
    const file = this.file;
    if (!text && !file) return;
    let mention = this.mentionOn();
    if (this.room.type === 'group') {
      const rest = this.takeTypedMention(text);
      if (rest !== undefined) {
        text = rest;
        mention = true;
      }
      if (!text && mention && !file) return;
    }
    const personId = this.typist.get(this.room.id);
    const reply = this.replyTo.get(this.room.id);
    const typed = input.value;
    input.value = '';
    this.autosize();
    error.textContent = '';
    try {
      const files = file
        ? [{ name: file.name, type: file.type || undefined, base64: await base64Of(file) }]
        : undefined;
      await this.onSend({
        roomId: this.room.id,
        personId,
        text: text || undefined,
        mention,
        parentId: reply?.message.id,
        files,
      });
      if (reply) this.setReplyTarget(undefined);
      if (file) this.setFile(undefined);
    } catch (err) {
      if (!input.value) input.value = typed;
      this.autosize();
      error.textContent = `Not sent: ${err.message}`;
    }
  }
}
