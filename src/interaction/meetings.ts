/**
 * Meetings on the interaction layer (interfaces.md "Meetings"), for every platform alike: what the meeting
 * commands answer, who may open which meeting form, what an invitation card's buttons record, and what the
 * meeting forms' submissions say. Called by ./interaction.ts when meetings are configured; no platform here.
 *
 *   /crm reunion | meeting       the `meeting_new` form for PPT focal points and ST staff (at once, from
 *                                memory: ./interaction.ts preflight); anyone else in the directory: why not
 *   /crm reuniones | meetings    anyone the directory lists for meetings (delegates, observers' and
 *                                organisations' people, ST staff): the upcoming meetings and their own
 *                                invitations; a Member Country's focal point also gets a button per meeting
 *                                (`meeting_delegation_open`) that opens the `meeting_delegation` form
 *   /crm pendientes | duties     ST staff and Member Countries' focal points: the duties still owed
 *   meeting_attend / _decline    only the person invited; recorded under the meetings' lock; the clicked card
 *                                becomes the invitation with "Answer recorded …" (a `card` reply, buttons
 *                                kept) and the person is told privately; a refusal says why, records nothing
 *   meeting_new (submitted)      field errors first, then the domain's refusal on its field; the meeting's
 *                                id comes from the submission's key, so a retry or a replay records it once
 *   meeting_delegation           all or nothing: each person refused on their segment's field, with why
 *
 * People not in the directory are told so in both languages and logged without personal data.
 */
import type { Directory, Locale, Person } from '../directory/model.ts';
import { maySeeAnyConsultation, mayStartConsultation } from '../domain/authority.ts';
import { partiesOf } from '../domain/meetings/index.ts';
import type { CommandActor } from '../domain/types.ts';
import type { ObserverStepCommand, ParsedCommand } from '../commands/catalogue.ts';
import { advanceObserverApplication, listObserverApplications, openObserverApplication } from '../flows/observer-application-flows.ts';
import { observerListMessage, observerStepText } from '../messages/observer-messages.ts';
import {
  addMeeting,
  meetingsSnapshot,
  registerDelegation,
  respondToInvitation,
  upcomingMeetings,
  type MeetingDeps,
} from '../flows/meeting-flows.ts';
import type { FlowDeps } from '../flows/ports.ts';
import { formatDate, formatInstant, t } from '../i18n/index.ts';
import type { Logger } from '../log.ts';
import { invitationCard } from '../messages/meeting-invitation.ts';
import { dutiesMessage, upcomingMeetingsMessage } from '../messages/meeting-lists.ts';
import { ineligibleText, segmentName, warningText } from '../messages/meeting-text.ts';
import type { CardUpdate } from './decisions.ts';
import type { HandleOptions } from './interaction.ts';
import type { ChatPlatform, Identity } from './identity.ts';
import type { FormValues } from './forms.ts';
import type { Intent, Outcome, Reply, SubmittedContext } from './intent.ts';
import { delegationCurrent, parseDelegationForm, parseMeetingNewForm } from './meeting-forms.ts';
import { within } from './pacing.ts';
import { FIELD_OF, notInDirectoryText } from './refusals.ts';

export type MeetingCommandName = 'meeting' | 'meetings' | 'duties' | 'observers' | 'observer';
export const MEETING_COMMANDS: ReadonlySet<string> = new Set<MeetingCommandName>(['meeting', 'meetings', 'duties', 'observers', 'observer']);

const notice = (text: string): Reply => ({ kind: 'notice', text });
const formNotice = (text: string): Reply => ({ kind: 'form_notice', text });

/** Anyone the directory lists for meetings, by their id on `platform` (the console's is the person's id). */
export function meetingPersonOf(directory: Directory, platform: ChatPlatform, userId: string): Person | undefined {
  if (!userId) return undefined;
  if (platform === 'console') return partiesOf(directory).get(userId.trim().toLowerCase())?.person;
  for (const party of partiesOf(directory).values()) if (party.person[platform] === userId) return party.person;
  return undefined;
}

