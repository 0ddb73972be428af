/**
 * Effects of a decision: which messages go to whom, as outbox rows written in the same transaction as
 * the events. Pure: (events, state after, live directory) → messages. Confidentiality: the text and the
 * positions go only to Member Countries' focal points and the ST channel, never to observers.
 */
import { positionsSummary, membersAwaiting } from '../domain/outcome.ts';
import type {
  ConsultationEvent,
  ConsultationState,
  ParticipantFocalPoint,
} from '../domain/types.ts';
import type { CountryCode, Directory, Locale, Person } from '../directory/model.ts';
import { countryInText, formatInstant, formatList, t } from '../i18n/index.ts';
import { buttonValue, type DeliveryPlatform, type NeutralMessage, type Recipient } from '../messages/neutral.ts';
import type { NewOutboxMessage } from '../store/consultation-store.ts';
import { peopleById } from './people.ts';

export interface EffectsInput {
  /** The state before the decision (undefined for a new consultation). */
  before: ConsultationState | undefined;
  events: readonly ConsultationEvent[];
  after: ConsultationState;
  directory: Directory;
}

/** Short form of a text-version hash for people; the full hash stays in the record and the metadata. */
export const shortHash = (hash: string): string => hash.slice(0, 12);

export function countryName(directory: Directory, code: CountryCode, locale: Locale): string {
  return directory.countries.find((c) => c.code === code)?.name[locale] ?? code;
}

export interface Addressed {
  recipient: Recipient;
  platform: DeliveryPlatform;
  locale: Locale;
  timezone: string;
  key: string;
}

function personAddress(fp: ParticipantFocalPoint, live: Map<string, Person>): Addressed {
  const p = live.get(fp.personId);
  const recipient: Recipient = {
    kind: 'person',
    personId: fp.personId,
    name: p?.name ?? fp.name,
    ...(p?.slack ? { slack: p.slack } : {}),
    ...(p?.teams ? { teams: p.teams } : {}),
  };
  return {
    recipient,
    platform: p?.slack ? 'slack' : p?.teams ? 'teams' : 'unreachable',
    locale: p?.locale ?? fp.locale,
    timezone: p?.timezone ?? fp.timezone,
    key: fp.personId,
  };
}

/** The ST channel's address in the live directory (Slack channel first, else Teams, else unreachable). */
export function secretariatAddress(directory: Directory): Addressed {
  const s = directory.secretariat;
  return {
    recipient: {
      kind: 'secretariat_channel',
      ...(s.slack?.channel ? { slack: s.slack.channel } : {}),
      ...(s.teams?.conversationId ? { teams: s.teams.conversationId } : {}),
    },
    platform: s.slack?.channel ? 'slack' : s.teams?.conversationId ? 'teams' : 'unreachable',
    locale: s.locale,
    timezone: s.timezone,
    key: 'st-channel',
  };
}

/** Focal points of the given countries, as frozen on the consultation. */
function focalPointsOf(state: ConsultationState, countries: readonly CountryCode[]): ParticipantFocalPoint[] {
  return state.participants.members.filter((m) => countries.includes(m.code)).flatMap((m) => m.focalPoints);
}

function allMemberFocalPoints(state: ConsultationState): { country: CountryCode; fp: ParticipantFocalPoint }[] {
  return state.participants.members.flatMap((m) => m.focalPoints.map((fp) => ({ country: m.code, fp })));
}

function when(instant: string | undefined, a: Addressed): string {
  return instant ? formatInstant(new Date(instant), { locale: a.locale, timeZone: a.timezone }) : '—';
}

/** Compact local date and time for table cells: 2026-11-27 17:16. */
function shortWhen(instant: string, timeZone: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(instant))
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

function versionLabel(state: ConsultationState): string {
  const v = state.versions.find((x) => x.hash === state.currentVersion);
  return `${v?.number ?? '?'} · ${shortHash(state.currentVersion)}`;
}

/** The fields every message about a consultation starts with. */
function header(kind: NeutralMessage['kind'], locale: Locale, state: ConsultationState) {
  return { kind, locale, consultationId: state.consultationId, reference: state.reference };
}

