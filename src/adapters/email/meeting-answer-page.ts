/**
 * The page behind a meeting invitation's e-mail link (`GET|POST /answer/<token>`, purpose `meeting`): the
 * invitation as the card shows it, the person's current answer, and the same two buttons as on Slack
 * (`meeting_attend`, `meeting_decline`). The answer is decided and recorded by the same meeting flow as the
 * Slack buttons (flows/meeting-flows.ts `respondToInvitation`, under the meetings' lock).
 *
 * - The token (links.ts `issueMeeting`) names one person, one meeting and one segment; the person must still
 *   be invited to that segment (and be in the directory). GET only shows.
 * - Refused with the reason, nothing recorded: not ours (400, both languages), expired (410), the meeting
 *   over (410), no longer invited (403), a closed-door seat given away meanwhile (409).
 * - Once per answer: the same answer again is the domain's `already_recorded` ("it was already on record",
 *   200, nothing changes); the other answer before the meeting ends is a change, as on Slack.
 * Logs carry the meeting reference and the outcome: never the token or the person.
 */
import { z } from 'zod';
import { localDate } from '../../calendar/index.ts';
import type { Directory, Locale } from '../../directory/model.ts';
import { partyOf, type Invitation, type InvitationResponse, type Meeting } from '../../domain/meetings/index.ts';
import { respondToInvitation, type MeetingDeps } from '../../flows/meeting-flows.ts';
import type { RequestContext } from '../../http/server.ts';
import { formatDate, formatInstant, t } from '../../i18n/index.ts';
import { ACTION_MEETING_ATTEND, ACTION_MEETING_DECLINE, invitationCard } from '../../messages/meeting-invitation.ts';
import { segmentName } from '../../messages/meeting-text.ts';
import { invitationPage, resultPage } from './answer-views.ts';
import type { LinkCheck, LinkSigner, MeetingLinkClaims } from './links.ts';
import { INVALID, refuse, sendHtml, type Refused } from './page-http.ts';

export type MeetingAnswerDeps = MeetingDeps;

export interface MeetingPageOptions {
  meetings: MeetingAnswerDeps;
  links: LinkSigner;
}

/** The token of the path when it is a genuine meeting link (expired or not); undefined otherwise. */
export function meetingLink(links: LinkSigner, ctx: RequestContext): { token: string; check: LinkCheck & { claims: MeetingLinkClaims } } | undefined {
  if (!ctx.url.pathname.startsWith('/answer/')) return undefined;
  const token = ctx.url.pathname.slice('/answer/'.length);
  if (token === '' || token.includes('/')) return undefined;
  // Only what the link is for: its expiry is checked by resolve, on the flows' clock.
  const check = links.verify(token, new Date(0));
  if (!check.ok && check.code === 'tampered') return undefined;
  return check.claims.k === 'meeting' ? { token, check: check as LinkCheck & { claims: MeetingLinkClaims } } : undefined;
}

interface Resolved {
  token: string;
  claims: MeetingLinkClaims;
  meeting: Meeting;
  invitation: Invitation;
  personId: string;
  name: string;
  locale: Locale;
  timezone: string;
  directory: Directory;
}

function refused(status: number, code: string, l: Locale, meeting: Meeting, heading: string, text: string): Refused {
  return { status, code, html: resultPage(l, { heading, lines: [text], refused: true, title: t(l, 'meeting.answer.page_title', { reference: meeting.reference }) }) };
}

async function resolve(o: MeetingPageOptions, ctx: RequestContext, m: { token: string; check: LinkCheck & { claims: MeetingLinkClaims } }): Promise<Resolved | Refused> {
  // The clock of the flows (a test moves it), not the request's.
  const check = o.links.verify(m.token, o.meetings.clock.now());
  if (!check.ok && check.code === 'tampered') return INVALID;
  const claims = check.claims as MeetingLinkClaims;
  const meeting = await o.meetings.meetings.byId(claims.c);
  if (!meeting) return INVALID;
  const invitations = await o.meetings.meetings.invitations(meeting.id);
  const invitation = invitations.find((i) => i.segment === claims.s && o.links.personRef(i.personId) === claims.p);
  const directory = o.meetings.directory.current();
  // Someone the link names but who is no longer invited to that segment: refused, with the reason.
  if (!invitation) {
    const person = [...invitations.map((i) => i.personId)].find((id) => o.links.personRef(id) === claims.p);
    const l = person ? (partyOf(directory, person)?.person.locale ?? 'es') : 'es';
    return refused(403, 'not_invited', l, meeting, t(l, 'answer.not_recorded_heading'), t(l, 'meeting.response.not_invited'));
  }
  const party = partyOf(directory, invitation.personId);
  if (!party) return refused(403, 'not_in_directory', 'es', meeting, t('es', 'answer.not_recorded_heading'), t('es', 'refusal.not_in_directory'));
  const l = party.person.locale;
  // The meeting over says more than "expired" (the link outlives the meeting by a day at most).
  if (localDate(o.meetings.clock.now(), meeting.timezone) > meeting.end) {
    return refused(410, 'meeting_over', l, meeting, t(l, 'meeting.answer.over_heading'), t(l, 'meeting.response.meeting_over', { end: formatDate(meeting.end, l) }));
  }
  if (!check.ok) return refused(410, 'link_expired', l, meeting, t(l, 'answer.expired_heading'), t(l, 'meeting.answer.expired'));
  return {
    token: m.token,
    claims,
    meeting,
    invitation,
    personId: invitation.personId,
    name: party.person.name,
    locale: l,
    timezone: party.person.timezone,
    directory,
  };
}

