/**
 * The interaction layer: an intent in (a command typed, a button clicked, a form submitted, the home view
 * opened), platform-neutral replies out (./intent.ts). No platform here: the adapters turn their payloads
 * into intents and present the replies (a lint rule keeps Slack and Teams out of src/interaction).
 *
 *   const interaction = new Interaction({ deps, reader, identity, logger });
 *   const early = interaction.preflight(userId, intent);           // memory only: a form to open at once
 *   if (early) await present([early]);                              //   (Slack's trigger expires in 3 s)
 *   const out = await interaction.handle(userId, intent, { key, budgetMs, preflighted: early });
 *   await present(out.now);                                         // e.g. a Slack view submission's ack
 *   if (out.later) await present(await out.later);                  // past the budget: said privately
 *
 * What it decides, for every platform alike:
 *   - commands (src/commands): the help, `plazo`, `estado`, `lista` (ST and Member Countries only), and the
 *     forms: `consulta` for who may start one, `revisar|prorrogar|retirar REF` once the consultation is read
 *     and the person's authority checked (a refusal instead of the form). `revisar REF` on a consultation the
 *     Troika did not endorse opens the resend form (refused when it was already resent, naming by whom);
 *   - decisions: approve / support / abstain run at once (idempotency key: the click); changes and
 *     objections ask for a reason first, after an access check given `budgetMs` (a refusal then comes
 *     instead of the form; a later refusal replaces the form). The clicked card is updated through the
 *     outbox (./decisions.ts); a decision taken from the home view refreshes it and says what was recorded;
 *   - submissions: the form's own checks (./forms.ts) first, then the flow within `budgetMs`: field errors
 *     (a refusal that names a field, ./refusals.ts), a notice in place of the form, or the form closes and
 *     the outcome comes later as a notice. A repeat (a platform's retry, a replay) says nothing twice;
 *   - meetings (./meetings.ts, when `meetings` is given): `reunion` opens `meeting_new` from memory for who
 *     may record one, `reuniones` and `pendientes` answer delegates and observers' people too, the invitation
 *     buttons (`answer_invitation`) replace the clicked card (`card` reply), the delegation button
 *     (`open_form` `meeting_delegation`) opens its form after a loading form, and the meeting forms'
 *     submissions are settled within `budgetMs` like the consultation's;
 *   - people not in the directory are told so in both languages and logged without personal data;
 *   - every refusal is recorded in the command log by the flows, and said in the person's language.
 */
import { parseCommand, type ParsedCommand } from '../commands/catalogue.ts';
import { SpanKind, inSpan, setAttributes } from '../tracing.ts';
import { deadlineMessage, latestStatusMessage, listMessage, statusMessage } from '../commands/answers.ts';
import { helpParagraphs } from '../commands/help.ts';
import type { Locale } from '../directory/model.ts';
import { maySeeConsultation, maySeeAnyConsultation, mayStartConsultation } from '../domain/authority.ts';
import { currentTextVersion } from '../domain/outcome.ts';
import { LIMITS, type Command, type CommandActor, type ConsultationState, type DeadlineRequest } from '../domain/types.ts';
import { extend, resendConsultation, resentAs, revise, startConsultation, withdraw } from '../flows/consultation-flows.ts';
import { countryName } from '../flows/effects.ts';
import type { FlowResult } from '../flows/execute.ts';
import { deadlineText } from '../flows/messages/common.ts';
import type { MeetingDeps } from '../flows/meeting-flows.ts';
import type { FlowDeps } from '../flows/ports.ts';
import { checkAccess, recordRefusedAttempt } from '../flows/preview.ts';
import { consultationByReference, openConsultations, type ConsultationReader } from '../flows/queries.ts';
import { t } from '../i18n/index.ts';
import type { Logger } from '../log.ts';
import type { FormId } from '../messages/form-spec.ts';
import { ACTION_OF_REASON, clickedCard, decisionCommand, decisionEvent, isDecisionAction, REASON_KIND, runDecision, whatText, type Decided, type SeenCard } from './decisions.ts';
import { parseExtendForm, parseNewConsultationForm, parseReasonForm, parseReviseForm, parseWithdrawForm } from './forms.ts';
import { ACTION_HOME_NEW_CONSULTATION, homeModel } from './home.ts';
import type { Identity, InteractionPerson } from './identity.ts';
import type { FormRequest, Intent, ManageContext, Outcome, Reply } from './intent.ts';
import { MEETING_COMMANDS, MeetingInteraction, type MeetingCommandName } from './meetings.ts';
import { within } from './pacing.ts';
import { notInDirectoryText, refusalField, refusalText } from './refusals.ts';

