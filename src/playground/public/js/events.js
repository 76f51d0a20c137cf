// Live updates: the emulator's Server-Sent Events (`/_emulator/events`), one named event per
// EmulatorEvent kind. The browser's EventSource reconnects by itself after a drop.

const KINDS = [
  'message',
  'message-updated',
  'message-deleted',
  'attachment-action',
  'room-created',
  'membership-created',
  'membership-deleted',
  'delivery',
  'socket-frame',
  'api-call',
];

/**
 * Follows the event stream. `onEvent(event)` gets each parsed event; `onStatus(status)` gets
 * 'open' (also after a reconnection), 'reconnecting' or 'closed'. Returns a function that stops.
 */
export function followEvents({ onEvent, onStatus }) {
  const source = new EventSource(`/_emulator/events?kinds=${KINDS.join(',')}`);
  for (const kind of KINDS) {
    source.addEventListener(kind, (e) => {
      let event;
      try {
        event = JSON.parse(e.data);
      } catch {
        return;
      }
      onEvent(event);
    });
  }
  source.addEventListener('open', () => onStatus('open'));
  source.addEventListener('error', () =>
    onStatus(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting'),
  );
  return () => source.close();
}
