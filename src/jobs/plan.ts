/**
 * The job plan: from a consultation's state, the live directory and the reminder policy, every job that
 * should exist for it now — the deadline close and each reminder slot — with its deterministic id
 * (./names.ts) and its instant. Pure: no I/O, no clock (callers pass `now`). The scheduler adds what is
 * missing, reconcile rebuilds everything from it, and the processors re-check the state when they fire.
 *
 * Rules (shared/domain.md "Reminders"):
 *  - Member reminders: each focal point (frozen on the consultation) of each Member Country that has not
 *    answered, `daysBefore` business days before the deadline (default D-2 and D-0) at `hour` local
 *    (default 09:00) in the person's zone and on the business days of the person's country calendar
 *    (`reminderSlots`).
 *  - Troika reminders: focal points of Troika countries (never the PPT's: it approves as the author) that have not reacted to the current text version,
 *    `troikaAfterBusinessDays` (default 1) business days after the version was sent or revised, at `hour`
 *    local (`addBusinessDaysAt`).
 *  - A slot whose time has passed (the bot was down, Redis lost its data) while the stage is still open
 *    is caught up at the next civil time (`nextCivilTime`), never dropped silently. Only the latest missed
 *    slot of a person is caught up (two catch-ups would land at the same instant), and a catch-up that
 *    would land within `catchUpMergeMs` of the person's next planned slot is merged into it.
 *  - (policy) A slot whose time was already past when the person was told (the text circulated, the
 *    deadline extended, the Troika asked) is not a missed reminder: the person has just received the
 *    request itself. It is skipped with reason `before_notice` (`remindBeforeNotice: true` catches it up
 *    instead).
 *  Everything skipped is returned in `skipped` with its reason, for the log.
 */
import { addBusinessDaysAt, nextCivilTime, reminderSlots } from '../calendar/index.ts';
import type { CountryCode, Directory, HolidayOverride, Person } from '../directory/model.ts';
import { currentTextVersion, membersAwaiting, troikaAwaiting } from '../domain/outcome.ts';
import type { ConsultationEvent, ConsultationState, ParticipantFocalPoint } from '../domain/types.ts';
import { jobIds } from './names.ts';

/** Reminder policy (shared/domain.md "Reminders", marked policy there). One object, domain defaults. */
export interface ReminderPolicy {
  /** Business days before the deadline's local date; 0 is the deadline day. */
  daysBefore: readonly number[];
  /** Local hour a reminder goes out (start of the civil window). */
  hour: number;
  /** End of the civil window, exclusive (a catch-up never goes out at or after this local hour). */
  windowEndHour: number;
  /** Business days after the text was sent or revised before a Troika member who has not reacted is reminded. */
  troikaAfterBusinessDays: number;
  /** A catch-up this close to the person's next planned slot is merged into it (ms). */
  catchUpMergeMs: number;
  /** Catch up slots that had passed before the person was even told (default false: skip them). */
  remindBeforeNotice: boolean;
}

export const DEFAULT_REMINDER_POLICY: ReminderPolicy = Object.freeze({
  daysBefore: Object.freeze([2, 0]) as readonly number[],
  hour: 9,
  windowEndHour: 18,
  troikaAfterBusinessDays: 1,
  catchUpMergeMs: 60 * 60_000,
  remindBeforeNotice: false,
});

export type ReminderAudience = 'member' | 'troika';

/** Payload of a `remind` job (JSON). */
export interface RemindJobData {
  consultationId: string;
  audience: ReminderAudience;
  country: CountryCode;
  personId: string;
  slot: string;
  /** The deadline version the slot belongs to (0 for Troika reminders). */
  deadlineVersion: number;
  /** Troika reminders: hash of the text version the person has not reacted to. */
  textVersion?: string;
  /** The instant the slot is planned for (ISO). */
  dueAt: string;
}

