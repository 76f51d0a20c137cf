// The activity panel ("Webhooks & API calls"): a column on wide screens, a drawer on narrow ones.

const $ = (id) => document.getElementById(id);

/** Opens or closes the panel (on narrow screens; on wide ones it is always shown). */
export function openActivity(open) {
  document.body.classList.toggle('activity-open', open);
  $('activity-toggle').setAttribute('aria-expanded', String(open));
}

function closeAndReturnFocus() {
  openActivity(false);
  $('activity-toggle').focus();
}

/** Wires the panel's toggle button, its close button and Escape. */
export function wireActivityPanel() {
  $('activity-toggle').addEventListener('click', () => {
    const open = !document.body.classList.contains('activity-open');
    openActivity(open);
    if (open) $('activity').focus();
  });
  $('activity-close').addEventListener('click', closeAndReturnFocus);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && document.body.classList.contains('activity-open')) closeAndReturnFocus();
  });
}