/** Why an invitation answer was refused, in the person's words. */
export function answerRefusalText(l: Locale, code: string, detail: Record<string, string> | undefined): string {
  switch (code) {
    case 'not_invited':
      return t(l, 'meeting.response.not_invited');
    case 'meeting_over':
      return t(l, 'meeting.response.meeting_over', { end: formatDate(detail?.['end'] ?? '1970-01-01', l) });
    case 'closed_door_seat_taken':
      return t(l, 'meeting.response.closed_door_seat_taken');
    case 'already_recorded':
      return detail?.['response'] === 'decline' ? t(l, 'meeting.response.already_decline') : t(l, 'meeting.response.already_attend');
    default:
      return t(l, 'meeting.refusal.meeting_not_found');
  }
}

/** Why a new meeting was refused, in the person's words. */
export function newMeetingRefusalText(l: Locale, code: string, detail: Record<string, unknown> = {}): string {
  switch (code) {
    case 'invalid_date':
    case 'end_before_start':
    case 'no_ppt_on_start':
    case 'country_not_in_directory':
      return t(l, `meeting.form.refusal.${code}`);
    case 'too_long':
      return t(l, 'meeting.form.refusal.too_long', { max: String(detail['max'] ?? '') });
    default:
      return t(l, 'meeting.form.refusal.other');
  }
}

export interface MeetingInteractionOptions {
  deps: FlowDeps;
  meetings: MeetingDeps;
  identity: Identity;
  logger: Logger;
}

export class MeetingInteraction {
  constructor(private readonly o: MeetingInteractionOptions) {}

  private get directory(): Directory {
    return this.o.identity.current();
  }

  private mayStart(actor: CommandActor | undefined): boolean {
    return mayStartConsultation(actor, this.directory, this.o.deps.clock.now());
  }

  /** Anyone the directory lists for meetings (focal points and staff included), with their language. */
  person(userId: string): Person | undefined {
    return this.o.identity.known(userId).known?.person ?? meetingPersonOf(this.directory, this.o.identity.platform, userId);
  }

  /** The language to answer in right away (memory only). */
  localeOf(userId: string): Locale {
    return this.person(userId)?.locale ?? this.o.identity.knownLocale(userId);
  }

  /** From memory only: the new-meeting form for who may record one; a loading form before the delegation form. */
  preflight(userId: string, intent: Intent, commandName?: string): Reply | undefined {
    const { actor, known } = this.o.identity.known(userId);
    if (intent.kind === 'command' && commandName === 'meeting' && actor && this.mayStart(actor)) {
      return { kind: 'form', form: { form: 'meeting_new', ...(intent.origin ? { origin: intent.origin } : {}) } };
    }
    if (intent.kind === 'open_form' && intent.form === 'meeting_delegation' && known?.country) return { kind: 'loading' };
    return undefined;
  }

  private async stranger(userId: string, what: Record<string, unknown>, reply: (text: string) => Reply = notice): Promise<Outcome> {
    this.o.identity.logStranger(userId, what);
    const who = await this.o.identity.who(userId);
    return { locale: who.locale, now: [reply(notInDirectoryText())] };
  }

  // ---------------------------------------------------------------------------------------- commands

  /** `reunion` (when the form did not open), `reuniones`, `pendientes`, `observadores`, `observador …`. */
  async command(userId: string, parsed: Extract<ParsedCommand, { name: MeetingCommandName }>, first: readonly Reply[], opts: HandleOptions): Promise<Outcome> {
    const name = parsed.name;
    const person = this.person(userId);
    if (!person) {
      const out = await this.stranger(userId, { command: name });
      return { ...out, now: [...first, ...out.now] };
    }
    const l = person.locale;
    const { actor, known } = this.o.identity.known(userId);
    const done = (replies: Reply[]): Outcome => ({ locale: l, now: [...first, ...replies] });
    const directory = this.directory;
    switch (name) {
      case 'meeting':
        // Reaches here only when the person may not record one (the form opened in the preflight otherwise).
        this.o.logger.info({ command: name, code: 'not_authorized' }, `${this.o.identity.platform}: new meeting refused`);
        return done([notice(t(l, 'meeting.manage_only'))]);
      case 'duties': {
        if (!maySeeAnyConsultation(actor)) return done([notice(t(l, 'duty.no_access'))]);
        const snap = await meetingsSnapshot(this.o.meetings);
        return done([{ kind: 'message', message: dutiesMessage(directory, snap.tracked, snap.meetings, l) }]);
      }
      case 'meetings': {
        const upcoming = await upcomingMeetings(this.o.meetings);
        const message = upcomingMeetingsMessage(directory, upcoming, { personId: person.id, locale: l, ...(known?.country ? { delegationOf: known.country } : {}) });
        return done([{ kind: 'message', message }]);
      }
      case 'observers': {
        if (!maySeeAnyConsultation(actor)) return done([notice(t(l, 'observer.no_access'))]);
        return done([{ kind: 'message', message: observerListMessage(await listObserverApplications(this.o.meetings), l) }]);
      }
      case 'observer': {
        if (!parsed.step) return done([]);
        if (!actor || !this.mayStart(actor)) {
          this.o.logger.info({ command: name, code: 'not_authorized' }, `${this.o.identity.platform}: observer application step refused`);
          return done([notice(t(l, 'observer.manage_only'))]);
        }
        return done(await this.observerStep(parsed.step, l, opts));
      }
    }
  }

