/**
 * `GET /answer/<token>` and `POST /answer/<token>` (interfaces.md "E-mail"): the page behind an e-mail's
 * link, where a focal point reads the request and answers with the same buttons as on Slack or Teams.
 *
 * - GET only shows (a link scanner that opens it records nothing). POST records, through the same flows
 *   as the chat adapters (reactTroika / recordPosition), with an actor on `platform: 'email'`.
 * - The token (links.ts) is the capability: no password, no cookie, no session. The POST goes to the same
 *   path, so it carries the token; another site cannot forge it without knowing the token.
 * - Refused before the flows, with nothing recorded: a token we did not sign (400, in both languages), an
 *   expired one (410), a consultation that has ended or whose Troika review is over (410), a text that
 *   changed since the e-mail (409), a person no longer in the directory (403), a bad form (400/422).
 *   What only the domain can decide (not a Troika country, not their country) is refused by it (403),
 *   which leaves the refused attempt in the command log like any other, and no event.
 * - Once per answer: the flows' idempotency key is the token id with the answer (links.ts `answerKey`), so
 *   the same POST again changes nothing and says so ("already sent with this link"); the same answer
 *   through another link (a reminder's) is the domain's `already_recorded`: nothing changes, and the page
 *   says it was already recorded (200, not an error). A *different* answer while the consultation is open
 *   is a change of position (or of the Troika reaction), exactly as a second click on Slack or Teams:
 *   recorded, with the earlier one kept in the record (domain.md "A country may change its position
 *   until the consultation closes"). SECURITY.md "Answer links" says what this means for a leaked link.
 * Logs carry the consultation id and the outcome: never the token, the person or what they wrote.
 */
import { SpanKind, inSpan } from '../../tracing.ts';
import { z } from 'zod';
import { authorizePosition, authorizeTroika } from '../../domain/authority.ts';
import { LIMITS, TERMINAL_STAGES, type CommandActor, type ConsultationState, type ParticipantFocalPoint, type Position, type TroikaReaction } from '../../domain/types.ts';
import type { CountryCode, Locale } from '../../directory/model.ts';
import { reactTroika, recordPosition } from '../../flows/consultation-flows.ts';
import { countryName, requestCardFor } from '../../flows/effects.ts';
import type { FlowResult } from '../../flows/execute.ts';
import { findPerson, identify } from '../../flows/people.ts';
import type { FlowDeps } from '../../flows/ports.ts';
import type { RequestContext, Route } from '../../http/server.ts';
import { formatInstant, refusalMessage, t } from '../../i18n/index.ts';
import { requestPage, resultPage, type FormState } from './answer-views.ts';
import { answerKey, type ConsultationLinkClaims, type LinkSigner } from './links.ts';
import { answerInvitation, meetingLink, showInvitation, type MeetingAnswerDeps } from './meeting-answer-page.ts';
import { INVALID, refuse, sendHtml, type Refused } from './page-http.ts';

export interface AnswerPageOptions {
  deps: FlowDeps;
  links: LinkSigner;
  /** Meeting invitations answered by e-mail (links of purpose `meeting`); without it those links are refused. */
  meetings?: MeetingAnswerDeps;
}

const TROIKA: Record<string, TroikaReaction> = { troika_approve: 'approve', troika_changes: 'request_changes', troika_object: 'object' };
const POSITION: Record<string, Position> = { position_support: 'support', position_object: 'object', position_abstain: 'abstain' };
const NEEDS_REASON = new Set(['troika_changes', 'troika_object', 'position_object']);
const DECISION_WORDS = { approve: 'troika_decision.approve', request_changes: 'troika_decision.changes', object: 'troika_decision.object' } as const;

const Form = z.object({
  choice: z.string().max(40),
  reason: z
    .string()
    .optional()
    .transform((s) => (s === undefined ? undefined : s.replace(/\r\n/g, '\n').trim() || undefined)),
});

