/**
 * provision — request accounts for new colleagues, in the spirit of a provisioning portal:
 * - `provision` sends the request form (cards/provision.json): full name, e-mail, department,
 *   start date, optional manager e-mail. The card declares its rules (required fields, e-mail
 *   patterns, lengths, the department choices, a start date from today on) and the bot enforces
 *   them before `onSubmit` runs; what only this skill knows (an e-mail that already has a
 *   request, a start date that has passed since the form was sent) it sends back the same way,
 *   next to the field.
 * - A valid form becomes one request, stored in the skill's state, and the form is replaced by
 *   a summary card carrying the request id (cards/provision-summary.json), so it cannot be sent
 *   again; a form sent back with errors replaces the old copy too. Sending the same form
 *   again makes no second request; the same submission handled twice (a repeated event) is
 *   confirmed again with the same request (`state.card.once`, keyed by the submission's id).
 * - `provision list` lists this space's requests; `provision cancel <id>` withdraws one, by the
 *   person who requested it or an admin (`ADMIN_EMAILS`), after a Yes on a confirmation card;
 *   `provision all` (admins only) lists the requests of every space.
 */
import { command, defineSkill, escapeMarkdown, form, type SubmitContext } from 'webex-skill-bot';
import {
  allRequests,
  cancelRequest,
  createRequest,
  getRequest,
  normalEmail,
  spaceRequests,
  type AccountRequest,
} from './_provision-requests.js';

/** The departments the form offers (value → title). */
export const DEPARTMENTS: Readonly<Record<string, string>> = {
  engineering: 'Engineering',
  sales: 'Sales',
  marketing: 'Marketing',
  finance: 'Finance',
  people: 'People & HR',
  operations: 'Operations',
};

/**
 * Today's date where the day started last (UTC-12): a start date before it is in the past for
 * everyone, wherever the requester is.
 */
export function earliestStartDate(now = new Date()): string {
  return new Date(now.getTime() - 12 * 3600_000).toISOString().slice(0, 10);
}

function line(r: AccountRequest): string {
  const status = r.status === 'cancelled' ? ' — **cancelled**' : '';
  return `- \`${r.id}\` ${escapeMarkdown(r.fullName)} (${escapeMarkdown(r.email)}), ${DEPARTMENTS[r.department] ?? r.department}, starts ${r.startDate} — requested by ${escapeMarkdown(r.requesterName)}${status}`;
}

type ProvisionInputs = {
  fullName: string;
  email: string;
  department: string;
  startDate: string;
  managerEmail: string | undefined;
};

/** How long a submission's outcome is kept, for a repeat of its event (redeliveries come within hours). */
const SUBMISSION_MEMORY_MS = 7 * 24 * 3600_000;

/** What the card's own rules cannot check: a start date in the past, a manager who is the newcomer. */
function ruleBreaks(inputs: ProvisionInputs): Record<string, string> {
  const errors: Record<string, string> = {};
  if (inputs.startDate < earliestStartDate())
    errors['startDate'] = `${inputs.startDate} has passed: pick today or a later date`;
  if (inputs.managerEmail !== undefined && normalEmail(inputs.managerEmail) === normalEmail(inputs.email))
    errors['managerEmail'] = 'The manager must be someone else';
  return errors;
}