  /**
   * One step of an observer application, recorded and announced (flows/observer-application-flows.ts). A
   * repeat of a step already recorded (a platform's retry, a replay) says nothing twice; one open case per
   * applicant, so a repeated `solicitud` opens none.
   */
  private async observerStep(step: ObserverStepCommand, l: Locale, opts: HandleOptions): Promise<Reply[]> {
    const refused = (code: string, open?: string): Reply[] => {
      this.o.logger.info({ requestId: opts.requestId, code }, 'observer application step refused: nothing recorded');
      return [notice(open !== undefined ? t(l, 'observer.refusal.application_open', { id: open }) : t(l, `observer.refusal.${code as 'case_closed'}`))];
    };
    if (step.type === 'apply') {
      const same = (await this.o.meetings.meetings.applications()).find(
        (a) => a.applicant.kind === step.applicant.kind && a.applicant.code === step.applicant.code && (a.stage === 'received' || a.stage === 'presented'),
      );
      if (same) return opts.repeat ? [] : refused('application_open', same.id);
      const r = await openObserverApplication(this.o.meetings, { applicant: step.applicant });
      if (!r.ok) return refused(r.code);
      return [notice(t(l, 'observer.recorded', { id: r.application.id, step: observerStepText(r.application, l) }))];
    }
    const r = await advanceObserverApplication(
      this.o.meetings,
      step.id,
      step.type === 'withdraw' ? { type: 'withdraw' } : step.type === 'present' ? { type: 'present', meeting: step.meeting } : { type: 'decide', meeting: step.meeting, outcome: step.outcome },
    );
    if (!r.ok) {
      const again = (step.type === 'present' && r.code === 'already_presented') || r.code === 'case_closed';
      return again && opts.repeat ? [] : refused(r.code);
    }
    return [notice(t(l, 'observer.recorded', { id: r.application.id, step: observerStepText(r.application, l) }))];
  }

  // ---------------------------------------------------------------------------------------- buttons

  /** `meeting_delegation_open`: the delegation form, for a focal point of a country (a loading form may be open). */
  async openDelegation(userId: string, intent: Extract<Intent, { kind: 'open_form'; form: 'meeting_delegation' }>, opts: HandleOptions): Promise<Outcome> {
    const { known } = this.o.identity.known(userId);
    if (opts.replay) return { locale: this.localeOf(userId), now: [] }; // never stored; a replay cannot open a form
    if (!known) {
      const person = this.person(userId);
      if (!person) return this.stranger(userId, { action: 'meeting_delegation_open' });
      return { locale: person.locale, now: [notice(t(person.locale, 'meeting.delegation.focal_points_only'))] };
    }
    const l = known.person.locale;
    if (!known.country) return { locale: l, now: [notice(t(l, 'meeting.delegation.focal_points_only'))] };
    const pre: Reply[] = 'preflighted' in opts ? [] : [{ kind: 'loading' }];
    const meeting = intent.meetingId ? await this.o.meetings.meetings.byId(intent.meetingId) : undefined;
    if (!meeting) {
      if (!intent.meetingId) this.o.logger.warn({ requestId: opts.requestId, action: 'meeting_delegation_open', reason: 'malformed button value' }, `${this.o.identity.platform}: invalid button`);
      return { locale: l, now: [...pre, formNotice(t(l, 'meeting.refusal.meeting_not_found'))] };
    }
    const invitations = await this.o.meetings.meetings.invitations(meeting.id);
    const delegation = { meetingId: meeting.id, country: known.country, ...(intent.origin ? { channelId: intent.origin } : {}) };
    return { locale: l, now: [...pre, { kind: 'form', form: { form: 'meeting_delegation', delegation, current: delegationCurrent(this.directory, meeting, known.country, invitations, l) } }] };
  }