export function answerRoutes(o: AnswerPageOptions): Route[] {
  return [
    { method: 'GET', path: '/answer', prefix: true, handler: (ctx) => dispatch(o, ctx, 'show') },
    { method: 'POST', path: '/answer', prefix: true, body: 'buffer', handler: (ctx) => dispatch(o, ctx, 'answer') },
  ];
}

/** A meeting invitation's link goes to its own page (meeting-answer-page.ts); every other to the consultation's. */
function dispatch(o: AnswerPageOptions, ctx: RequestContext, what: 'show' | 'answer'): Promise<void> {
  const m = meetingLink(o.links, ctx);
  if (m) {
    if (!o.meetings) return Promise.resolve(refuse(ctx, INVALID));
    const mo = { meetings: o.meetings, links: o.links };
    return what === 'show' ? showInvitation(mo, ctx, m) : answerInvitation(mo, ctx, m);
  }
  return what === 'show' ? show(o, ctx) : answer(o, ctx);
}

// ------------------------------------------------------------------------------------------ resolve

interface Resolved {
  token: string;
  claims: ConsultationLinkClaims;
  state: ConsultationState;
  actor: CommandActor;
  locale: Locale;
  timezone: string;
}

function refusedPage(status: number, code: string, l: Locale, state: ConsultationState, heading: string, lines: string[]): Refused {
  return {
    status,
    code,
    consultationId: state.consultationId,
    html: resultPage(l, { heading, lines, refused: true, title: t(l, 'answer.page_title', { reference: state.reference }) }),
  };
}

/** The token's consultation and person, and whether the link may still act; a page when it may not. */
async function resolve(o: AnswerPageOptions, ctx: RequestContext): Promise<Resolved | Refused> {
  const token = ctx.url.pathname.slice('/answer/'.length);
  if (!ctx.url.pathname.startsWith('/answer/') || token === '' || token.includes('/')) return INVALID;
  const now = o.deps.clock.now();
  const check = o.links.verify(token, now);
  if (!check.ok && check.code === 'tampered') return INVALID;
  const claims = check.claims!;
  if (claims.k === 'meeting') return INVALID; // dispatched before: never here

  const stored = await o.deps.store.load(claims.c);
  if (!stored) return INVALID;
  const state = stored.snapshot as ConsultationState;
  const fp = participant(state, (id) => o.links.personRef(id) === claims.p);
  if (!fp) return INVALID;
  const directory = o.deps.directory.current();
  const live = findPerson(directory, { platform: 'email', personId: fp.personId });
  const l: Locale = live?.person.locale ?? fp.locale;
  const timezone = live?.person.timezone ?? fp.timezone;

  if (!check.ok) return refusedPage(410, 'link_expired', l, state, t(l, 'answer.expired_heading'), [t(l, 'answer.expired')]);
  const actor = identify(directory, { platform: 'email', personId: fp.personId });
  if (!actor) return refusedPage(403, 'not_in_directory', l, state, t(l, 'answer.not_recorded_heading'), [t(l, 'refusal.not_in_directory')]);
  if (TERMINAL_STAGES.includes(state.stage)) {
    return refusedPage(410, 'consultation_closed', l, state, t(l, 'answer.ended_heading'), [t(l, 'refusal.consultation_closed')]);
  }
  if (claims.k === 'troika' && state.stage !== 'troika_review') {
    return refusedPage(410, 'troika_over', l, state, t(l, 'answer.ended_heading'), [t(l, 'answer.troika_over', { reference: state.reference })]);
  }
  if (claims.k === 'member' && state.stage !== 'member_consultation') {
    return refusedPage(409, 'wrong_stage', l, state, t(l, 'answer.not_recorded_heading'), [t(l, 'refusal.wrong_stage')]);
  }
  if (claims.t !== state.currentVersion) {
    return refusedPage(409, 'stale_version', l, state, t(l, 'answer.not_recorded_heading'), [t(l, 'refusal.stale_version'), t(l, 'answer.latest_email')]);
  }
  return { token, claims, state, actor, locale: l, timezone };
}

