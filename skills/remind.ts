/**
 * remind — reminders, for yourself or for a space:
 * - `remind me in 10 minutes to stretch`, `remind me at 17:00 to call Bob`: a direct message to you;
 * - `remind here every monday at 9:00 to plan the week`: a message to this space, every week;
 * - `remind list` shows yours and this space's; `remind cancel <id>` cancels one (yours, or as an admin any).
 *
 * Times are read in the bot's time zone (`TIME_ZONE`). A job checks every minute for what is due
 * (once per minute across every instance of the bot); reminders due while the bot was down go
 * out when it is back (`missed: 'run-once'`), each once.
 */
import { command, defineSkill, escapeMarkdown, formatTime, nextTime, type JobContext } from 'webex-skill-bot';
import { addReminder, allReminders, getReminder, removeReminder, reschedule, type Reminder } from './_reminders.js';
import { parseReminder } from './_remind-parse.js';

/** What a reminder says when it goes off: what was asked for, and who asked, in a space. */
export function reminderText(r: Reminder): string {
  const what = escapeMarkdown(r.what);
  return 'personId' in r.to ? `⏰ Reminder: ${what}` : `⏰ Reminder from ${escapeMarkdown(r.setBy.name)}: ${what}`;
}

function line(r: Reminder, timeZone: string): string {
  const where = 'personId' in r.to ? 'to you' : 'to this space';
  const repeat = r.cron ? ` (${r.said})` : '';
  return `- \`${r.id}\` ${formatTime(new Date(r.due), timeZone)}${repeat}, ${where}: ${escapeMarkdown(r.what)}`;
}

/** Sends what is due at `ctx.now()`, each reminder once per time it is due. */
async function deliver({ state, send, now, log }: JobContext): Promise<void> {
  const at = now().getTime();
  for (const r of await allReminders(state.skill)) {
    if (r.due > at) continue;
    try {
      // Once per reminder and time: a run again (after a crash) does not send it twice.
      await state.skill.once(
        `sent:${r.id}:${r.due}`,
        async () =>
          (
            await send
              .to('personId' in r.to ? { toPersonId: r.to.personId } : { roomId: r.to.roomId })
              .text(reminderText(r))
          ).id,
        { ttlMs: 2 * 86_400_000 },
      );
    } catch (err) {
      log.warn('a reminder could not be sent; it is tried again next minute', { id: r.id, err: String(err) });
      continue;
    }
    const next = r.cron ? nextTime(r.cron, { timeZone: r.timeZone, after: new Date(Math.max(at, r.due)) }) : undefined;
    if (next) await reschedule(state.skill, r, next.getTime());
    else await removeReminder(state.skill, r.id);
  }
}

export default defineSkill({
  name: 'remind',
  description: 'Reminds you, or a space, of something later',
  commands: [
    command({
      pattern: /^remind (?<whom>me|here) (?<request>.+)$/is,
      usage: 'remind me|here <when> to <what>',
      help: 'Set a reminder: "in 10 minutes", "at 17:00", or "every monday at 9:00"',
      examples: [
        'remind me in 10 minutes to stretch',
        'remind me at 17:00 to call Bob',
        'remind here every monday at 9:00 to plan the week',
      ],
      async handle({ args, person, space, state, reply, now, timeZone }) {
        const parsed = parseReminder(args['request'] ?? '', now(), timeZone);
        if ('problem' in parsed) return reply.text(parsed.problem);
        const forSpace = args['whom']?.toLowerCase() === 'here';
        const r = await addReminder(state.skill, {
          what: parsed.what,
          to: forSpace ? { roomId: space.id } : { personId: person.id },
          setBy: { id: person.id, name: person.displayName },
          spaceId: space.id,
          due: parsed.when.due,
          ...(parsed.when.cron ? { cron: parsed.when.cron } : {}),
          timeZone,
          said: parsed.when.said,
        });
        const whom = forSpace ? 'this space' : 'you';
        const when = r.cron
          ? `${r.said} (first ${formatTime(new Date(r.due), timeZone)})`
          : formatTime(new Date(r.due), timeZone);
        return reply.text(
          `OK, I will remind ${whom} ${when}: ${escapeMarkdown(r.what)}\n\nIt is \`${r.id}\`: \`remind cancel ${r.id}\` cancels it.`,
        );
      },
    }),
    command({
      pattern: 'remind list',
      help: "List your reminders and this space's",
      async handle({ person, space, state, reply, timeZone }) {
        const mine = (await allReminders(state.skill)).filter(
          (r) => ('personId' in r.to && r.to.personId === person.id) || ('roomId' in r.to && r.to.roomId === space.id),
        );
        if (mine.length === 0)
          return reply.text('No reminders for you or this space. Try `remind me in 10 minutes to stretch`.');
        return reply.text(`Reminders:\n${mine.map((r) => line(r, timeZone)).join('\n')}`);
      },
    }),
    command({
      pattern: 'remind cancel <id>',
      help: 'Cancel a reminder you set',
      examples: ['remind cancel R-7K2M9'],
      async handle({ args, person, roles, state, reply }) {
        const r = await getReminder(state.skill, args.id);
        if (!r)
          return reply.text(
            `There is no reminder \`${escapeMarkdown(args.id.toUpperCase())}\`. \`remind list\` shows them.`,
          );
        if (r.setBy.id !== person.id && !roles.has('admin'))
          return reply.text(`Only ${escapeMarkdown(r.setBy.name)}, who set \`${r.id}\`, or an admin can cancel it.`);
        await removeReminder(state.skill, r.id);
        return reply.text(`Cancelled \`${r.id}\`: ${escapeMarkdown(r.what)}`);
      },
    }),
  ],
  jobs: [{ name: 'deliver', cron: '* * * * *', missed: 'run-once', run: deliver }],
});
