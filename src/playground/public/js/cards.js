// Adaptive Cards, drawn by Microsoft's renderer (`window.AdaptiveCards`, loaded from
// /vendor/adaptivecards.min.js) the way Webex does: Webex's host config, schema 1.3 at most,
// inputs validated by the renderer (isRequired, regex...) before a submission leaves the card.
// A card is rendered once; the caller keeps its element (re-rendering would lose typed input).

import { webexHostConfig } from './host-config.js';
import { renderCardMarkdown } from './markdown.js';

/** Newest Adaptive Card schema version Webex renders. */
export const WEBEX_MAX_CARD_VERSION = '1.3';

let ac;
let hostConfig;

function renderer() {
  if (ac) return ac;
  ac = window.AdaptiveCards;
  if (!ac) throw new Error('The Adaptive Cards renderer did not load (/vendor/adaptivecards.min.js)');
  // Card markdown goes into innerHTML: markdown-it renders it with raw HTML escaped.
  ac.AdaptiveCard.onProcessMarkdown = (text, result) => {
    result.outputHtml = renderCardMarkdown(text);
    result.didProcess = true;
  };
  ac.GlobalSettings.setTabIndexAtCardRoot = false;
  ac.GlobalSettings.displayInputValidationErrors = true;
  hostConfig = new ac.HostConfig(webexHostConfig);
  return ac;
}

/**
 * Why Webex would not show this attachment as a card, or undefined when it would.
 *
 * @example
 * cardProblem({ type: 'AdaptiveCard', version: '1.5', body: [] }) // → 'it declares version 1.5, ...'
 */
export function cardProblem(content) {
  if (typeof content !== 'object' || content === null || Array.isArray(content))
    return 'the attachment is not a JSON object';
  if (content.type !== 'AdaptiveCard') return 'its "type" is not "AdaptiveCard"';
  const version = content.version;
  if (typeof version !== 'string' || !/^\d+\.\d+$/.test(version)) return 'it has no "version" such as "1.3"';
  const [major, minor] = version.split('.').map(Number);
  const [maxMajor, maxMinor] = WEBEX_MAX_CARD_VERSION.split('.').map(Number);
  if (major > maxMajor || (major === maxMajor && minor > maxMinor)) {
    return `it declares version ${version}, and Webex renders Adaptive Cards up to ${WEBEX_MAX_CARD_VERSION}`;
  }
  return undefined;
}

/**
 * Renders a card (call once per message). Handlers:
 * - `onSubmit(inputs)`: an Action.Submit passed validation; `inputs` is the action's data merged
 *   with the input values, as Webex sends them;
 * - `onBlocked()`: a submit button was pressed but the card's validation (the renderer's
 *   `validateInputs`: isRequired, regex...) stopped the submission;
 * - `onOpenUrl(url)`: an Action.OpenUrl.
 * Returns the card's root element and the renderer's notes (e.g. elements newer than 1.3 dropped).
 */
export function renderCard(content, { onSubmit, onBlocked, onOpenUrl }) {
  const AC = renderer();
  const card = new AC.AdaptiveCard();
  card.hostConfig = hostConfig;
  const context = new AC.SerializationContext(AC.Versions.v1_3);
  card.parse(content, context);
  const notes = [];
  for (let i = 0; i < context.eventCount; i++) notes.push(context.getEventAt(i).message);

  card.onExecuteAction = (action) => {
    const type = action.getJsonTypeName();
    if (type === 'Action.Submit') {
      const data = action.data;
      onSubmit(typeof data === 'object' && data !== null ? { ...data } : {});
    } else if (type === 'Action.OpenUrl' && typeof action.url === 'string') {
      onOpenUrl(action.url);
    }
  };
  const element = card.render();
  if (!element) return { element: undefined, notes };
  // Before the renderer handles a press (it stops the click from bubbling), run the submit
  // action's own validation: the renderer then refuses to execute it, and we say why.
  element.addEventListener(
    'click',
    (e) => {
      const pressed = e.target instanceof Element ? e.target.closest('button') : null;
      if (!pressed) return;
      const action = card.getAllActions().find((a) => a.renderedElement === pressed);
      if (action?.getJsonTypeName() === 'Action.Submit' && action.validateInputs().length > 0) onBlocked();
    },
    true,
  );
  return { element, notes };
}
