/**
 * The interaction layer's conformance table: what a person does (an intent, src/interaction/intent.ts) and
 * what they must see, in words every platform can observe. Every chat adapter runs this same table through
 * its own mapping (payload ← intent, reply → platform, observed back as `Seen`), as BullMQ runs one suite on
 * every backend:
 *   - interaction.conformance.test.ts: the layer itself (the replies, observed as `Seen`);
 *   - slack.conformance.test.ts: the Slack adapter over signed HTTP requests and the fake Slack Web API;
 *   - teams.conformance.test.ts: the Teams adapter over HTTP with the SDK's JWT validation (messages and
 *     `adaptiveCard/action` invokes) and the fake Bot Connector;
 *   - another adapter adds its driver: `toRequest(intent)` and `observe()` → Seen[].
 *
 * People are named by role (`Who`); a driver maps each to its platform's id through the directory (Slack:
 * the person's `slack` id; Teams: their `teams` id). `given` prepares a consultation through the flows (no
 * adapter involved); intents and expectations may read it.
 *
 * What is seen (order-free, exact):
 *   say        the person privately reads a text containing `text` (a notice, or a message's heading)
 *   form       a form opens (its FormId: the Slack callback_id, the Teams verb)
 *   formSays   the open form (or the submitted one) is replaced by a notice containing `text`
 *   fieldErrors the submitted form shows errors on exactly these fields
 *   formCloses the submitted form closes with nothing to say
 *   home       the person's own view: `sections` (their consultations) or `no_access`
 *   card       the card the person clicked is replaced for them by one containing `text`
 *
 * Meetings: a scenario with `meeting: true` gets a Vice-Ministerial (MTG-…, November 2027, Panama) with the
 * CR focal point (memberCR) invited to its plenary, prepared through the meeting flows; its intent reads it.
 */
import type { ConsultationState } from '../../src/domain/types.ts';
import type { Locale } from '../../src/directory/model.ts';
import { inBothLanguages, refusalMessage, t } from '../../src/i18n/index.ts';
import type { FormValues } from '../../src/interaction/forms.ts';
import type { Intent } from '../../src/interaction/intent.ts';
import type { FormId } from '../../src/messages/form-spec.ts';

/** The example directory's people (config/directory.example.yaml) by role, with their language. */
export const WHO = {
  pptPA: { email: 'itzel.castillo@example.org', locale: 'es' }, // PA: PPT from 2026-11-20 (the author)
  staff: { email: 'ana.rojas@example.org', locale: 'es' },
  staffEn: { email: 'daniel.brenes@example.org', locale: 'en' },
  troikaMX: { email: 'fernanda.rios@example.org', locale: 'es' }, // MX: previous PPT
  troikaSV: { email: 'rodrigo.alvarado@example.org', locale: 'es' }, // SV: next PPT
  memberCR: { email: 'luis.mora@example.org', locale: 'es' },
  memberUS: { email: 'jennifer.walsh@example.org', locale: 'en' },
  observerJM: { email: 'andre.campbell@example.org', locale: 'en' }, // observer country
  stranger: { email: undefined, locale: 'es' }, // not in the directory
} as const satisfies Record<string, { email: string | undefined; locale: Locale }>;
export type Who = keyof typeof WHO;

export type Seen =
  | { kind: 'say'; text: string }
  | { kind: 'form'; form: FormId }
  | { kind: 'formSays'; text: string }
  | { kind: 'fieldErrors'; fields: string[] }
  | { kind: 'formCloses' }
  | { kind: 'home'; view: 'sections' | 'no_access' }
  | { kind: 'card'; text: string };

/** The meeting a `meeting: true` scenario stands on. */
export interface PreparedMeeting {
  meetingId: string;
  reference: string;
}

/** A consultation prepared before the intent: sent to the Troika by the PPT, or approved into the member round. */
export type Given = 'troika_review' | 'member_consultation';