function participant(state: ConsultationState, match: (personId: string) => boolean): ParticipantFocalPoint | undefined {
  for (const m of state.participants.members) {
    const fp = m.focalPoints.find((f) => match(f.personId));
    if (fp) return fp;
  }
  return undefined;
}

const isRefused = (r: Resolved | Refused): r is Refused => 'html' in r;

/** The domain's own check, for showing a refusal instead of a form nobody could use. */
function authority(r: Resolved): { ok: true; country: CountryCode } | { ok: false; code: string; detail?: Record<string, string | number> } {
  const a = r.claims.k === 'troika' ? authorizeTroika(r.state, r.actor) : authorizePosition(r.state, r.actor, r.actor.country ?? '');
  return a.ok ? { ok: true, country: a.actor.country ?? '' } : { ok: false, code: a.code, ...(a.detail ? { detail: a.detail } : {}) };
}

const STATUS: Record<string, number> = {
  not_authorized: 403,
  not_troika_member: 403,
  author_country: 403,
  not_member_country: 403,
  not_focal_point_of_country: 403,
  country_ambiguous: 403,
  reason_required: 422,
  reason_too_long: 422,
  internal_error: 500,
};
const statusOf = (code: string): number => STATUS[code] ?? 409;

// --------------------------------------------------------------------------------------------- GET

/** The request as the e-mail showed it, with their country's current record and the buttons. */
function formPage(o: AnswerPageOptions, r: Resolved, country: CountryCode, form?: FormState): string | undefined {
  const directory = o.deps.directory.current();
  const card = requestCardFor(r.state, directory, r.actor.personId, r.claims.k === 'troika' ? 'troika_request' : 'member_request');
  if (!card) return undefined;
  return requestPage(r.token, card.message, { locale: r.locale, purpose: r.claims.k, ...currentRecord(o, r, country) }, form);
}

function currentRecord(o: AnswerPageOptions, r: Resolved, country: CountryCode): { current?: string } {
  const l = r.locale;
  const directory = o.deps.directory.current();
  const rec = r.claims.k === 'troika' ? r.state.troikaReactions[country] : r.state.positions[country];
  if (!rec || ('implicit' in rec && rec.implicit)) return {};
  const what = 'reaction' in rec ? t(l, DECISION_WORDS[rec.reaction]) : t(l, `position.${rec.position}`);
  const who = t(l, 'slack.who', { name: rec.by.name, country: countryName(directory, country, l) });
  const when = formatInstant(new Date(rec.at), { locale: l, timeZone: r.timezone });
  return { current: t(l, 'card.recorded', { what, who, when }) };
}

async function show(o: AnswerPageOptions, ctx: RequestContext): Promise<void> {
  const r = await resolve(o, ctx);
  if (isRefused(r)) return refuse(ctx, r);
  const a = authority(r);
  if (!a.ok) return refuse(ctx, refusedPage(statusOf(a.code), a.code, r.locale, r.state, t(r.locale, 'answer.not_recorded_heading'), [refusalMessage(r.locale, a.code, a.detail)]));
  const html = formPage(o, r, a.country);
  if (!html) return refuse(ctx, INVALID);
  sendHtml(ctx.res, 200, html);
}

// -------------------------------------------------------------------------------------------- POST