export interface InteractionOptions {
  deps: FlowDeps;
  reader: ConsultationReader;
  /** The adapter's identity (its platform's user ids). */
  identity: Identity;
  logger: Logger;
  /** Meetings (./meetings.ts: the meeting commands, forms and invitation buttons); absent: those are off. */
  meetings?: MeetingDeps;
}

export interface HandleOptions {
  /** Idempotency key of this interaction (from stable request data: the click, the submission, the trigger). */
  key: string;
  /** How long a click's access check, or a submission's work, is waited for before answering anyway. */
  budgetMs?: number;
  /** The platform delivered this again (a retry) or it is replayed: a result already said is not said again. */
  repeat?: boolean;
  /** Replayed at start from the adapter's inbox: nobody waits for an answer, and no form can open. */
  replay?: boolean;
  /**
   * What `preflight` returned, already presented. When the key is present (even with `undefined`), the
   * preflight is not asked again; without it, `handle` includes the preflight's reply in `now`.
   */
  preflighted?: Reply | undefined;
  /** For the logs. */
  requestId?: string;
  /**
   * The adapter's inbox row for this request: a decision marks it processed in the statement that writes
   * the decision (`processed()` is then called), so the adapter need not.
   */
  inbox?: { id: string; processed(): void };
}

/** Commands that only open a form (they cannot be replayed: the platform's trigger has expired). */
export const COMMANDS_THAT_OPEN_A_FORM: ReadonlySet<ParsedCommand['name']> = new Set(['consult', 'revise', 'extend', 'withdraw', 'meeting']);

/**
 * Whether an intent's acknowledgement promises work that must survive a restart, and that can be done again
 * without the platform's short-lived trigger: an adapter stores such requests before acknowledging them and
 * replays them at start (Slack: adapters/slack/inbox.ts). Decisions that record at once, invitation answers,
 * every form submission (the meeting forms too), and commands that answer; not decisions that ask for a
 * reason first, commands and buttons that only open a form (a replay cannot open one: the delegation button
 * included), or the home view (it is simply shown again).
 */
export function isDurable(intent: Pick<Intent, 'kind'> & { action?: string; text?: string }): boolean {
  switch (intent.kind) {
    case 'decide':
      return intent.action !== undefined && isDecisionAction(intent.action) && REASON_KIND[intent.action] === undefined;
    case 'submit':
    case 'answer_invitation':
      return true;
    case 'command':
      return !COMMANDS_THAT_OPEN_A_FORM.has(parseCommand(intent.text ?? '').name);
    default:
      return false;
  }
}

/** The field a malformed submission is refused on, per form. */
const MALFORMED_FIELD: Record<FormId, string> = {
  consultation_new: 'title',
  reason: 'reason',
  revise: 'proposal',
  extend: 'justification',
  withdraw: 'reason',
  meeting_new: 'kind',
  meeting_delegation: 'main',
};

const notice = (text: string): Reply => ({ kind: 'notice', text });
const formNotice = (text: string): Reply => ({ kind: 'form_notice', text });
const openForm = (form: FormRequest): Reply => ({ kind: 'form', form });

export class Interaction {
  private readonly deps: FlowDeps;
  private readonly reader: ConsultationReader;
  private readonly identity: Identity;
  private readonly log: Logger;
  private readonly meetings: MeetingInteraction | undefined;

  constructor(options: InteractionOptions) {
    this.deps = options.deps;
    this.reader = options.reader;
    this.identity = options.identity;
    this.log = options.logger;
    this.meetings = options.meetings ? new MeetingInteraction({ deps: options.deps, meetings: options.meetings, identity: options.identity, logger: options.logger }) : undefined;
  }

  private get platform(): string {
    return this.identity.platform;
  }