export interface Scenario {
  name: string;
  given?: Given;
  /** A meeting is prepared first (see above). */
  meeting?: true;
  who: Who;
  intent: Intent | ((c: ConsultationState, m: PreparedMeeting) => Intent);
  expect: Seen[] | ((c: ConsultationState | undefined) => Seen[]);
}

const l = (who: Who): Locale => WHO[who].locale;
const say = (text: string): Seen => ({ kind: 'say', text });
const formSays = (text: string): Seen => ({ kind: 'formSays', text });
const notInDirectory = inBothLanguages('refusal.not_in_directory');
/** The words of a message before its first parameter (`Reunión registrada: `). */
const lead = (text: string): string => text.split('\u0000')[0]!;

/** A new-meeting form as submitted: a GRCM in Panama. */
export const GOOD_NEW_MEETING: FormValues = { kind: 'grcm', start: '2027-06-15', end: '2027-06-16', city: 'Ciudad de Panamá' };

/** A complete new-consultation form (business days, the default rule). */
export const GOOD_NEW_CONSULTATION: FormValues = {
  title: 'Declaración conjunta sobre movilidad laboral',
  proposal: 'Texto de la declaración conjunta propuesta por la Presidencia Pro Tempore.',
  days: '5',
  rule: 'explicit',
  visibility: 'at_close',
};

const target = (c: ConsultationState) => ({ consultationId: c.consultationId, versionHash: c.currentVersion });
/** A card the person clicked (where it lives is the platform's business; the driver supplies a real one). */
const card = { channel: 'D0CONFORM01', ts: '1764601200.000100' };