function troikaRequest(state: ConsultationState, a: Addressed, directory: Directory, revised: boolean): NeutralMessage {
  const l = a.locale;
  const author = state.troika ? countryInText(directory, state.troika.authorCountry, l) : '';
  const value = buttonValue(state.consultationId, state.currentVersion);
  return {
    ...header('troika_request', l, state),
    heading: t(l, 'troika_request.heading', { reference: state.reference }),
    body: [
      ...(revised ? [t(l, 'troika_request.revised', { reference: state.reference, version: versionNumber(state) })] : []),
      t(l, 'troika_request.intro', { reference: state.reference, title: state.title, submittedBy: author }),
      t(l, 'troika_request.ask'),
    ],
    quote: state.text,
    fields: [
      { label: t(l, 'label.reference'), value: state.reference },
      { label: t(l, 'label.title'), value: state.title },
      { label: t(l, 'label.version'), value: versionLabel(state) },
      {
        label: t(l, 'label.troika'),
        value: formatList((state.troika?.countries ?? []).map((c) => countryName(directory, c, l)), l),
      },
    ],
    buttons: [
      { actionId: 'troika_approve', label: t(l, 'troika_request.approve'), value, style: 'primary' },
      { actionId: 'troika_changes', label: t(l, 'troika_request.changes'), value },
      { actionId: 'troika_object', label: t(l, 'troika_request.object'), value, style: 'danger' },
    ],
  };
}

const versionNumber = (state: ConsultationState): number =>
  state.versions.find((x) => x.hash === state.currentVersion)?.number ?? state.versions.length;

/** The three position buttons of a member request or reminder (action ids of interfaces.md). */
function positionButtons(l: Locale, value: string): NeutralMessage['buttons'] {
  return [
    { actionId: 'position_support', label: t(l, 'member_request.support'), value, style: 'primary' },
    { actionId: 'position_object', label: t(l, 'member_request.object'), value, style: 'danger' },
    { actionId: 'position_abstain', label: t(l, 'member_request.abstain'), value },
  ];
}

function memberRequest(state: ConsultationState, a: Addressed, country: CountryCode, directory: Directory): NeutralMessage {
  const l = a.locale;
  const value = buttonValue(state.consultationId, state.currentVersion);
  const deadline = when(state.deadline, a);
  return {
    ...header('member_request', l, state),
    heading: t(l, 'member_request.heading', { reference: state.reference }),
    body: [
      t(l, 'member_request.intro', {
        reference: state.reference,
        title: state.title,
        country: countryInText(directory, country, l),
        deadline,
      }),
      t(l, 'member_request.rule', { rule: t(l, `rule.${state.rule}`) }),
      t(l, `rule.${state.rule}.explanation`),
    ],
    quote: state.text,
    fields: [
      { label: t(l, 'label.reference'), value: state.reference },
      { label: t(l, 'label.version'), value: versionLabel(state) },
      { label: t(l, 'label.deadline'), value: deadline },
    ],
    buttons: positionButtons(l, value),
  };
}

function extensionNotice(state: ConsultationState, a: Addressed, justification: string): NeutralMessage {
  const l = a.locale;
  return {
    ...header('extension_notice', l, state),
    heading: t(l, 'extension.heading', { reference: state.reference }),
    body: [t(l, 'extension.body', { reference: state.reference, title: state.title, deadline: when(state.deadline, a) })],
    fields: [
      { label: t(l, 'label.deadline'), value: when(state.deadline, a) },
      { label: t(l, 'label.justification'), value: justification },
    ],
    buttons: [],
  };
}

/** The outcome as interfaces.md names it, and each Member Country's final position. */
export function closingSummary(state: ConsultationState): {
  outcome: string;
  positions: Record<CountryCode, 'support' | 'object' | 'abstain' | 'none'>;
} {
  return { outcome: state.outcome ?? 'incomplete', positions: positionsSummary(state) };
}

function resultNotice(state: ConsultationState, a: Addressed, country: CountryCode | undefined, directory: Directory): NeutralMessage {
  const l = a.locale;
  const outcome = state.outcome ?? 'incomplete';
  const body =
    outcome === 'not_endorsed'
      ? [t(l, 'result.not_endorsed_body', { reference: state.reference, title: state.title })]
      : outcome === 'withdrawn'
        ? [t(l, 'result.withdrawn_body', { reference: state.reference, title: state.title })]
        : [
            t(l, 'result.body', {
              reference: state.reference,
              title: state.title,
              outcome: t(l, `outcome.${outcome}`),
              closedAt: when(state.closedAt, a),
            }),
          ];
  if (country && state.circulatedAt) {
    const p = state.positions[country]?.position ?? 'none';
    body.push(t(l, 'result.your_position', { country: countryInText(directory, country, l), position: t(l, `position.${p}`) }));
  }
  return {
    ...header('result_notice', l, state),
    heading: t(l, 'result.heading', { reference: state.reference }),
    body,
    fields: [
      { label: t(l, 'label.reference'), value: state.reference },
      { label: t(l, 'label.outcome'), value: t(l, `outcome.${outcome}`) },
    ],
    buttons: [],
  };
}