  /** `meeting_attend` / `meeting_decline` on an invitation card. */
  async answer(userId: string, intent: Extract<Intent, { kind: 'answer_invitation' }>, opts: HandleOptions): Promise<Outcome> {
    const person = this.person(userId);
    if (!person) return this.stranger(userId, { action: `meeting_${intent.response}` });
    const l = person.locale;
    const target = intent.target;
    if (!target) {
      this.o.logger.warn({ requestId: opts.requestId, action: `meeting_${intent.response}`, reason: 'malformed button value' }, `${this.o.identity.platform}: invalid meeting button`);
      return { locale: l, now: [notice(t(l, 'meeting.response.invalid_button'))] };
    }
    const decision = await respondToInvitation(this.o.meetings, { ...target, personId: person.id, response: intent.response });
    if (!decision.ok) {
      // A platform's retry, or a replay, of a click already answered says nothing twice.
      if (decision.code === 'already_recorded' && opts.repeat) return { locale: l, now: [] };
      this.o.logger.info({ requestId: opts.requestId, code: decision.code }, 'meeting answer refused: nothing recorded');
      return { locale: l, now: [notice(answerRefusalText(l, decision.code, decision.detail))] };
    }
    const meeting = decision.meeting!;
    this.o.logger.info({ requestId: opts.requestId, meeting: meeting.reference, segment: target.segment, response: intent.response }, 'meeting answer recorded');
    const words = { title: meeting.title, segment: segmentName(target.segment, l) };
    const thanks = notice(t(l, intent.response === 'attend' ? 'meeting.response.attend' : 'meeting.response.decline', words));
    if (!intent.card) return { locale: l, now: [thanks] };
    // The clicked invitation, for the person who clicked (it is theirs alone: no outbox row updates it).
    const update: CardUpdate = {
      ...invitationCard(this.directory, meeting, decision.invitation, l),
      recorded: {
        who: person.name,
        what: t(l, intent.response === 'attend' ? 'meeting.response.recorded_attend' : 'meeting.response.recorded_decline'),
        when: formatInstant(this.o.meetings.clock.now(), { locale: l, timeZone: person.timezone }),
      },
      // The answer may change until the meeting ends.
      keepButtons: true,
      updates: intent.card,
    };
    return { locale: l, now: [{ kind: 'card', update, inPlace: true }, thanks] };
  }

  // ---------------------------------------------------------------------------------------- forms