  private mayStart(actor: CommandActor | undefined): boolean {
    return mayStartConsultation(actor, this.deps.directory.current(), this.deps.clock.now());
  }

  /** The language to answer `userId` in right away (memory only). */
  localeOf(userId: string): Locale {
    // Delegates and observers' people (listed for meetings only) have their language in the directory too.
    return this.meetings ? this.meetings.localeOf(userId) : this.identity.knownLocale(userId);
  }

  /**
   * What can be shown at once, from memory only (the live directory): the new-consultation form for who may
   * start one, or a loading form for a command whose form needs the database. Undefined: nothing yet.
   */
  preflight(userId: string, intent: Intent): Reply | undefined {
    const { actor } = this.identity.known(userId);
    if (intent.kind === 'command') {
      const parsed = parseCommand(intent.text);
      if (parsed.name === 'consult' && actor && this.mayStart(actor)) return openForm({ form: 'consultation_new', ...(intent.origin ? { origin: intent.origin } : {}) });
      if ((parsed.name === 'revise' || parsed.name === 'extend' || parsed.name === 'withdraw') && actor) return { kind: 'loading' };
      if (parsed.name === 'meeting') return this.meetings?.preflight(userId, intent, parsed.name);
    }
    if (intent.kind === 'open_form' && intent.form === 'meeting_delegation') return this.meetings?.preflight(userId, intent);
    if (intent.kind === 'open_form' && actor && this.mayStart(actor)) return openForm({ form: 'consultation_new' });
    return undefined;
  }

  /**
   * One request, from any adapter (Slack, Teams, the console, e-mail links): its span (src/tracing.ts) is the
   * root of the flow's and the deliveries'. Attributes: the intent, the command's or the action's name, the
   * form, the platform; never the user id, the text typed or the values.
   */
  async handle(userId: string, intent: Intent, opts: HandleOptions): Promise<Outcome> {
    const attributes = {
      'crm.intent': intent.kind,
      'crm.platform': this.platform,
      ...(intent.kind === 'command' ? { 'crm.command': parseCommand(intent.text).name } : {}),
      ...(intent.kind === 'decide' ? { 'crm.action': intent.action, 'crm.consultation_id': intent.target?.consultationId } : {}),
      ...(intent.kind === 'submit' || intent.kind === 'open_form' ? { 'crm.form': intent.form } : {}),
      ...(opts.replay ? { 'crm.replay': true } : {}),
    };
    return inSpan('interaction.handle', { kind: SpanKind.SERVER, attributes }, async (span) => {
      const out = await this.handleIntent(userId, intent, opts);
      setAttributes(span, { 'crm.replies': out.now.map((r) => r.kind).join(','), 'crm.later': out.later !== undefined });
      return out;
    });
  }

  private async handleIntent(userId: string, intent: Intent, opts: HandleOptions): Promise<Outcome> {
    switch (intent.kind) {
      case 'command':
        return this.command(userId, intent, opts);
      case 'decide':
        return this.decide(userId, intent, opts);
      case 'open_form':
        if (intent.form === 'meeting_delegation') return this.meetings ? this.meetings.openDelegation(userId, intent, opts) : this.meetingsOff(userId);
        return this.openForm(userId, opts);
      case 'answer_invitation':
        return this.meetings ? this.meetings.answer(userId, intent, opts) : this.meetingsOff(userId);
      case 'submit':
        return this.submit(userId, intent, opts);
      case 'home': {
        const person = await this.identity.who(userId);
        if (!person.actor) this.identity.logStranger(userId, { surface: 'home' });
        return { locale: person.locale, now: [{ kind: 'home', view: await homeModel(this.deps, this.reader, person) }] };
      }
    }
  }

  /** The preflight's reply when the adapter did not present one itself. */
  private preflightOf(userId: string, intent: Intent, opts: HandleOptions): { reply?: Reply; shown: boolean } {
    if ('preflighted' in opts) return { ...(opts.preflighted ? { reply: opts.preflighted } : {}), shown: true };
    const reply = opts.replay ? undefined : this.preflight(userId, intent);
    return { ...(reply ? { reply } : {}), shown: false };
  }

  // ---------------------------------------------------------------------------------------- commands