/** Payload of a `close` job (JSON). */
export interface CloseJobData {
  consultationId: string;
  deadlineVersion: number;
  /** The deadline the job was planned for (ISO); the processor waits for it if it fires early. */
  deadline: string;
}

export type PlannedJob =
  | { queue: 'close'; id: string; at: Date; data: CloseJobData }
  | {
      queue: 'remind';
      id: string;
      at: Date;
      data: RemindJobData;
      /** `scheduled`: the slot's own time; `catch-up`: a missed slot moved to the next civil time. */
      timing: 'scheduled' | 'catch-up';
    };

export type PlannedReminder = Extract<PlannedJob, { queue: 'remind' }>;

export interface SkippedSlot {
  id: string;
  personId: string;
  slot: string;
  at: Date;
  reason: 'before_notice' | 'superseded' | 'merged' | 'after_deadline' | 'calendar_error';
}

export interface JobPlan {
  jobs: PlannedJob[];
  skipped: SkippedSlot[];
}

export interface PlanInput {
  state: ConsultationState;
  directory: Directory;
  now: Date;
  policy?: Partial<ReminderPolicy>;
}

/** Stages in which a consultation is open (reconcile visits these). */
export const OPEN_STAGES = ['draft', 'troika_review', 'member_consultation'] as const;

export const troikaSlot = (versionNumber: number): string => `troika-v${versionNumber}`;
export const memberSlot = (daysBefore: number): string => `D-${daysBefore}`;

/** The dedupe key of a reminder's outbox row: the same tuple as the reminders_sent key. */
export function reminderDedupeKey(d: Pick<RemindJobData, 'consultationId' | 'country' | 'personId' | 'slot' | 'deadlineVersion'>): string {
  return `reminder:${d.consultationId}:${d.country}:${d.personId}:${d.slot}:v${d.deadlineVersion}`;
}

export function resolvePolicy(policy?: Partial<ReminderPolicy>): ReminderPolicy {
  return { ...DEFAULT_REMINDER_POLICY, ...(policy ?? {}) };
}

interface Where {
  timeZone: string;
  calendar: string;
  holidays: readonly HolidayOverride[];
}

/** The person's zone (live directory first, then the frozen one) and their country's calendar. */
function whereIs(fp: ParticipantFocalPoint, country: CountryCode, directory: Directory, live: Map<string, Person>): Where {
  const c = directory.countries.find((x) => x.code === country);
  return {
    timeZone: live.get(fp.personId)?.timezone ?? fp.timezone,
    calendar: c?.calendar ?? directory.secretariat.calendar,
    holidays: directory.holidays,
  };
}

function livePeople(directory: Directory): Map<string, Person> {
  const map = new Map<string, Person>();
  for (const c of directory.countries) for (const f of c.focalPoints) map.set(f.id, f);
  return map;
}

function focalPoints(state: ConsultationState, country: CountryCode): ParticipantFocalPoint[] {
  return state.participants.members.find((m) => m.code === country)?.focalPoints ?? [];
}

/** When the members were last told of the current deadline: circulation, or the latest extension. */
function memberNoticeAt(state: ConsultationState): number {
  const last = state.extensions.at(-1);
  const at = last && state.deadlineVersion > 1 ? last.at : state.circulatedAt;
  return at ? new Date(at).getTime() : 0;
}