  /** A meeting form submitted by someone in the directory (`actor`, `known`: ./interaction.ts checked them). */
  async submit(
    userId: string,
    actor: CommandActor,
    intent: { form: 'meeting_new' | 'meeting_delegation'; values?: FormValues; context?: SubmittedContext },
    opts: HandleOptions,
  ): Promise<Outcome> {
    const { known } = this.o.identity.known(userId);
    const l = known?.person.locale ?? this.localeOf(userId);
    const done = (now: Reply[]): Outcome => ({ locale: l, now });
    const { values, context } = intent;
    const directory = this.directory;

    if (intent.form === 'meeting_new') {
      if (!values) return done([{ kind: 'field_errors', errors: { kind: t(l, 'refusal.invalid_input') } }]);
      const parsed = parseMeetingNewForm(values, l);
      if (!parsed.ok) return done([{ kind: 'field_errors', errors: compact(parsed.errors) }]);
      if (!this.mayStart(actor)) return done([formNotice(t(l, 'meeting.manage_only'))]);
      const work = addMeeting(this.o.meetings, { ...parsed.value, key: opts.key });
      return this.settle(l, opts, work, (r) => {
        if (r.ok) {
          if (r.duplicate && opts.repeat) return { said: undefined };
          const m = r.view.meeting;
          if (!r.duplicate) this.o.logger.info({ requestId: opts.requestId, meeting: m.reference }, `meeting recorded from ${this.o.identity.platform}`);
          return { said: [t(l, 'meeting.form.recorded', { reference: m.reference, title: m.title }), ...r.view.warnings.map((w) => warningText(directory, w, l))].join('\n') };
        }
        const text = newMeetingRefusalText(l, r.code, r.detail as Record<string, unknown> | undefined);
        const field = FIELD_OF.meeting_new[r.code];
        return field ? { errors: { [field]: text } } : { refused: t(l, 'meeting.form.not_recorded', { reason: text }) };
      });
    }

    // meeting_delegation
    const meta = context?.form === 'meeting_delegation' ? context.delegation : undefined;
    if (!meta || !known?.country || meta.country !== known.country) return done([formNotice(t(l, 'meeting.delegation.focal_points_only'))]);
    const meeting = await this.o.meetings.meetings.byId(meta.meetingId);
    if (!meeting) return done([formNotice(t(l, 'meeting.refusal.meeting_not_found'))]);
    if (!values) return done([{ kind: 'field_errors', errors: { [meeting.segments[0] ?? 'main']: t(l, 'refusal.invalid_input') } }]);
    const people = parseDelegationForm(values, meeting.segments);
    if (people.length === 0) return done([formNotice(t(l, 'meeting.delegation.empty'))]);
    const work = registerDelegation(this.o.meetings, { meetingId: meeting.id, country: meta.country, people });
    return this.settle(l, opts, work, (d) => {
      if (d.ok) {
        this.o.logger.info({ requestId: opts.requestId, meeting: meeting.reference, country: meta.country, invited: d.invitations.length }, 'delegation recorded');
        return { said: t(l, 'meeting.delegation.recorded', { count: d.invitations.length, title: meeting.title }) };
      }
      if (!('refusals' in d)) return { refused: t(l, 'meeting.refusal.meeting_not_found') };
      // The same submission again (a retry, a replay after it was recorded): everyone is already invited.
      if (opts.repeat && d.refusals.every((r) => r.code === 'already_invited')) return { said: undefined };
      // Each refusal on its segment's field, naming the person and why; nothing was recorded.
      const errors: Record<string, string> = {};
      for (const r of d.refusals) {
        const name = partiesOf(directory).get(r.email.toLowerCase())?.person.name ?? r.email;
        const line = t(l, 'meeting.delegation.refused_person', { name, reason: ineligibleText(directory, r.code, r.detail, l) });
        errors[r.segment] = errors[r.segment] ? `${errors[r.segment]}\n${line}` : line;
      }
      this.o.logger.info({ requestId: opts.requestId, meeting: meeting.reference, refused: d.refusals.map((r) => r.code) }, 'delegation refused: nothing recorded');
      return { errors };
    });
  }

  /**
   * Waits for `work` within the budget: what `judge` makes of the result replaces the form (a notice, the
   * errors on their fields, or the form just closes); too slow, or replayed, the form closes now and the
   * outcome is said privately later (errors too, as a notice).
   */
  private async settle<R>(
    l: Locale,
    opts: HandleOptions,
    work: Promise<R>,
    judge: (r: R) => { said: string | undefined } | { refused: string } | { errors: Record<string, string> },
  ): Promise<Outcome> {
    const early = opts.replay ? ({ done: false } as const) : await within(work, opts.budgetMs ?? 2000);
    if (!early.done) {
      const later = work.then((r): Reply[] => {
        const j = judge(r);
        const text = 'said' in j ? j.said : 'refused' in j ? j.refused : Object.values(j.errors).join('\n');
        return text ? [notice(text)] : [];
      });
      return { locale: l, now: [{ kind: 'close_form' }], later };
    }
    const j = judge(early.value);
    if ('errors' in j) return { locale: l, now: [{ kind: 'field_errors', errors: j.errors }] };
    const text = 'said' in j ? j.said : j.refused;
    return { locale: l, now: [text ? formNotice(text) : { kind: 'close_form' }] };
  }
}

function compact(errors: Partial<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, m] of Object.entries(errors)) if (m) out[k] = m;
  return out;
}