  private async command(userId: string, intent: Extract<Intent, { kind: 'command' }>, opts: HandleOptions): Promise<Outcome> {
    const parsed = parseCommand(intent.text);
    const known = this.localeOf(userId);
    // A replay cannot open a form (the trigger has expired); such commands are never stored.
    if (opts.replay && COMMANDS_THAT_OPEN_A_FORM.has(parsed.name)) return { locale: known, now: [] };
    const pre = this.preflightOf(userId, intent, opts);
    const first = pre.reply && !pre.shown ? [pre.reply] : [];
    if (pre.reply?.kind === 'form') return { locale: known, now: first };
    // Meeting commands: delegates and observers' people may ask too, not only focal points (./meetings.ts).
    if (this.meetings && MEETING_COMMANDS.has(parsed.name)) return this.meetings.command(userId, parsed as Extract<ParsedCommand, { name: MeetingCommandName }>, first, opts);

    const person = await this.identity.who(userId);
    if (!person.actor) {
      this.identity.logStranger(userId, { command: parsed.name });
      return { locale: person.locale, now: [...first, notice(notInDirectoryText())] };
    }
    return { locale: person.locale, now: [...first, ...(await this.answer(parsed, person, person.actor, intent, opts.key))] };
  }

  private async answer(parsed: ParsedCommand, person: InteractionPerson, actor: CommandActor, intent: Extract<Intent, { kind: 'command' }>, key: string): Promise<Reply[]> {
    const l = person.locale;
    const reader = { locale: l, timezone: person.timezone, viewer: actor };
    const directory = this.identity.current();
    const slash = intent.slash || '/crm';
    const message = (m: Extract<Reply, { kind: 'message' }>['message']): Reply => ({ kind: 'message', message: m });

    switch (parsed.name) {
      case 'help': {
        const help = helpParagraphs(l, { slash, ...(parsed.problem ? { problem: parsed.problem } : {}) });
        return [message({ kind: 'status', locale: l, consultationId: '', reference: '', heading: help.heading, body: help.lines, fields: [], buttons: [] })];
      }
      case 'consult':
        // Reaches here only when the person may not start one (the form opened in the preflight otherwise).
        await recordRefusedAttempt(this.deps, { key, type: 'start', actor, code: 'not_authorized' });
        return [notice(t(l, 'slack.manage_only'))];
      case 'deadline': {
        const days = parsed.days ?? LIMITS.defaultDays;
        const result = this.deps.calendars.calendar('secretariat').deadlineAfter(this.deps.clock.now(), days);
        return [message(deadlineMessage(result, days, directory, reader))];
      }
      case 'status':
      case 'list': {
        if (!maySeeAnyConsultation(actor)) return [notice(t(l, 'home.no_access'))];
        // Only what the person may know exists (a consultation under Troika review is the Troika's business).
        const visible = async () => (await openConsultations(this.reader)).filter((s) => maySeeConsultation(s, actor));
        if (parsed.name === 'list') return [message(listMessage(await visible(), directory, reader))];
        if (!parsed.reference) return [message(latestStatusMessage(await visible(), directory, reader, { slash }))];
        const state = await consultationByReference(this.reader, parsed.reference);
        return state && maySeeConsultation(state, actor) ? [message(statusMessage(state, directory, reader))] : [notice(t(l, 'refusal.not_found'))];
      }
      case 'revise':
      case 'extend':
      case 'withdraw':
        return this.manageForm(person, actor, parsed.name, parsed.reference, intent.origin, key);
      default: {
        // The meeting commands are the adapters' meetings listeners'; reaching here they are off: the help.
        const help = helpParagraphs(l, { slash });
        return [message({ kind: 'status', locale: l, consultationId: '', reference: '', heading: help.heading, body: help.lines, fields: [], buttons: [] })];
      }
    }
  }