const isRefused = (r: Resolved | Refused): r is Refused => 'html' in r;

function currentAnswer(r: Resolved, invitation: Invitation): string | undefined {
  if (!invitation.response) return undefined;
  const l = r.locale;
  const what = t(l, invitation.response === 'attend' ? 'meeting.response.recorded_attend' : 'meeting.response.recorded_decline');
  return invitation.respondedAt ? `${what} (${formatInstant(new Date(invitation.respondedAt), { locale: l, timeZone: r.timezone })})` : what;
}

export async function showInvitation(o: MeetingPageOptions, ctx: RequestContext, m: { token: string; check: LinkCheck & { claims: MeetingLinkClaims } }): Promise<void> {
  const r = await resolve(o, ctx, m);
  if (isRefused(r)) return refuse(ctx, r);
  const card = invitationCard(r.directory, r.meeting, r.invitation, r.locale);
  const current = currentAnswer(r, r.invitation);
  sendHtml(ctx.res, 200, invitationPage(r.token, card, { locale: r.locale, ...(current ? { current } : {}) }));
}

const Form = z.object({ choice: z.enum([ACTION_MEETING_ATTEND, ACTION_MEETING_DECLINE]) });

function refusalText(l: Locale, code: string, detail: Record<string, string> | undefined): string {
  switch (code) {
    case 'not_invited':
      return t(l, 'meeting.response.not_invited');
    case 'meeting_over':
      return t(l, 'meeting.response.meeting_over', { end: formatDate(detail?.['end'] ?? '1970-01-01', l) });
    case 'closed_door_seat_taken':
      return t(l, 'meeting.response.closed_door_seat_taken');
    default:
      return t(l, 'meeting.refusal.meeting_not_found');
  }
}
const STATUS: Record<string, number> = { not_invited: 403, meeting_over: 410, closed_door_seat_taken: 409, meeting_not_found: 400 };

export async function answerInvitation(o: MeetingPageOptions, ctx: RequestContext, m: { token: string; check: LinkCheck & { claims: MeetingLinkClaims } }): Promise<void> {
  const r = await resolve(o, ctx, m);
  if (isRefused(r)) return refuse(ctx, r);
  const l = r.locale;
  const title = t(l, 'meeting.answer.page_title', { reference: r.meeting.reference });
  const type = String(ctx.req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const fields = type === 'application/x-www-form-urlencoded' ? Object.fromEntries(new URLSearchParams(ctx.body.toString('utf8'))) : undefined;
  const parsed = fields ? Form.safeParse(fields) : undefined;
  if (!parsed?.success) {
    ctx.log.info({ adapter: 'email', refusal: 'invalid_input', meeting: r.meeting.reference }, 'meeting answer refused');
    const card = invitationCard(r.directory, r.meeting, r.invitation, l);
    const current = currentAnswer(r, r.invitation);
    return sendHtml(ctx.res, 400, invitationPage(r.token, card, { locale: l, ...(current ? { current } : {}) }, t(l, 'answer.choice_invalid')));
  }
  const response: InvitationResponse = parsed.data.choice === ACTION_MEETING_ATTEND ? 'attend' : 'decline';
  const decision = await respondToInvitation(o.meetings, { meetingId: r.meeting.id, segment: r.claims.s, personId: r.personId, response });
  if (!decision.ok) {
    const code = decision.code;
    ctx.log.info({ adapter: 'email', refusal: code, meeting: r.meeting.reference }, 'meeting answer refused: nothing recorded');
    if (code === 'already_recorded') {
      const text = t(l, decision.detail?.['response'] === 'decline' ? 'meeting.response.already_decline' : 'meeting.response.already_attend');
      return sendHtml(ctx.res, 200, resultPage(l, { heading: t(l, 'answer.recorded_heading'), lines: [text], refused: false, title, backTo: r.token, backLabel: t(l, 'meeting.answer.back') }));
    }
    const open = code === 'closed_door_seat_taken';
    return sendHtml(
      ctx.res,
      STATUS[code] ?? 409,
      resultPage(l, { heading: t(l, 'answer.not_recorded_heading'), lines: [refusalText(l, code, decision.detail as Record<string, string> | undefined)], refused: true, title, ...(open ? { backTo: r.token, backLabel: t(l, 'meeting.answer.back') } : {}) }),
    );
  }
  ctx.log.info({ adapter: 'email', meeting: r.meeting.reference, segment: r.claims.s, response }, 'meeting answer recorded');
  const words = { title: r.meeting.title, segment: segmentName(r.claims.s, l) };
  sendHtml(
    ctx.res,
    200,
    resultPage(l, {
      heading: t(l, 'answer.recorded_heading'),
      lines: [t(l, response === 'attend' ? 'meeting.response.attend' : 'meeting.response.decline', words)],
      refused: false,
      title,
      backTo: r.token,
      backLabel: t(l, 'meeting.answer.back'),
    }),
  );
}
