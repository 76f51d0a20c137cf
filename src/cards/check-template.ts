/**
 * Checking a card template before anyone sees it: rendered with its sample data
 * (`cards/<id>.data.json`), or with placeholders when it has none, then checked as Webex would
 * take it. Start-up and `npm run cards:check` both run this.
 */
import { checkCard } from './check-card.js';
import { expandTemplate, unfilledExpressions, withPlaceholders } from './expand-template.js';

/** The outcome of checking one template. */
export interface TemplateCheck {
  /** What is wrong, in words the card's author can act on; empty when the card is fine. */
  readonly problems: readonly string[];
  /** The card rendered with the sample data (or placeholders), when it renders at all. */
  readonly preview: Record<string, unknown> | undefined;
}

/**
 * Renders `template` with `sample` (or placeholders) and checks the result.
 *
 * @example
 * checkTemplate({ type: 'AdaptiveCard', version: '1.3', body: [{ type: 'TextBlock', text: '${who}' }] }, {}).problems
 * // → ['"${who}" is left after rendering with the sample data: give it a value in the data file, or fix the expression']
 */
export function checkTemplate(template: unknown, sample: Readonly<Record<string, unknown>> | undefined): TemplateCheck {
  let rendered: Record<string, unknown>;
  try {
    rendered = expandTemplate(template, sample ?? {});
  } catch (err) {
    return { problems: [`the template does not render: ${(err as Error).message}`], preview: undefined };
  }
  const problems: string[] = [];
  if (sample !== undefined) {
    for (const expression of unfilledExpressions(rendered)) {
      problems.push(
        `"${expression}" is left after rendering with the sample data: give it a value in the data file, or fix the expression`,
      );
    }
  } else {
    rendered = withPlaceholders(rendered) as Record<string, unknown>;
  }
  problems.push(...checkCard(rendered));
  return { problems, preview: rendered };
}