  /** The revise, extend or withdraw form, once the consultation is read and the person's authority checked. */
  private async manageForm(person: InteractionPerson, actor: CommandActor, name: 'revise' | 'extend' | 'withdraw', reference: string, origin: string | undefined, key: string): Promise<Reply[]> {
    const l = person.locale;
    // Said once: the loading form becomes the refusal (privately instead when no form is open).
    const refuse = (text: string): Reply[] => [formNotice(text)];

    const state = await consultationByReference(this.reader, reference);
    if (!state) return refuse(t(l, 'refusal.not_found'));
    const resend = name === 'revise' && state.stage === 'not_endorsed';
    if (resend) {
      // A new consultation: who may start one may resend (the domain checks again on submission).
      if (!this.mayStart(actor)) {
        await recordRefusedAttempt(this.deps, { key, type: 'start', actor, code: 'not_authorized' });
        return refuse(t(l, 'slack.manage_only'));
      }
      const by = await resentAs(this.deps, state);
      if (by !== undefined) {
        await recordRefusedAttempt(this.deps, { key, type: 'start', actor, code: 'already_exists', detail: { reference: by, supersedes: state.reference } });
        return refuse(t(l, 'resend.already_resent', { reference: state.reference, by }));
      }
    } else {
      const checked = await checkAccess(this.deps, probe(name, state, actor), { key });
      if (!checked.ok) return refuse(refusalText(l, checked.code, checked.detail, true));
    }

    const manage: ManageContext = { consultationId: state.consultationId, reference: state.reference, ...(origin ? { channelId: origin } : {}) };
    if (name === 'revise') {
      const v = currentTextVersion(state);
      const objection = resend ? state.troikaHistory.findLast((r) => r.reaction === 'object') : undefined;
      return [
        openForm({
          form: 'revise',
          manage,
          current: {
            title: v.title,
            text: v.text,
            version: v.number,
            ...(v.locale ? { locale: v.locale } : {}),
            ...(v.translation ? { translation: v.translation } : {}),
            ...(resend
              ? { notEndorsed: { country: objection ? countryName(this.identity.current(), objection.country, l) : '—', reason: state.endReason ?? objection?.reason ?? '—' } }
              : {}),
          },
        }),
      ];
    }
    if (name === 'extend') return [openForm({ form: 'extend', manage, current: { deadline: deadlineText(state, { locale: l, timezone: person.timezone }) } })];
    return [openForm({ form: 'withdraw', manage, current: { title: state.title, circulated: state.circulatedAt !== undefined } })];
  }

  // ---------------------------------------------------------------------------------------- buttons

  private async decide(userId: string, intent: Extract<Intent, { kind: 'decide' }>, opts: HandleOptions): Promise<Outcome> {
    const { actor } = this.identity.known(userId);
    const knownLocale = this.localeOf(userId);
    const { action, target, card } = intent;
    const reasonKind = REASON_KIND[action];

    // The reason form first, while the platform's trigger is fresh (only for people who could possibly act).
    if (target && actor && reasonKind) {
      if (opts.replay) return { locale: knownLocale, now: [] }; // never stored; a replay cannot open a form
      const l = knownLocale;
      const probeCommand = decisionCommand({ action, consultationId: target.consultationId, version: target.versionHash, actor, reason: 'preview' });
      const check = checkAccess(this.deps, probeCommand, { key: opts.key });
      const early = await within(check, opts.budgetMs ?? 1200);
      if (early.done && !early.value.ok) return { locale: l, now: [notice(refusalText(l, early.value.code, early.value.detail))] };
      const form = openForm({ form: 'reason', reason: { kind: reasonKind, consultationId: target.consultationId, versionHash: target.versionHash, ...(card ? { card } : {}) } });
      if (early.done) return { locale: l, now: [form] };
      // The form is open; should the check refuse after all, the form becomes the refusal.
      return { locale: l, now: [form], later: check.then((late) => (late.ok ? [] : [formNotice(refusalText(l, late.code, late.detail))])) };
    }

    const person = await this.identity.who(userId);
    const l = person.locale;
    if (!person.actor) {
      this.identity.logStranger(userId, { action });
      return { locale: l, now: [notice(notInDirectoryText())] };
    }
    if (!target) {
      this.log.warn({ requestId: opts.requestId, action, reason: 'malformed button value' }, `${this.platform}: invalid button`);
      await recordRefusedAttempt(this.deps, { key: opts.key, type: action.startsWith('troika') ? 'reactTroika' : 'recordPosition', actor: person.actor, code: 'invalid_command', detail: { field: 'value' } });
      return { locale: l, now: [notice(t(l, 'slack.invalid_button'))] };
    }

    // One key per click: a retry of the same click is recognised by the flows; a second click is decided in
    // turn, under the consultation's lock, and the domain answers `already_recorded` when it asks for what is
    // already the country's record. Nothing is checked here outside that lock, so the last click always wins.
    const seen: SeenCard = {};
    const result = await runDecision(this.deps, { action, consultationId: target.consultationId, version: target.versionHash, actor: person.actor, key: opts.key, ...(card ? { card } : {}), ...(opts.inbox ? { inbox: opts.inbox } : {}) }, seen);
    if (result.duplicate && opts.repeat) return { locale: l, now: [] }; // a retry, or a replay, of a click already answered
    if (!result.ok && result.code === 'already_recorded' && opts.repeat) return { locale: l, now: [] };
    if (!result.ok) return { locale: l, now: [notice(refusalText(l, result.code, result.detail))] };
    // The card shows the decision (updated for everyone through the outbox); a platform that answers the
    // click with the card (Teams) shows it as it now is.
    if (card) return { locale: l, now: this.updatedCard(result, { action, consultationId: target.consultationId, version: target.versionHash, actor: person.actor, key: opts.key, card }, seen) };
    // Clicked outside a message (the home view): show the new state there and say what was recorded.
    const now: Reply[] = [{ kind: 'home', view: await homeModel(this.deps, this.reader, person) }];
    const event = decisionEvent(result.events);
    if (event) {
      const what = whatText(l, event.type === 'troika_reacted' ? { reaction: event.reaction } : { position: event.position });
      now.push(notice(t(l, 'slack.decision_recorded', { what, reference: result.state.reference })));
    }
    return { locale: l, now };
  }