async function submit({
  action,
  inputs,
  person,
  space,
  state,
  reply,
  rejectInputs,
  form,
  log,
}: SubmitContext<ProvisionInputs>): Promise<unknown> {
  const errors = ruleBreaks(inputs);
  if (Object.keys(errors).length > 0) return rejectInputs(errors);

  // Once per submission: if this event is handled again (after a crash, or on another instance
  // after a takeover), the request made the first time is answered again, not made twice.
  const outcome = await state.card.once(
    `submission:${action.id}`,
    () =>
      createRequest(state, {
        fullName: inputs.fullName.trim(),
        email: normalEmail(inputs.email),
        department: inputs.department,
        startDate: inputs.startDate,
        managerEmail: inputs.managerEmail === undefined ? undefined : normalEmail(inputs.managerEmail),
        requesterId: person.id,
        requesterName: person.displayName,
        spaceId: space.id,
        requested: new Date().toISOString(),
      }),
    { ttlMs: SUBMISSION_MEMORY_MS },
  );
  if (outcome.kind === 'already-submitted') {
    return reply.text(
      `This form was already sent: it is request \`${outcome.id}\`. Type \`provision\` for a new form.`,
    );
  }
  if (outcome.kind === 'duplicate-email') {
    const { existing } = outcome;
    return rejectInputs({
      email: `${existing.email} already has a pending request (${existing.id}, by ${existing.requesterName})`,
    });
  }
  const r = outcome.request;
  log.info('account requested', { id: r.id, department: r.department });
  // The accepted form gives way to its summary: nothing left to press.
  return form.editCard(
    'provision-summary',
    {
      id: r.id,
      fullName: r.fullName,
      email: r.email,
      department: DEPARTMENTS[r.department] ?? r.department,
      startDate: r.startDate,
      manager: r.managerEmail ?? '—',
      requestedBy: r.requesterName,
    },
    { fallbackText: `Account requested: ${r.id} for ${r.fullName} (${r.email}), starting ${r.startDate}.` },
  );
}

export default defineSkill({
  name: 'provision',
  description: 'Requests accounts for new colleagues',
  commands: [
    command({
      pattern: 'provision',
      help: 'Open the account request form',
      // The assistant may open it pre-filled ("an account for Ada Lovelace, ada@example.com").
      opensForm: 'provision',
      async handle({ reply }) {
        const departments = Object.entries(DEPARTMENTS).map(([value, title]) => ({ value, title }));
        await reply.card(
          'provision',
          { today: earliestStartDate(), departments },
          { fallbackText: 'Account request form: open this message in Webex to fill it in.' },
        );
      },
    }),
    command({
      pattern: 'provision list',
      help: "List this space's account requests",
      async handle({ state, reply }) {
        const requests = await spaceRequests(state);
        if (requests.length === 0)
          return reply.text('No account requests in this space yet. Type `provision` to make one.');
        return reply.text(`Account requests in this space:\n${requests.map(line).join('\n')}`);
      },
    }),
    command({
      pattern: 'provision cancel <id>',
      help: 'Withdraw a request you made (admins: any request); asks you to confirm first',
      examples: ['provision cancel PRV-7K2M9Q'],
      // Asked only when there is something to cancel: otherwise the handler says why not, at once.
      async confirm({ args, person, roles, space, state }) {
        const request = await getRequest(state, args.id);
        if (!request || request.spaceId !== space.id || request.status === 'cancelled') return undefined;
        if (request.requesterId !== person.id && !roles.has('admin')) return undefined;
        return `Cancel request ${request.id}: the account for ${request.fullName} (${request.email}) will not be created.`;
      },
      async handle({ args, person, roles, space, state, reply }) {
        const request = await getRequest(state, args.id);
        if (request === undefined || request.spaceId !== space.id) {
          return reply.text(
            `There is no request \`${escapeMarkdown(args.id.toUpperCase())}\` in this space. \`provision list\` shows them.`,
          );
        }
        if (request.requesterId !== person.id && !roles.has('admin')) {
          return reply.text(
            `Only ${escapeMarkdown(request.requesterName)}, who requested \`${request.id}\`, or an admin can cancel it.`,
          );
        }
        if (request.status === 'cancelled') return reply.text(`\`${request.id}\` is already cancelled.`);
        await cancelRequest(state, request);
        return reply.text(
          `Cancelled \`${request.id}\`: the account for ${escapeMarkdown(request.fullName)} (${escapeMarkdown(request.email)}) will not be created.`,
        );
      },
    }),
    command({
      pattern: 'provision all',
      help: 'List the account requests of every space (admins only)',
      roles: ['admin'],
      async handle({ state, reply }) {
        const requests = await allRequests(state);
        if (requests.length === 0) return reply.text('No account requests yet.');
        return reply.text(`Every account request:\n${requests.map(line).join('\n')}`);
      },
    }),
  ],
  onSubmit: {
    provision: form({
      inputs: { fullName: 'text', email: 'text', department: 'choice', startDate: 'date', managerEmail: 'text?' },
      handle: submit,
    }),
  },
});