/** The ST channel's digest of an ended consultation (domain.md "Results"). */
export function digest(state: ConsultationState, a: Addressed, directory: Directory): NeutralMessage {
  const l = a.locale;
  const { outcome, positions } = closingSummary(state);
  const counts = { support: 0, object: 0, abstain: 0, none: 0 };
  const rows = state.participants.members.map((m) => {
    const rec = state.positions[m.code];
    const p = positions[m.code] ?? 'none';
    counts[p] += 1;
    return [
      countryName(directory, m.code, l),
      t(l, `position.${p}`),
      rec?.by.name ?? '—',
      rec ? shortWhen(rec.at, a.timezone) : '—',
      rec?.reason ?? '',
    ];
  });
  const version = state.versions.find((v) => v.hash === state.currentVersion);
  const timeline = [
    `${t(l, 'digest.started')}: ${when(state.createdAt, a)}`,
    ...(state.sentToTroikaAt ? [`${t(l, 'digest.sent_to_troika')}: ${when(state.sentToTroikaAt, a)}`] : []),
    ...(state.circulatedAt ? [`${t(l, 'digest.circulated')}: ${when(state.circulatedAt, a)}`] : []),
    ...state.extensions.map((e) => `${t(l, 'digest.extended')}: ${when(e.at, a)} → ${when(e.to, a)}`),
    ...(state.deadline ? [`${t(l, 'label.deadline')}: ${when(state.deadline, a)}`] : []),
    `${t(l, 'digest.ended')}: ${when(state.closedAt, a)}`,
  ];
  const troika = (state.troika?.countries ?? []).map((c) => {
    const r = state.troikaHistory.filter((h) => h.country === c).at(-1);
    const what = r ? t(l, `troika_decision.${r.reaction === 'request_changes' ? 'changes' : r.reaction}`) : t(l, 'troika_decision.none');
    // Compact time (as in the table): a full date carries "(hora de …)", which cannot sit inside "(…)".
    const who = r ? (r.implicit ? t(l, 'digest.author_implicit') : `${r.by.name}, ${shortWhen(r.at, a.timezone)}`) : '';
    const decided = `${what}${who ? ` (${who})` : ''}`;
    return `${countryName(directory, c, l)}: ${r?.reason ? t(l, 'slack.what_with_reason', { what: decided, reason: r.reason }) : decided}`;
  });
  const missing = state.circulatedAt ? membersAwaiting(state).map((c) => countryName(directory, c, l)) : [];
  return {
    ...header('digest', l, state),
    heading: t(l, 'digest.heading', { reference: state.reference }),
    body: [
      `${t(l, 'label.outcome')}: ${t(l, `outcome.${outcome as 'consensus'}`)}`,
      ...(state.endReason ? [`${t(l, 'label.reason')}: ${state.endReason}`] : []),
      ...timeline,
      // One line per Troika country: a reason may end with its own period, so no "; " between them.
      troika.length ? [`${t(l, 'digest.troika_heading')}:`, ...troika].join('\n') : `${t(l, 'digest.troika_heading')}: —`,
      ...(state.circulatedAt ? [t(l, 'digest.counts', counts)] : []),
      ...(missing.length ? [`${t(l, 'digest.missing')}: ${formatList(missing, l)}`] : []),
    ],
    fields: [
      { label: t(l, 'label.reference'), value: state.reference },
      { label: t(l, 'label.title'), value: state.title },
      { label: t(l, 'label.version'), value: `${version?.number ?? '?'} · ${state.currentVersion}` },
      { label: t(l, 'label.rule'), value: t(l, `rule.${state.rule}`) },
    ],
    table: {
      columns: [t(l, 'label.country'), t(l, 'label.position'), t(l, 'digest.who'), t(l, 'digest.when'), t(l, 'label.reason')],
      rows,
    },
    buttons: [],
    metadata: {
      eventType: 'crm_consultation_closed',
      payload: { reference: state.reference, outcome, positions },
    },
  };
}