  /** A meeting button when meetings are off (no meeting can be found). */
  private async meetingsOff(userId: string): Promise<Outcome> {
    const l = this.localeOf(userId);
    return { locale: l, now: [notice(t(l, 'meeting.refusal.meeting_not_found'))] };
  }

  /** The clicked card after a decision recorded now (none for a repeat: nothing new to say on it). */
  private updatedCard(result: FlowResult, d: Decided, seen?: SeenCard): Reply[] {
    if (!result.ok || !d.card) return [];
    // Built once, with the outbox row, for the decision just written (a duplicate has no new events: none).
    const clicked = seen && 'clicked' in seen && !result.duplicate ? seen.clicked : clickedCard(result.state, result.events, this.deps.directory.current(), { ...d, card: d.card });
    return clicked ? [{ kind: 'card', update: clicked.update }] : [];
  }

  /** The home view's "New consultation" button. */
  private async openForm(userId: string, opts: HandleOptions): Promise<Outcome> {
    const l = this.localeOf(userId);
    const pre = this.preflightOf(userId, { kind: 'open_form', form: 'consultation_new' }, opts);
    if (pre.reply) return { locale: l, now: pre.shown ? [] : [pre.reply] };
    const { actor } = this.identity.known(userId);
    if (!actor) {
      this.identity.logStranger(userId, { action: ACTION_HOME_NEW_CONSULTATION });
      return { locale: l, now: [notice(notInDirectoryText())] };
    }
    await recordRefusedAttempt(this.deps, { key: opts.key, type: 'start', actor, code: 'not_authorized' });
    return { locale: l, now: [notice(t(l, 'slack.manage_only'))] };
  }

  // ---------------------------------------------------------------------------------------- forms