export function planJobs(input: PlanInput): JobPlan {
  const { state, directory, now } = input;
  const policy = resolvePolicy(input.policy);
  const out: JobPlan = { jobs: [], skipped: [] };
  const live = livePeople(directory);
  const nowMs = now.getTime();

  if (state.stage === 'member_consultation' && state.deadline) {
    const deadline = new Date(state.deadline);
    const dv = state.deadlineVersion;
    out.jobs.push({
      queue: 'close',
      id: jobIds.close(state.consultationId, dv),
      at: deadline,
      data: { consultationId: state.consultationId, deadlineVersion: dv, deadline: state.deadline },
    });
    if (nowMs < deadline.getTime()) {
      const noticeAt = memberNoticeAt(state);
      for (const country of membersAwaiting(state)) {
        for (const fp of focalPoints(state, country)) {
          const where = whereIs(fp, country, directory, live);
          let slots;
          try {
            slots = reminderSlots(deadline, where, {
              daysBefore: policy.daysBefore,
              hour: policy.hour,
              windowEndHour: policy.windowEndHour,
              holidays: where.holidays,
            });
          } catch {
            out.skipped.push({ id: '', personId: fp.personId, slot: '*', at: deadline, reason: 'calendar_error' });
            continue;
          }
          const candidates = slots.map((s) => ({
            slot: memberSlot(Number(s.slot.slice(2))),
            at: s.at,
          }));
          const make = (slot: string, at: Date): RemindJobData => ({
            consultationId: state.consultationId,
            audience: 'member',
            country,
            personId: fp.personId,
            slot,
            deadlineVersion: dv,
            dueAt: at.toISOString(),
          });
          planPerson(out, candidates, {
            now,
            deadline,
            noticeAt,
            policy,
            where,
            id: (slot) => jobIds.remind(state.consultationId, fp.personId, slot, dv),
            data: make,
            personId: fp.personId,
          });
        }
      }
    }
  }

  if (state.stage === 'troika_review' && state.troika) {
    const version = currentTextVersion(state);
    const sentAt = Math.max(state.sentToTroikaAt ? new Date(state.sentToTroikaAt).getTime() : 0, new Date(version.at).getTime());
    if (sentAt > 0) {
      const slot = troikaSlot(version.number);
      // The PPT's country approves its own text as its author: its focal points are never reminded as Troika.
      const author = state.troika.authorCountry;
      for (const country of troikaAwaiting(state).filter((c) => c !== author)) {
        for (const fp of focalPoints(state, country)) {
          const where = whereIs(fp, country, directory, live);
          let at: Date;
          try {
            at = addBusinessDaysAt(new Date(sentAt), policy.troikaAfterBusinessDays, {
              timeZone: where.timeZone,
              calendar: where.calendar,
              hour: policy.hour,
              holidays: where.holidays,
            });
          } catch {
            out.skipped.push({ id: '', personId: fp.personId, slot, at: new Date(sentAt), reason: 'calendar_error' });
            continue;
          }
          planPerson(out, [{ slot, at }], {
            now,
            deadline: undefined,
            noticeAt: sentAt,
            policy,
            where,
            id: (s) => jobIds.remind(state.consultationId, fp.personId, s, 0),
            data: (s, when) => ({
              consultationId: state.consultationId,
              audience: 'troika',
              country,
              personId: fp.personId,
              slot: s,
              deadlineVersion: 0,
              textVersion: state.currentVersion,
              dueAt: when.toISOString(),
            }),
            personId: fp.personId,
          });
        }
      }
    }
  }
  return out;
}

interface PersonContext {
  now: Date;
  deadline: Date | undefined;
  noticeAt: number;
  policy: ReminderPolicy;
  where: Where;
  id: (slot: string) => string;
  data: (slot: string, at: Date) => RemindJobData;
  personId: string;
}