/** The ST channel's live status line of a consultation, replaced in place as things happen. */
function status(state: ConsultationState, a: Addressed, directory: Directory): NeutralMessage {
  const l = a.locale;
  const answered = state.participants.members.length - membersAwaiting(state).length;
  const fields = [
    { label: t(l, 'label.stage'), value: t(l, `stage.${state.stage}`) },
    { label: t(l, 'label.version'), value: versionLabel(state) },
  ];
  if (state.troika && state.stage === 'troika_review') {
    const reacted = state.troika.countries.map((c) => {
      const r = state.troikaReactions[c];
      const what = r ? t(l, `troika_decision.${r.reaction === 'request_changes' ? 'changes' : r.reaction}`) : t(l, 'troika_decision.none');
      return `${countryName(directory, c, l)}: ${what}`;
    });
    fields.push({ label: t(l, 'label.troika'), value: reacted.join(' · ') });
  }
  if (state.circulatedAt) {
    fields.push({ label: t(l, 'label.answers'), value: `${answered}/${state.participants.members.length}` });
    fields.push({ label: t(l, 'label.deadline'), value: when(state.deadline, a) });
  }
  return {
    ...header('status', l, state),
    heading: `${state.reference} · ${state.title}`,
    body: [],
    fields,
    buttons: [],
    replaceKey: `status:${state.consultationId}`,
  };
}

/** Outbox messages for one decision. Dedupe keys name the event's sequence number, so none repeats. */
export function messagesFor(input: EffectsInput): NewOutboxMessage[] {
  const { before, events, after, directory } = input;
  if (events.length === 0) return [];
  const live = peopleById(directory);
  const st = secretariatAddress(directory);
  const out: NewOutboxMessage[] = [];
  const baseSeq = before?.version ?? 0;
  const push = (seq: number, a: Addressed, message: NeutralMessage) =>
    out.push({
      dedupeKey: `${after.consultationId}:${seq}:${message.kind}:${a.key}`,
      platform: a.platform,
      recipient: a.recipient,
      kind: message.kind,
      payload: message,
    });

  // The Troika is asked (again) once per decision that sent or revised the text under Troika review.
  const asking = events.findLastIndex((e) => e.type === 'sent_to_troika' || e.type === 'text_revised');
  if (asking >= 0 && after.stage === 'troika_review' && after.troika) {
    const troika = after.troika;
    const revised = events[asking]?.type === 'text_revised';
    const ask = troika.countries.filter((c) => c !== troika.authorCountry);
    for (const fp of focalPointsOf(after, ask)) {
      const a = personAddress(fp, live);
      push(baseSeq + asking + 1, a, troikaRequest(after, a, directory, revised));
    }
  }

  events.forEach((event, i) => {
    const seq = baseSeq + i + 1;
    switch (event.type) {
      case 'member_consultation_opened':
        for (const { country, fp } of allMemberFocalPoints(after)) {
          const a = personAddress(fp, live);
          push(seq, a, memberRequest(after, a, country, directory));
        }
        break;
      case 'deadline_extended':
        for (const { fp } of allMemberFocalPoints(after)) {
          const a = personAddress(fp, live);
          push(seq, a, extensionNotice(after, a, event.justification));
        }
        break;
      case 'consultation_closed':
      case 'consultation_not_endorsed':
      case 'consultation_withdrawn':
        push(seq, st, digest(after, st, directory));
        for (const { country, fp } of allMemberFocalPoints(after)) {
          const a = personAddress(fp, live);
          push(seq, a, resultNotice(after, a, country, directory));
        }
        break;
      default:
        break;
    }
  });
  // One live status update per decision, after everything else.
  push(baseSeq + events.length, st, status(after, st, directory));
  return out;
}

// ------------------------------------------------------------------- reminders and the weekly digest

/** Who a reminder is for: a focal point frozen on the consultation, for a country, as member or Troika. */
export interface ReminderTarget {
  audience: 'member' | 'troika';
  country: CountryCode;
  personId: string;
}

function reminderMessage(state: ConsultationState, a: Addressed, target: ReminderTarget, directory: Directory): NeutralMessage {
  const l = a.locale;
  const value = buttonValue(state.consultationId, state.currentVersion);
  const country = countryName(directory, target.country, l);
  if (target.audience === 'troika') {
    const version = state.versions.find((v) => v.hash === state.currentVersion);
    const since = when(version?.at ?? state.sentToTroikaAt, a);
    return {
      ...header('reminder', l, state),
      heading: t(l, 'reminder.heading', { reference: state.reference }),
      body: [t(l, 'reminder.troika_pending', { reference: state.reference, title: state.title, since })],
      quote: state.text,
      fields: [
        { label: t(l, 'label.reference'), value: state.reference },
        { label: t(l, 'label.version'), value: versionLabel(state) },
        { label: t(l, 'label.country'), value: country },
      ],
      buttons: [
        { actionId: 'troika_approve', label: t(l, 'troika_request.approve'), value, style: 'primary' },
        { actionId: 'troika_changes', label: t(l, 'troika_request.changes'), value },
        { actionId: 'troika_object', label: t(l, 'troika_request.object'), value, style: 'danger' },
      ],
    };
  }
  const deadline = when(state.deadline, a);
  return {
    ...header('reminder', l, state),
    heading: t(l, 'reminder.heading', { reference: state.reference }),
    body: [
      t(l, 'reminder.body', { reference: state.reference, title: state.title, country: countryInText(directory, target.country, l), deadline }),
      t(l, 'reminder.act_here'),
    ],
    fields: [
      { label: t(l, 'label.reference'), value: state.reference },
      { label: t(l, 'label.version'), value: versionLabel(state) },
      { label: t(l, 'label.deadline'), value: deadline },
    ],
    buttons: positionButtons(l, value),
  };
}