  private async submit(userId: string, intent: Extract<Intent, { kind: 'submit' }>, opts: HandleOptions): Promise<Outcome> {
    const { actor, known } = this.identity.known(userId);
    const { form, values, context } = intent;
    if (!actor || !known) {
      this.identity.logStranger(userId, { view: form });
      const stranger = await this.identity.who(userId);
      return { locale: stranger.locale, now: [formNotice(notInDirectoryText())] };
    }
    const person: InteractionPerson = { userId, actor, known, locale: known.person.locale, timezone: known.person.timezone };
    const l = person.locale;
    const done = (now: Reply[]): Outcome => ({ locale: l, now });
    const malformed = (): Outcome => done([{ kind: 'field_errors', errors: { [MALFORMED_FIELD[form]]: t(l, 'refusal.invalid_input') } }]);
    const fieldErrors = (errors: Partial<Record<string, string>>): Outcome => {
      const out: Record<string, string> = {};
      for (const [k, m] of Object.entries(errors)) if (m) out[k] = m;
      return done([{ kind: 'field_errors', errors: out }]);
    };
    if (form === 'meeting_new' || form === 'meeting_delegation') {
      if (!this.meetings) return done([formNotice(t(l, 'meeting.refusal.meeting_not_found'))]);
      return this.meetings.submit(userId, actor, { form, ...(values ? { values } : {}), ...(context ? { context } : {}) }, opts);
    }
    const key = opts.key;
    const now = this.deps.clock.now();
    const settle = (work: Promise<FlowResult>, said: (r: Extract<FlowResult, { ok: true }>) => string | undefined, extra: { deadlineField?: 'days' | 'deadline'; refreshHome?: boolean; card?: (r: FlowResult) => Reply[] } = {}) =>
      this.settle(userId, person, form, work, said, opts, extra);

    switch (form) {
      case 'consultation_new': {
        if (!values) return malformed();
        const parsed = parseNewConsultationForm(values, now, l);
        if (!parsed.ok) return fieldErrors(parsed.errors);
        if (!this.mayStart(actor)) {
          await recordRefusedAttempt(this.deps, { key, type: 'start', actor, code: 'not_authorized' });
          return done([formNotice(t(l, 'slack.manage_only'))]);
        }
        const v = parsed.value;
        const deadline: DeadlineRequest = v.deadlineAt ? { kind: 'explicit', at: v.deadlineAt.toISOString() } : { kind: 'business_days', days: v.days ?? 5 };
        const work = startConsultation(this.deps, {
          key,
          actor,
          title: v.title,
          text: v.text,
          deadline,
          rule: v.rule,
          ...(v.justification ? { justification: v.justification } : {}),
          locale: v.locale,
          ...(v.translation ? { translation: v.translation } : {}),
          positionsVisibility: v.positionsVisibility,
        });
        return settle(work, (r) => t(l, 'slack.consultation_started', { reference: r.state.reference, title: r.state.title }));
      }
      case 'reason': {
        const meta = context?.form === 'reason' ? context.reason : undefined;
        if (!meta) {
          this.log.warn({ requestId: opts.requestId, reason: 'malformed form context' }, `${this.platform}: invalid reason form`);
          return done([formNotice(t(l, 'slack.invalid_button'))]);
        }
        if (!values) return malformed();
        const reason = parseReasonForm(values, l);
        if (!reason.ok) return fieldErrors(reason.errors);
        const decided = { action: ACTION_OF_REASON[meta.kind], consultationId: meta.consultationId, version: meta.versionHash, actor, reason: reason.value, key, ...(meta.card ? { card: meta.card } : {}) };
        const work = runDecision(this.deps, decided);
        // The card shows the decision (updated through the outbox); from the home view, refresh it.
        return settle(work, () => undefined, { refreshHome: !meta.card, ...(meta.card ? { card: (r: FlowResult) => this.updatedCard(r, decided) } : {}) });
      }
      case 'revise':
      case 'extend':
      case 'withdraw': {
        const meta = context && 'manage' in context ? context.manage : undefined;
        if (!meta) return done([formNotice(t(l, 'slack.invalid_button'))]);
        if (!values) return malformed();
        const common = { key, actor, consultationId: meta.consultationId };
        if (form === 'revise') {
          const p = parseReviseForm(values, l, meta.originalLocale ?? l);
          if (!p.ok) return fieldErrors(p.errors);
          const text = { text: p.value.text, ...(p.value.title ? { title: p.value.title } : {}), locale: p.value.locale, ...(p.value.translation ? { translation: p.value.translation } : {}) };
          if (meta.resend) {
            // Not endorsed: the revised text goes to the Troika as a new consultation that supersedes it.
            const work = resendConsultation(this.deps, { key, actor, reference: meta.reference, ...text });
            return settle(work, (r) => t(l, 'slack.resent', { reference: r.state.reference, previous: meta.reference }));
          }
          const work = revise(this.deps, { ...common, ...text });
          return settle(work, (r) => t(l, 'slack.revised', { reference: r.state.reference, version: currentTextVersion(r.state).number }));
        }
        if (form === 'extend') {
          const p = parseExtendForm(values, now, l);
          if (!p.ok) return fieldErrors(p.errors);
          const request: DeadlineRequest = 'days' in p.value ? { kind: 'business_days', days: p.value.days } : { kind: 'explicit', at: p.value.deadlineAt.toISOString() };
          const work = extend(this.deps, { ...common, deadline: request, justification: p.value.justification });
          return settle(work, (r) => t(l, 'slack.extended', { reference: r.state.reference, deadline: deadlineText(r.state, { locale: l, timezone: person.timezone }) }), {
            deadlineField: 'days' in p.value ? 'days' : 'deadline',
          });
        }
        const p = parseWithdrawForm(values, l);
        if (!p.ok) return fieldErrors(p.errors);
        const work = withdraw(this.deps, { ...common, ...(p.value.reason ? { reason: p.value.reason } : {}) });
        return settle(work, (r) =>
          t(l, r.state.circulatedAt ? 'slack.withdrawn' : r.state.sentToTroikaAt ? 'slack.withdrawn_troika' : 'slack.withdrawn_draft', { reference: r.state.reference }),
        );
      }
    }
  }

