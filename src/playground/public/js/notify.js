// "Notify from a script": when the bot serves POST /notify (npm start against the emulator turns
// it on with a made-up token), the chat header offers the curl line and the npm command that post
// a message into the open space, ready to copy. The page itself never calls the bot: it only shows
// the commands (the bot's server allows no other origin).

const $ = (id) => document.getElementById(id);

/** A shell word in single quotes. */
function quoted(text) {
  return `'${String(text).replace(/'/g, `'\\''`)}'`;
}

/** The commands that post `text` into `roomId` through the bot at `notify`. */
export function notifyCommands(notify, roomId, text = 'Build **green**') {
  const body = JSON.stringify({ roomId, markdown: text });
  return {
    curl: [
      `curl -s -X POST ${notify.url} \\`,
      `  -H ${quoted(`Authorization: Bearer ${notify.token}`)} \\`,
      `  -H 'content-type: application/json' \\`,
      `  -d ${quoted(body)}`,
    ].join('\n'),
    npm: `NOTIFY_TOKEN=${notify.token} NOTIFY_URL=${new URL(notify.url).origin} npm run notify -- --room ${roomId} --markdown ${quoted(text)}`,
  };
}

/** The "Notify from a script" box of the chat header. */
export class NotifyBox {
  /** @param {{ url: string, token: string } | undefined} notify from `GET /_emulator/state` */
  constructor(notify) {
    this.notify = notify;
    this.box = $('notify');
    this.box.hidden = notify === undefined;
    for (const button of this.box.querySelectorAll('button[data-copy]')) {
      button.addEventListener('click', () => this.copy(button));
    }
  }

  /** Shows the commands for the open space. */
  show(roomId) {
    if (!this.notify) return;
    const { curl, npm } = notifyCommands(this.notify, roomId);
    $('notify-curl').textContent = curl;
    $('notify-npm').textContent = npm;
  }

  async copy(button) {
    const text = $(button.dataset.copy).textContent;
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = 'Copied';
    } catch {
      button.textContent = 'Select and copy';
    }
    setTimeout(() => {
      button.textContent = 'Copy';
    }, 1500);
  }
}
