/**
 * standup — the team's daily stand-up:
 * - `standup here` opts this space in (and you into its list); at 09:30 on weekdays (the bot's
 *   `TIME_ZONE`) the bot posts the stand-up form there: yesterday, today, blockers;
 * - everyone answers on the card (or, without cards, `standup answer`: three questions in a row);
 * - at 10:30 the bot posts the report: each answer, and who is missing (the space's members,
 *   listed from Webex, who did not answer); `standup report` shows it at any time;
 * - `standup leave` / `standup join`: not expected for now / expected again; `standup stop` opts
 *   the space out;
 *   `standup now` posts today's form at once.
 */
import {
  command,
  dayIn,
  defineSkill,
  escapeMarkdown,
  form,
  type AnswerContext,
  type JobContext,
} from 'webex-skill-bot';
import { expectedIn, join, leave, optedIn, optIn, optOut, record, report } from './_standup-records.js';

/** When the form is posted, and when the report is: weekdays, in the bot's time zone. */
export const PROMPT_CRON = '30 9 * * 1-5';
export const REPORT_CRON = '30 10 * * 1-5';

/** `2030-03-04` as people read it: `Monday 4 March`. */
function shown(day: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' }).format(
    new Date(`${day}T12:00:00Z`),
  );
}

function formData(day: string) {
  return { day, dayShown: shown(day) };
}

/** The 09:30 job: the form to every space that opted in. */
async function prompt({ state, send, tick, timeZone, log }: JobContext): Promise<void> {
  const day = dayIn(tick.at, timeZone);
  for (const roomId of await optedIn(state.skill)) {
    try {
      await send
        .to({ roomId })
        .card('standup', formData(day), { fallbackText: `Stand-up, ${day}: type "standup answer" to answer.` });
    } catch (err) {
      log.warn('could not post the stand-up form', { roomId, err: String(err) });
    }
  }
}

/** The 10:30 job: the day's report to every space that opted in. */
async function postReports({ state, send, tick, timeZone, log, members }: JobContext): Promise<void> {
  const day = dayIn(tick.at, timeZone);
  for (const roomId of await optedIn(state.skill)) {
    try {
      const space = state.space(roomId);
      const expected = await expectedIn(space, () => members(roomId), log);
      await send.to({ roomId }).text(await report(space, day, expected));
    } catch (err) {
      log.warn('could not post the stand-up report', { roomId, err: String(err) });
    }
  }
}

/** Steps of `standup answer`: each answer handler asks the next question, carrying what was said. */
const QUESTIONS = {
  today: 'What will you do today?',
  blockers: 'Anything in your way? (say "none" if not)',
} as const;

async function answeredYesterday({ text, ask, asked }: AnswerContext) {
  await ask(QUESTIONS.today, { answer: 'today', data: { ...(asked.data as object), yesterday: text } });
}

async function answeredToday({ text, ask, asked }: AnswerContext) {
  await ask(QUESTIONS.blockers, { answer: 'blockers', data: { ...(asked.data as object), today: text } });
}

async function answeredBlockers({ text, asked, person, state, reply, now }: AnswerContext) {
  const { day, yesterday, today } = asked.data as { day: string; yesterday: string; today: string };
  const blockers = /^(none|no|nothing|-)$/i.test(text.trim()) ? undefined : text;
  await record(state.space, day, person.id, {
    name: person.displayName,
    yesterday,
    today,
    blockers,
    at: now().toISOString(),
  });
  await reply.text(`Thanks ${escapeMarkdown(person.displayName)}, noted for ${day}.`);
}

export default defineSkill({
  name: 'standup',
  description: 'Runs a daily stand-up in a space',
  commands: [
    command({
      pattern: 'standup here',
      help: 'Post the stand-up form in this space every weekday morning',
      async handle({ space, state, reply, timeZone }) {
        await optIn(state.skill, space.id);
        await reply.text(
          `Stand-up is on in this space: the form comes at 09:30 on weekdays (${timeZone}), the report at 10:30, naming who in this space has not answered. Anyone away types \`standup leave\`.`,
        );
      },
    }),
    command({
      pattern: 'standup stop',
      help: 'No more stand-ups in this space',
      async handle({ space, state, reply }) {
        const was = await optOut(state.skill, space.id);
        await reply.text(was ? 'Stand-up is off in this space.' : 'Stand-up was not on in this space.');
      },
    }),
    command({
      pattern: 'standup join',
      help: "Be expected at this space's stand-up again (after standup leave)",
      async handle({ person, state, reply }) {
        await join(state.space, person.id);
        await reply.text(`You are on the list, ${escapeMarkdown(person.displayName)}.`);
      },
    }),
    command({
      pattern: 'standup leave',
      help: "Not be expected at this space's stand-up (away, or not on the team)",
      async handle({ person, state, reply }) {
        await leave(state.space, person);
        await reply.text(
          'You are off the list: the report will not count you as missing. `standup join` to come back.',
        );
      },
    }),
    command({
      pattern: 'standup now',
      help: "Post today's stand-up form now",
      async handle({ reply, now, timeZone }) {
        const day = dayIn(now(), timeZone);
        await reply.card('standup', formData(day), {
          fallbackText: `Stand-up, ${day}: type "standup answer" to answer.`,
        });
      },
    }),
    command({
      pattern: 'standup answer',
      help: "Answer today's stand-up as three questions (no card needed)",
      async handle({ ask, now, timeZone }) {
        await ask('What did you do yesterday? (`cancel` to stop)', {
          answer: 'yesterday',
          data: { day: dayIn(now(), timeZone) },
        });
      },
    }),
    command({
      pattern: 'standup report',
      help: "Today's answers, and who is missing",
      async handle({ state, reply, now, timeZone, space, log }) {
        const expected = await expectedIn(state.space, () => space.members(), log);
        await reply.text(await report(state.space, dayIn(now(), timeZone), expected));
      },
    }),
  ],
  onSubmit: {
    standup: form({
      inputs: { yesterday: 'text', today: 'text', blockers: 'text?' },
      async handle({ inputs, button, person, state, reply, now, timeZone }) {
        const day = typeof button['day'] === 'string' ? button['day'] : dayIn(now(), timeZone);
        await record(state.space, day, person.id, {
          name: person.displayName,
          yesterday: inputs.yesterday.trim(),
          today: inputs.today.trim(),
          blockers: inputs.blockers?.trim() || undefined,
          at: now().toISOString(),
        });
        await reply.text(`Thanks ${escapeMarkdown(person.displayName)}, noted for ${day}.`);
      },
    }),
  },
  answers: { yesterday: answeredYesterday, today: answeredToday, blockers: answeredBlockers },
  jobs: [
    { name: 'prompt', cron: PROMPT_CRON, missed: 'skip', run: prompt },
    { name: 'report', cron: REPORT_CRON, missed: 'skip', run: postReports },
  ],
});