/** One person's slots → scheduled jobs, at most one catch-up, and the skipped rest. */
function planPerson(out: JobPlan, slots: { slot: string; at: Date }[], p: PersonContext): void {
  const nowMs = p.now.getTime();
  const future = slots.filter((s) => s.at.getTime() > nowMs).sort((a, b) => a.at.getTime() - b.at.getTime());
  const past = slots.filter((s) => s.at.getTime() <= nowMs).sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const s of future) {
    out.jobs.push({ queue: 'remind', id: p.id(s.slot), at: s.at, data: p.data(s.slot, s.at), timing: 'scheduled' });
  }
  // Of the missed slots, only the latest can be caught up; the earlier ones are superseded by it.
  const latest = past.at(-1);
  for (const s of past.slice(0, -1)) {
    out.skipped.push({ id: p.id(s.slot), personId: p.personId, slot: s.slot, at: s.at, reason: 'superseded' });
  }
  if (!latest) return;
  const skip = (reason: SkippedSlot['reason'], at = latest.at): void => {
    out.skipped.push({ id: p.id(latest.slot), personId: p.personId, slot: latest.slot, at, reason });
  };
  if (!p.policy.remindBeforeNotice && latest.at.getTime() <= p.noticeAt) return skip('before_notice');
  let at: Date;
  try {
    at = nextCivilTime(p.now, {
      timeZone: p.where.timeZone,
      calendar: p.where.calendar,
      hour: p.policy.hour,
      windowEndHour: p.policy.windowEndHour,
      holidays: p.where.holidays,
    });
  } catch {
    return skip('calendar_error');
  }
  if (p.deadline && at.getTime() >= p.deadline.getTime()) {
    // No civil time is left before the deadline: send now rather than never (domain.md: never dropped).
    at = p.now;
  }
  const next = future[0];
  if (next && next.at.getTime() - at.getTime() < p.policy.catchUpMergeMs) return skip('merged', at);
  out.jobs.push({ queue: 'remind', id: p.id(latest.slot), at, data: p.data(latest.slot, at), timing: 'catch-up' });
}

/**
 * Ids of jobs a decision may have made obsolete (to remove), from its events: an answer cancels the
 * country's pending reminders, a Troika reaction the country's Troika reminders, a revision the previous
 * version's Troika reminders, the opening of the member stage every Troika reminder, an extension every
 * job of the previous deadline version, an end every job. Ids still expected by `plan` are kept.
 */
export function obsoleteJobIds(
  state: ConsultationState,
  events: readonly ConsultationEvent[],
  expected: JobPlan,
  policy?: Partial<ReminderPolicy>,
): string[] {
  const p = resolvePolicy(policy);
  const ids = new Set<string>();
  const cid = state.consultationId;
  const memberIds = (countries: readonly CountryCode[], dv: number) => {
    for (const c of countries) {
      for (const fp of focalPoints(state, c)) for (const k of p.daysBefore) ids.add(jobIds.remind(cid, fp.personId, memberSlot(k), dv));
    }
  };
  const troikaIds = (countries: readonly CountryCode[], versionNumber: number) => {
    for (const c of countries) for (const fp of focalPoints(state, c)) ids.add(jobIds.remind(cid, fp.personId, troikaSlot(versionNumber), 0));
  };
  const allMembers = state.participants.members.map((m) => m.code);
  const troika = state.troika?.countries ?? [];
  const versionNumber = currentTextVersion(state).number;

  for (const e of events) {
    switch (e.type) {
      case 'position_recorded':
        memberIds([e.country], state.deadlineVersion);
        break;
      case 'troika_reacted':
        for (let n = 1; n <= versionNumber; n++) troikaIds([e.country], n);
        break;
      case 'text_revised':
        for (let n = 1; n < e.version.number; n++) troikaIds(troika, n);
        break;
      case 'member_consultation_opened':
        for (let n = 1; n <= versionNumber; n++) troikaIds(troika, n);
        break;
      case 'deadline_extended':
        for (let dv = 1; dv < e.deadlineVersion; dv++) {
          memberIds(allMembers, dv);
          ids.add(jobIds.close(cid, dv));
        }
        break;
      case 'consultation_closed':
      case 'consultation_withdrawn':
      case 'consultation_not_endorsed':
        for (let dv = 1; dv <= state.deadlineVersion; dv++) {
          memberIds(allMembers, dv);
          // The close job that closed it is the one running now: leave it to finish.
          const running = e.type === 'consultation_closed' && e.reason === 'deadline' && dv === state.deadlineVersion;
          if (!running) ids.add(jobIds.close(cid, dv));
        }
        for (let n = 1; n <= versionNumber; n++) troikaIds(troika, n);
        break;
      default:
        break;
    }
  }
  for (const j of expected.jobs) ids.delete(j.id);
  return [...ids];
}