  /**
   * Waits for `work` within the budget and answers: success → `said(result)` in place of the form (or the
   * form just closes), refusal → on its field or in place of the form; too slow (or replayed) → the form
   * closes now and the outcome is said privately later.
   */
  private async settle(
    userId: string,
    person: InteractionPerson,
    form: FormId,
    work: Promise<FlowResult>,
    said: (r: Extract<FlowResult, { ok: true }>) => string | undefined,
    opts: HandleOptions,
    extra: { deadlineField?: 'days' | 'deadline'; refreshHome?: boolean; card?: (r: FlowResult) => Reply[] },
  ): Promise<Outcome> {
    const l = person.locale;
    const home = (): Promise<Reply[]> =>
      homeModel(this.deps, this.reader, person).then(
        (view): Reply[] => [{ kind: 'home', view }],
        (err: unknown) => {
          this.log.warn({ err }, `${this.platform}: home refresh failed`);
          return [];
        },
      );
    const early = opts.replay ? ({ done: false } as const) : await within(work, opts.budgetMs ?? 2000);
    if (!early.done) {
      const later = work.then(async (result): Promise<Reply[]> => {
        if (result.duplicate && opts.repeat) return [];
        const refresh = result.ok && extra.refreshHome ? home() : undefined;
        const text = result.ok
          ? said(result)
          : t(l, form === 'consultation_new' ? 'slack.consultation_not_started' : 'slack.not_done', { reason: refusalText(l, result.code, result.detail, true) });
        return [...(refresh ? await refresh : []), ...(text ? [notice(text)] : [])];
      });
      return { locale: l, now: [{ kind: 'close_form' }], later };
    }
    const result = early.value;
    if (result.ok) {
      const text = said(result);
      return { locale: l, now: [text ? formNotice(text) : { kind: 'close_form' }, ...(extra.card ? extra.card(result) : [])], ...(extra.refreshHome ? { later: home() } : {}) };
    }
    const field = refusalField(form, result, extra.deadlineField);
    if (field) return { locale: l, now: [{ kind: 'field_errors', errors: { [field]: refusalText(l, result.code, result.detail) } }] };
    return { locale: l, now: [formNotice(refusalText(l, result.code, result.detail, true))] };
  }
}

/** The command checked before its form shows (placeholders stand for what the form will ask). */
function probe(name: 'revise' | 'extend' | 'withdraw', state: ConsultationState, actor: CommandActor): Command {
  const base = { consultationId: state.consultationId, actor };
  if (name === 'revise') return { ...base, type: 'revise', text: `${state.text.slice(0, 100)} (preview)` };
  if (name === 'extend') return { ...base, type: 'extend', deadline: { kind: 'business_days', days: LIMITS.daysMax }, justification: 'preview' };
  return { ...base, type: 'withdraw' };
}
