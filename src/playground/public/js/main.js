// The chat playground: follows the emulator's event stream from the very start, loads what
// exists through the control API, then lets the page apply the events (held ones first).

import * as api from './api.js';
import { followEvents } from './events.js';
import { ChatPage } from './page.js';
import { wireActivityPanel } from './panel.js';

const $ = (id) => document.getElementById(id);

function showConnection(status) {
  const el = $('connection');
  el.dataset.status = status;
  el.textContent = status === 'open' ? 'Live' : status === 'reconnecting' ? 'Reconnecting…' : 'Disconnected';
}

/**
 * Follows the event stream, holding events until `release(handler)`. `contact` resolves at the
 * stream's first news (open or not); `onOpen` runs on each (re)opening.
 */
function followHeld(onOpen) {
  const held = [];
  let handle = (e) => held.push(e);
  let firstContact;
  const contact = new Promise((resolve) => {
    firstContact = resolve;
  });
  followEvents({
    onEvent: (e) => handle(e),
    onStatus: (status) => {
      showConnection(status);
      firstContact();
      if (status === 'open') onOpen();
    },
  });
  return {
    contact,
    release(handler) {
      handle = handler;
      for (const e of held.splice(0)) handler(e);
    },
  };
}

/** Starts the page: subscribe first (events are held), then load what exists, then apply the held events. */
async function start() {
  let page;
  let loaded = false;
  const stream = followHeld(() => {
    if (loaded) void page.resync();
  });
  await stream.contact;
  page = new ChatPage(await api.getState());
  const first = await page.load();
  stream.release((e) => page.onEvent(e));
  loaded = true;
  if (first) page.transcript.show(first.id);
  document.body.dataset.ready = 'true';
}

wireActivityPanel();
start().catch((err) => {
  const banner = $('fatal');
  banner.hidden = false;
  banner.textContent = `The playground could not start: ${err.message}. Is the emulator still running?`;
  document.body.dataset.ready = 'error';
});