async function answer(o: AnswerPageOptions, ctx: RequestContext): Promise<void> {
  const r = await resolve(o, ctx);
  if (isRefused(r)) return refuse(ctx, r);
  const l = r.locale;
  const type = String(ctx.req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const fields = type === 'application/x-www-form-urlencoded' ? Object.fromEntries(new URLSearchParams(ctx.body.toString('utf8'))) : undefined;
  const parsed = fields ? Form.safeParse(fields) : undefined;
  const a = authority(r);
  const again = (status: number, form: FormState): void => {
    const html = a.ok ? formPage(o, r, a.country, form) : undefined;
    if (!html) return refuse(ctx, refusedPage(status, 'invalid_input', l, r.state, t(l, 'answer.not_recorded_heading'), [form.error?.text ?? '']));
    ctx.log.info({ adapter: 'email', refusal: 'invalid_input', consultationId: r.state.consultationId }, 'answer form refused');
    sendHtml(ctx.res, status, html);
  };
  const choices = r.claims.k === 'troika' ? TROIKA : POSITION;
  if (!parsed?.success || !Object.hasOwn(choices, parsed.data.choice)) return again(400, { error: { text: t(l, 'answer.choice_invalid') } });
  const { choice, reason } = parsed.data;
  const typed = reason !== undefined ? { reason } : {};
  if (NEEDS_REASON.has(choice) && reason === undefined) return again(422, { error: { text: t(l, 'refusal.reason_required'), field: 'reason' } });
  if (reason !== undefined && [...reason].length > LIMITS.reasonMax) {
    return again(422, { ...typed, error: { text: t(l, 'refusal.reason_too_long', { max: LIMITS.reasonMax }), field: 'reason' } });
  }
  // A reason goes with the answers that take one; a reason typed before choosing "support" is not kept.
  const withReason = NEEDS_REASON.has(choice) ? typed : {};
  const common = { key: answerKey(r.claims, choice), actor: r.actor, consultationId: r.state.consultationId, version: r.claims.t, ...withReason };
  // The request's span (src/tracing.ts), the root of the flow's and the deliveries': the choice (a closed set) and the consultation id only.
  const result: FlowResult = await inSpan(
    'email.answer',
    { kind: SpanKind.SERVER, attributes: { 'crm.platform': 'email', 'crm.intent': 'decide', 'crm.action': choice, 'crm.consultation_id': r.state.consultationId } },
    () =>
      r.claims.k === 'troika'
        ? reactTroika(o.deps, { ...common, reaction: TROIKA[choice]! })
        : recordPosition(o.deps, { ...common, position: POSITION[choice]! }),
  );
  const title = t(l, 'answer.page_title', { reference: r.state.reference });

  // The same answer already recorded for the country (through another link, by a colleague, on chat): not
  // an error for the person, who wanted exactly this on record; the page says so, and nothing changed.
  if (!result.ok && result.code === 'already_recorded') {
    ctx.log.info({ adapter: 'email', refusal: result.code, consultationId: r.state.consultationId }, 'answer already recorded');
    return sendHtml(ctx.res, 200, resultPage(l, { heading: t(l, 'answer.recorded_heading'), lines: [refusalMessage(l, result.code)], refused: false, title, backTo: r.token }));
  }
  if (!result.ok) {
    ctx.log.info({ adapter: 'email', refusal: result.code, consultationId: r.state.consultationId, duplicate: result.duplicate }, 'answer refused by the flows');
    const open = a.ok && !TERMINAL_STAGES.includes(r.state.stage);
    return sendHtml(
      ctx.res,
      statusOf(result.code),
      resultPage(l, { heading: t(l, 'answer.not_recorded_heading'), lines: [refusalMessage(l, result.code, result.detail)], refused: true, title, ...(open ? { backTo: r.token } : {}) }),
    );
  }
  const country = countryName(o.deps.directory.current(), (a.ok ? a.country : r.actor.country) ?? '', l);
  const lines = result.duplicate
    ? [t(l, 'answer.already_sent')]
    : [
        r.claims.k === 'troika'
          ? t(l, 'troika_request.recorded', { country, decision: t(l, DECISION_WORDS[TROIKA[choice]!]) })
          : t(l, 'member_request.recorded', { country, position: t(l, `position.${POSITION[choice]!}`) }),
      ];
  const stillOpen = r.claims.k === 'troika' ? result.state.stage === 'troika_review' : result.state.stage === 'member_consultation';
  ctx.log.info({ adapter: 'email', consultationId: r.state.consultationId, purpose: r.claims.k, duplicate: result.duplicate }, 'answer recorded');
  sendHtml(ctx.res, 200, resultPage(l, { heading: t(l, 'answer.recorded_heading'), lines, refused: false, title, ...(stillOpen ? { backTo: r.token } : {}) }));
}
