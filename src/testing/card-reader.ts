/**
 * Reading a card message the way a person looks at it, for tests: its inputs (by id or label)
 * with their current values, its buttons, the errors the bot put next to its fields, its text.
 */
import { inputKindOf } from '../cards/card-inputs.js';
import { forEachObject } from '../cards/webex-rules.js';
import { withoutCardEscapes } from '../skill-kit/markdown.js';
import { isRecord } from '../util/is-record.js';

/** What these helpers read of a message: its id, its card (the first attachment), its text. */
export interface CardMessage {
  readonly id: string;
  readonly text?: string;
  readonly markdown?: string;
  readonly attachments?: ReadonlyArray<{ readonly contentType: string; readonly content: Record<string, unknown> }>;
}

/**
 * The card a message carries.
 * @throws when it carries none.
 * @example expect(cardOf(await t.direct.say('provision'))['version']).to.equal('1.3');
 */
export function cardOf(message: CardMessage): Record<string, unknown> {
  const content = message.attachments?.[0]?.content;
  if (!isRecord(content))
    throw new Error(
      `message ${message.id} carries no card (text: ${JSON.stringify(message.markdown ?? message.text ?? '')})`,
    );
  return content;
}

/** One input of a card as shown: id, label, kind and the value it holds now. */
export interface ShownInput {
  readonly id: string;
  readonly label: string | undefined;
  readonly type: string;
  /** What a client would submit for it untouched (Webex leaves out empty text inputs). */
  readonly value: string | undefined;
  readonly valueOn: string;
  readonly valueOff: string;
}

/**
 * The inputs of the card in `message`, in card order.
 * @example expect(inputsShown(again).find((i) => i.id === 'email')?.value).to.equal('ada@');
 */
export function inputsShown(message: CardMessage): ShownInput[] {
  const inputs: ShownInput[] = [];
  forEachObject(cardOf(message), (o) => {
    const kind = inputKindOf(o);
    if (kind === undefined || typeof o['id'] !== 'string') return;
    const valueOn = typeof o['valueOn'] === 'string' ? o['valueOn'] : 'true';
    const valueOff = typeof o['valueOff'] === 'string' ? o['valueOff'] : 'false';
    const raw = o['value'];
    const value = raw === undefined || raw === '' ? (kind === 'toggle' ? valueOff : undefined) : String(raw);
    inputs.push({
      id: o['id'],
      label: typeof o['label'] === 'string' ? o['label'] : undefined,
      type: String(o['type']),
      value,
      valueOn,
      valueOff,
    });
  });
  return inputs;
}

/**
 * The submit buttons of the card in `message`: title and data.
 * @example expect(buttonsShown(summary).map((b) => b.title)).to.include('Cancel this request');
 */
export function buttonsShown(message: CardMessage): Array<{ title: string; data: Record<string, unknown> }> {
  const buttons: Array<{ title: string; data: Record<string, unknown> }> = [];
  forEachObject(cardOf(message), (o) => {
    if (o['type'] === 'Action.Submit')
      buttons.push({ title: String(o['title'] ?? ''), data: isRecord(o['data']) ? o['data'] : {} });
  });
  return buttons;
}

/** What the bot shows as errors on a card sent again: the banner and each field's message by input id. */
export interface CardErrors {
  readonly banner: string | undefined;
  readonly fields: Readonly<Record<string, string>>;
}

/**
 * The errors shown on the card in `message` (none on a fresh card).
 * @example expect(errorsShown(again).fields).to.deep.equal({ email: 'Enter an e-mail address' });
 */
export function errorsShown(message: CardMessage): CardErrors {
  let banner: string | undefined;
  const fields: Record<string, string> = {};
  forEachObject(cardOf(message), (o) => {
    if (o['type'] !== 'TextBlock' || typeof o['id'] !== 'string') return;
    if (o['id'] === '_errors_banner') banner = String(o['text']);
    else if (o['id'].startsWith('_error_')) fields[o['id'].slice('_error_'.length)] = String(o['text']);
  });
  return { banner, fields };
}

/**
 * Every text the card shows (TextBlocks, facts as `title: value`), one per line, as a person reads
 * it (without the backslashes that keep data from being read as markdown).
 * @example expect(textShown(summary)).to.include('E-mail: ada@example.com');
 */
export function textShown(message: CardMessage): string {
  const lines: string[] = [];
  forEachObject(cardOf(message), (o) => {
    if (o['type'] === 'TextBlock' && typeof o['text'] === 'string') lines.push(o['text']);
    if (typeof o['title'] === 'string' && typeof o['value'] === 'string' && o['type'] === undefined)
      lines.push(`${o['title']}: ${o['value']}`);
  });
  return withoutCardEscapes(lines.join('\n'));
}
