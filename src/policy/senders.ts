/**
 * Telling people from bots. Webex bot accounts have `type: bot` and an address at `webex.bot`;
 * by default the bot ignores other bots, which is what keeps two bots from answering each other
 * forever.
 */

/** The domain of every Webex bot account's e-mail address. */
export const WEBEX_BOT_EMAIL_DOMAIN = 'webex.bot';

/**
 * True when the sender is a bot, by its person type when known, else by its address.
 * @example isBotSender({ email: 'helper@webex.bot' }) // → true
 */
export function isBotSender(sender: {
  readonly email?: string | undefined;
  readonly type?: string | undefined;
}): boolean {
  if (sender.type === 'bot') return true;
  return (sender.email ?? '').trim().toLowerCase().endsWith(`@${WEBEX_BOT_EMAIL_DOMAIN}`);
}