/**
 * A reminder for one focal point as an outbox row (kind `reminder`), addressed from the live directory,
 * in the person's language and zone. Undefined when the person is not a frozen focal point of `country`.
 */
export function reminderOutbox(
  state: ConsultationState,
  directory: Directory,
  target: ReminderTarget,
  dedupeKey: string,
): NewOutboxMessage | undefined {
  const fp = state.participants.members.find((m) => m.code === target.country)?.focalPoints.find((f) => f.personId === target.personId);
  if (!fp) return undefined;
  const a = personAddress(fp, peopleById(directory));
  const message = reminderMessage(state, a, target, directory);
  return { dedupeKey, platform: a.platform, recipient: a.recipient, kind: message.kind, payload: message };
}

/**
 * The weekly digest of open consultations for the ST channel (outbox kind `weekly_digest`): one row per
 * consultation with its stage, deadline, answers x/N and the countries still missing. `week` is the ISO
 * week label (2026-W49). The neutral message has kind `digest` and no single consultation (empty id).
 */
export function openConsultationsDigestOutbox(
  states: readonly ConsultationState[],
  directory: Directory,
  week: string,
  dedupeKey: string,
): NewOutboxMessage {
  const st = secretariatAddress(directory);
  const l = st.locale;
  const rows = states.map((s) => {
    const members = s.participants.members.length;
    const missing = s.stage === 'member_consultation' ? membersAwaiting(s) : [];
    const answers =
      s.stage === 'member_consultation'
        ? `${members - missing.length}/${members}`
        : s.stage === 'troika_review' && s.troika
          ? t(l, 'weekly.troika_reactions', {
              reacted: s.troika.countries.filter((c) => s.troikaReactions[c]?.version === s.currentVersion).length,
              total: s.troika.countries.length,
            })
          : '—';
    return [
      s.reference,
      s.title,
      t(l, `stage.${s.stage}`),
      s.deadline ? when(s.deadline, st) : '—',
      answers,
      missing.length ? formatList(missing.map((c) => countryName(directory, c, l)), l) : '—',
    ];
  });
  const message: NeutralMessage = {
    kind: 'digest',
    locale: l,
    consultationId: '',
    reference: week,
    heading: t(l, 'weekly.heading', { week }),
    body: [states.length ? t(l, 'weekly.intro', { count: states.length }) : t(l, 'digest.none_open')],
    fields: [],
    ...(states.length
      ? {
          table: {
            columns: [
              t(l, 'label.reference'),
              t(l, 'label.title'),
              t(l, 'label.stage'),
              t(l, 'label.deadline'),
              t(l, 'label.answers'),
              t(l, 'digest.missing'),
            ],
            rows,
          },
        }
      : {}),
    buttons: [],
  };
  return { dedupeKey, platform: st.platform, recipient: st.recipient, kind: 'weekly_digest', payload: message };
}

// ------------------------------------------------------------------- a card rebuilt for one person

/**
 * The request card a focal point was sent — the Troika's (`troika_request`) or a Member Country's
 * (`member_request`) — rebuilt on `state` for that person (their language, zone and address), so a chat
 * adapter can update the card in place after the person decided. Undefined when the person is not a
 * frozen focal point of the consultation.
 */
export function requestCardFor(
  state: ConsultationState,
  directory: Directory,
  personId: string,
  kind: 'troika_request' | 'member_request',
): { message: NeutralMessage; recipient: Recipient; platform: DeliveryPlatform; locale: Locale; timezone: string } | undefined {
  for (const m of state.participants.members) {
    const fp = m.focalPoints.find((f) => f.personId === personId);
    if (!fp) continue;
    const a = personAddress(fp, peopleById(directory));
    const message = kind === 'troika_request' ? troikaRequest(state, a, directory, false) : memberRequest(state, a, m.code, directory);
    return { message, recipient: a.recipient, platform: a.platform, locale: a.locale, timezone: a.timezone };
  }
  return undefined;
}
