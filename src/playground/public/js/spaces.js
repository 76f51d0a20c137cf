// The list of spaces, with an unread count for spaces not on screen.

import { h } from './format.js';

export class SpaceList {
  /**
   * @param {object} o
   * @param {HTMLElement} o.list the <ul>
   * @param {(roomId: string) => void} o.onSelect
   */
  constructor({ list, onSelect }) {
    this.list = list;
    this.onSelect = onSelect;
    this.unread = new Map();
  }

  /** Counts a new message in a space that is not on screen. */
  bump(roomId) {
    this.unread.set(roomId, (this.unread.get(roomId) ?? 0) + 1);
  }

  /** Draws the list; `describe(room)` gives the line under the title. */
  render(rooms, currentId, describe) {
    this.unread.delete(currentId);
    const items = rooms.map((room) => {
      const unread = this.unread.get(room.id) ?? 0;
      return h(
        'li',
        {},
        h(
          'button',
          {
            type: 'button',
            class: 'space',
            'data-room-id': room.id,
            'aria-current': room.id === currentId ? 'true' : undefined,
            onclick: () => this.onSelect(room.id),
          },
          h('span', { class: 'space-title', text: room.title }),
          h('span', { class: 'space-sub', text: describe(room) }),
          unread > 0
            ? h('span', { class: 'unread', 'aria-label': `${unread} unread`, text: String(unread) })
            : undefined,
        ),
      );
    });
    this.list.replaceChildren(...items);
  }
}