export const SCENARIOS: Scenario[] = [
  // ------------------------------------------------------------------------------------- commands
  {
    name: 'help: the command list, in the person\'s language',
    who: 'memberUS',
    intent: { kind: 'command', text: 'help' },
    expect: [say(t('en', 'help.heading'))],
  },
  {
    name: 'an unknown word: the help',
    who: 'memberCR',
    intent: { kind: 'command', text: 'consultar-todo' },
    expect: [say(t('es', 'help.heading'))],
  },
  {
    name: 'consulta by the PPT: the new-consultation form opens',
    who: 'pptPA',
    intent: { kind: 'command', text: 'consulta' },
    expect: [{ kind: 'form', form: 'consultation_new' }],
  },
  {
    name: 'consulta by a Member Country: refused, naming who may',
    who: 'memberCR',
    intent: { kind: 'command', text: 'consulta' },
    expect: [say(t('es', 'slack.manage_only'))],
  },
  {
    name: 'someone not in the directory: told so in both languages',
    who: 'stranger',
    intent: { kind: 'command', text: 'lista' },
    expect: [say(notInDirectory)],
  },
  {
    name: 'lista by an observer: nothing to see (confidentiality)',
    who: 'observerJM',
    intent: { kind: 'command', text: 'list' },
    expect: [say(t('en', 'home.no_access'))],
  },
  {
    name: 'estado of a consultation that does not exist',
    who: 'staff',
    intent: { kind: 'command', text: 'estado CRM-2099-999' },
    expect: [say(t('es', 'refusal.not_found'))],
  },
  {
    name: 'estado of a consultation in the Troika review',
    given: 'troika_review',
    who: 'staffEn',
    intent: (c) => ({ kind: 'command', text: `status ${c.reference}` }),
    expect: (c) => [say(c!.reference)],
  },
  {
    name: 'estado by a member outside the Troika during its review: as if it did not exist (the Troika\'s business)',
    given: 'troika_review',
    who: 'memberCR',
    intent: (c) => ({ kind: 'command', text: `estado ${c.reference}` }),
    expect: [say(t('es', 'refusal.not_found'))],
  },
  {
    name: 'estado by a Troika country during its review',
    given: 'troika_review',
    who: 'troikaSV',
    intent: (c) => ({ kind: 'command', text: `estado ${c.reference}` }),
    expect: (c) => [say(c!.reference)],
  },
  {
    name: 'retirar of a consultation that does not exist: the form shows the refusal (said once, not again privately)',
    who: 'pptPA',
    intent: { kind: 'command', text: 'retirar CRM-2099-999' },
    expect: [formSays(t('es', 'refusal.not_found'))],
  },
  {
    name: 'retirar by the PPT: the withdraw form',
    given: 'troika_review',
    who: 'pptPA',
    intent: (c) => ({ kind: 'command', text: `retirar ${c.reference}` }),
    expect: [{ kind: 'form', form: 'withdraw' }],
  },
  {
    name: 'prorrogar by a Member Country: refused on the form, once',
    given: 'member_consultation',
    who: 'memberCR',
    intent: (c) => ({ kind: 'command', text: `prorrogar ${c.reference}` }),
    expect: [formSays(t('es', 'slack.manage_only'))],
  },

  // ------------------------------------------------------------------------------------- buttons
  {
    name: 'a Troika country asks for changes: the reason form',
    given: 'troika_review',
    who: 'troikaMX',
    intent: (c) => ({ kind: 'decide', action: 'troika_changes', target: target(c), card }),
    expect: [{ kind: 'form', form: 'reason' }],
  },
  {
    name: 'a Member Country clicks a Troika button: refused privately, no form',
    given: 'troika_review',
    who: 'memberCR',
    intent: (c) => ({ kind: 'decide', action: 'troika_object', target: target(c), card }),
    expect: [say(refusalMessage('es', 'not_troika_member'))],
  },
  {
    name: 'a Troika approval from its card: recorded, the card says so (nothing private)',
    given: 'troika_review',
    who: 'troikaSV',
    intent: (c) => ({ kind: 'decide', action: 'troika_approve', target: target(c), card }),
    expect: [],
  },
  {
    name: 'a forged button value: "invalid button", nothing changed',
    who: 'memberCR',
    intent: { kind: 'decide', action: 'position_support', card },
    expect: [say(t('es', 'slack.invalid_button'))],
  },
  {
    name: 'a position before the member round: refused in the person\'s language',
    given: 'troika_review',
    who: 'memberUS',
    intent: (c) => ({ kind: 'decide', action: 'position_support', target: target(c), card }),
    expect: (c) => [say(refusalMessage('en', 'wrong_stage', { stage: c!.stage }).slice(0, 20))],
  },
  {
    name: 'the Home tab\'s "New consultation" by ST staff: the form',
    who: 'staff',
    intent: { kind: 'open_form', form: 'consultation_new' },
    expect: [{ kind: 'form', form: 'consultation_new' }],
  },
  {
    name: 'the Home tab\'s "New consultation" by a Member Country: refused',
    who: 'memberUS',
    intent: { kind: 'open_form', form: 'consultation_new' },
    expect: [say(t('en', 'slack.manage_only'))],
  },

  // ------------------------------------------------------------------------------------- forms
  {
    name: 'a new consultation with no title and no text: errors on both fields',
    who: 'pptPA',
    intent: { kind: 'submit', form: 'consultation_new', values: { ...GOOD_NEW_CONSULTATION, title: '  ', proposal: '' }, context: { form: 'consultation_new' } },
    expect: [{ kind: 'fieldErrors', fields: ['proposal', 'title'] }],
  },
  {
    name: 'a new consultation with 3 days and no justification: the error is on the justification',
    who: 'staffEn',
    intent: { kind: 'submit', form: 'consultation_new', values: { ...GOOD_NEW_CONSULTATION, days: '3' }, context: { form: 'consultation_new' } },
    expect: [{ kind: 'fieldErrors', fields: ['justification'] }],
  },
  {
    name: 'a new consultation by the PPT: started, the form says which',
    who: 'pptPA',
    intent: { kind: 'submit', form: 'consultation_new', values: GOOD_NEW_CONSULTATION, context: { form: 'consultation_new' } },
    expect: [formSays(GOOD_NEW_CONSULTATION.title!)],
  },
  {
    name: 'a new consultation submitted by a Member Country: refused in place of the form',
    who: 'memberCR',
    intent: { kind: 'submit', form: 'consultation_new', values: GOOD_NEW_CONSULTATION, context: { form: 'consultation_new' } },
    expect: [formSays(t('es', 'slack.manage_only'))],
  },
  {
    name: 'a reason form whose context was tampered with: "invalid button"',
    who: 'troikaMX',
    intent: { kind: 'submit', form: 'reason', values: { reason: 'Falta el párrafo 3.' } },
    expect: [formSays(t('es', 'slack.invalid_button'))],
  },
  {
    name: 'a reason left empty: the error is on the reason',
    given: 'troika_review',
    who: 'troikaMX',
    intent: (c) => ({ kind: 'submit', form: 'reason', values: { reason: ' ' }, context: { form: 'reason', reason: { kind: 'changes', ...target(c), card } } }),
    expect: [{ kind: 'fieldErrors', fields: ['reason'] }],
  },
  {
    name: 'a Troika change request with its reason: recorded, the form closes (the card says it)',
    given: 'troika_review',
    who: 'troikaMX',
    intent: (c) => ({ kind: 'submit', form: 'reason', values: { reason: 'Falta el párrafo sobre datos.' }, context: { form: 'reason', reason: { kind: 'changes', ...target(c), card } } }),
    expect: [{ kind: 'formCloses' }],
  },
  {
    name: 'an extension with neither days nor a deadline: the error is on the days',
    given: 'member_consultation',
    who: 'pptPA',
    intent: (c) => ({ kind: 'submit', form: 'extend', values: { justification: 'Feriados regionales.' }, context: { form: 'extend', manage: { consultationId: c.consultationId, reference: c.reference } } }),
    expect: [{ kind: 'fieldErrors', fields: ['days'] }],
  },
  {
    name: 'a withdrawal by the PPT: withdrawn, the form says so',
    given: 'member_consultation',
    who: 'pptPA',
    intent: (c) => ({ kind: 'submit', form: 'withdraw', values: {}, context: { form: 'withdraw', manage: { consultationId: c.consultationId, reference: c.reference } } }),
    expect: (c) => [formSays(t('es', 'slack.withdrawn', { reference: c!.reference }))],
  },

  // ------------------------------------------------------------------------------------- the person's own view
  {
    name: 'the home view of ST staff: their consultations',
    who: 'staff',
    intent: { kind: 'home' },
    expect: [{ kind: 'home', view: 'sections' }],
  },
  {
    name: 'the home view of an observer: nothing for them',
    who: 'observerJM',
    intent: { kind: 'home' },
    expect: [{ kind: 'home', view: 'no_access' }],
  },
  {
    name: 'the home view of someone not in the directory',
    who: 'stranger',
    intent: { kind: 'home' },
    expect: [{ kind: 'home', view: 'no_access' }],
  },

  // ------------------------------------------------------------------------------------- meetings
  {
    name: 'reunion by the PPT: the new-meeting form opens',
    who: 'pptPA',
    intent: { kind: 'command', text: 'reunión' },
    expect: [{ kind: 'form', form: 'meeting_new' }],
  },
  {
    name: 'meeting by ST staff: the new-meeting form opens',
    who: 'staffEn',
    intent: { kind: 'command', text: 'meeting' },
    expect: [{ kind: 'form', form: 'meeting_new' }],
  },
  {
    name: 'reunion by a Member Country: refused, naming who may',
    who: 'memberCR',
    intent: { kind: 'command', text: 'reunion' },
    expect: [say(t('es', 'meeting.manage_only'))],
  },
  {
    name: 'reuniones by someone not in the directory: told so in both languages',
    who: 'stranger',
    intent: { kind: 'command', text: 'reuniones' },
    expect: [say(notInDirectory)],
  },
  {
    name: 'reuniones by a member focal point: the upcoming meetings',
    meeting: true,
    who: 'memberCR',
    intent: { kind: 'command', text: 'reuniones' },
    expect: [say(t('es', 'meeting.list.heading'))],
  },
  {
    name: 'pendientes by the ST: the duties still owed',
    meeting: true,
    who: 'staff',
    intent: { kind: 'command', text: 'pendientes' },
    expect: [say(t('es', 'duty.list.heading'))],
  },
  {
    name: 'duties by an observer country: not for them',
    who: 'observerJM',
    intent: { kind: 'command', text: 'duties' },
    expect: [say(t('en', 'duty.no_access'))],
  },
  {
    name: 'meeting_new with the dates reversed: refused on the last day, nothing recorded',
    who: 'pptPA',
    intent: { kind: 'submit', form: 'meeting_new', values: { ...GOOD_NEW_MEETING, start: '2027-06-16', end: '2027-06-15' }, context: { form: 'meeting_new' } },
    expect: [{ kind: 'fieldErrors', fields: ['end'] }],
  },
  {
    name: 'meeting_new without a kind nor a first day: errors on both fields',
    who: 'pptPA',
    intent: { kind: 'submit', form: 'meeting_new', values: { end: '2027-06-16' }, context: { form: 'meeting_new' } },
    expect: [{ kind: 'fieldErrors', fields: ['kind', 'start'] }],
  },
  {
    name: 'meeting_new by the PPT: the meeting is recorded and the form says so',
    who: 'pptPA',
    intent: { kind: 'submit', form: 'meeting_new', values: GOOD_NEW_MEETING, context: { form: 'meeting_new' } },
    expect: [formSays(lead(t('es', 'meeting.form.recorded', { reference: '\u0000', title: '\u0000' })))],
  },
  {
    name: 'meeting_new by a Member Country: refused in place of the form',
    who: 'memberCR',
    intent: { kind: 'submit', form: 'meeting_new', values: GOOD_NEW_MEETING, context: { form: 'meeting_new' } },
    expect: [formSays(t('es', 'meeting.manage_only'))],
  },
  {
    name: 'meeting_attend by the person invited: the card shows the answer, the person is thanked',
    meeting: true,
    who: 'memberCR',
    intent: (_c, m) => ({ kind: 'answer_invitation', response: 'attend', target: { meetingId: m.meetingId, segment: 'plenary' }, card }),
    expect: [{ kind: 'card', text: t('es', 'meeting.response.recorded_attend') }, say(lead(t('es', 'meeting.response.attend', { title: '\u0000', segment: '' })))],
  },
  {
    name: 'meeting_decline by someone not invited: refused, nothing recorded',
    meeting: true,
    who: 'memberUS',
    intent: (_c, m) => ({ kind: 'answer_invitation', response: 'decline', target: { meetingId: m.meetingId, segment: 'plenary' }, card }),
    expect: [say(t('en', 'meeting.response.not_invited'))],
  },
  {
    name: 'meeting_attend with a forged value: the button is not valid',
    who: 'memberCR',
    intent: { kind: 'answer_invitation', response: 'attend', card },
    expect: [say(t('es', 'meeting.response.invalid_button'))],
  },
  {
    name: 'meeting_attend by someone not in the directory',
    meeting: true,
    who: 'stranger',
    intent: (_c, m) => ({ kind: 'answer_invitation', response: 'attend', target: { meetingId: m.meetingId, segment: 'plenary' }, card }),
    expect: [say(notInDirectory)],
  },
  {
    name: 'the delegation button by a member focal point: the delegation form opens',
    meeting: true,
    who: 'memberCR',
    intent: (_c, m) => ({ kind: 'open_form', form: 'meeting_delegation', meetingId: m.meetingId }),
    expect: [{ kind: 'form', form: 'meeting_delegation' }],
  },
  {
    name: 'the delegation button by ST staff: only a Member Country registers its delegation',
    meeting: true,
    who: 'staff',
    intent: (_c, m) => ({ kind: 'open_form', form: 'meeting_delegation', meetingId: m.meetingId }),
    expect: [say(t('es', 'meeting.delegation.focal_points_only'))],
  },
  {
    name: 'the delegation button with a forged value: no such meeting',
    who: 'memberCR',
    intent: { kind: 'open_form', form: 'meeting_delegation' },
    expect: [formSays(t('es', 'meeting.refusal.meeting_not_found'))],
  },
  {
    name: 'meeting_delegation with someone who may not sit in the closed-door session: refused on that segment',
    meeting: true,
    who: 'memberCR',
    intent: (_c, m) => ({
      kind: 'submit',
      form: 'meeting_delegation',
      values: { closed_door: 'mariela.campos@example.org' },
      context: { form: 'meeting_delegation', delegation: { meetingId: m.meetingId, country: 'CR' } },
    }),
    expect: [{ kind: 'fieldErrors', fields: ['closed_door'] }],
  },
  {
    name: 'meeting_delegation for another country: refused in place of the form',
    meeting: true,
    who: 'memberUS',
    intent: (_c, m) => ({
      kind: 'submit',
      form: 'meeting_delegation',
      values: { plenary: 'robert.hastings@example.org' },
      context: { form: 'meeting_delegation', delegation: { meetingId: m.meetingId, country: 'CR' } },
    }),
    expect: [formSays(t('en', 'meeting.delegation.focal_points_only'))],
  },
  {
    name: 'observadores by the ST: the observer applications',
    who: 'staff',
    intent: { kind: 'command', text: 'observadores' },
    expect: [say(t('es', 'observer.list.heading'))],
  },
  {
    name: 'observers by an observer country: not for them',
    who: 'observerJM',
    intent: { kind: 'command', text: 'observers' },
    expect: [say(t('en', 'observer.no_access'))],
  },
  {
    name: 'observador solicitud by a Member Country: refused, naming who may',
    who: 'memberCR',
    intent: { kind: 'command', text: 'observador solicitud CL República de Chile' },
    expect: [say(t('es', 'observer.manage_only'))],
  },
  {
    name: 'observer apply by the ST: the case is opened and announced',
    who: 'staffEn',
    intent: { kind: 'command', text: 'observer apply CL Republic of Chile' },
    expect: [say(lead(t('en', 'observer.recorded', { id: '\u0000', step: '' })))],
  },
  {
    name: 'observador solicitud of a Member Country: refused with the reason',
    who: 'pptPA',
    intent: { kind: 'command', text: 'observador solicitud CR Costa Rica' },
    expect: [say(t('es', 'observer.refusal.already_member'))],
  },
  {
    name: 'observador of a case that does not exist',
    who: 'staff',
    intent: { kind: 'command', text: 'observador OBS-2099-999 retirar' },
    expect: [say(t('es', 'observer.refusal.application_not_found'))],
  },
  {
    name: 'meeting_delegation of the Vice-Minister and a senior official: recorded, each invited',
    meeting: true,
    who: 'memberCR',
    intent: (_c, m) => ({
      kind: 'submit',
      form: 'meeting_delegation',
      values: { closed_door: 'carolina.quesada@example.org,esteban.villalobos@example.org' },
      context: { form: 'meeting_delegation', delegation: { meetingId: m.meetingId, country: 'CR' } },
    }),
    expect: [formSays(lead(t('es', 'meeting.delegation.recorded', { count: 2, title: '\u0000' })))],
  },
];

/** Who a scenario's text is in (for drivers that need it). */
export const localeOf = l;

/** Seen values in a stable order, for an order-free comparison. */
export function sortSeen(seen: readonly Seen[]): Seen[] {
  return [...seen].map((s) => (s.kind === 'fieldErrors' ? { ...s, fields: [...s.fields].sort() } : s)).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

/** True when `seen` satisfies `expected` (texts: `seen` contains the expected fragment). */
export function matches(seen: readonly Seen[], expected: readonly Seen[]): boolean {
  if (seen.length !== expected.length) return false;
  const left = [...seen];
  for (const e of expected) {
    const i = left.findIndex((s) => s.kind === e.kind && (('text' in e && 'text' in s) ? s.text.includes(e.text) : JSON.stringify(sortSeen([s])) === JSON.stringify(sortSeen([e]))));
    if (i < 0) return false;
    left.splice(i, 1);
  }
  return true;
}
