/**
 * Meetings in the database: meetings (the domain Meeting as JSON, with the columns queries need), their
 * invitations, duty completions and observer applications. Duties themselves are derived on every read
 * (src/domain/meetings/duties.ts); only their completion is stored.
 *
 * Decisions that depend on what is recorded (an invitation: the closed-door limit, one event at a time
 * for special invitees; a duty marked done) are taken inside the transaction that writes them, under one
 * advisory lock for all of them, so two operators at once cannot both pass a limit. The caller passes the
 * pure decision; the store gives it the fresh records and writes only what it accepts.
 */
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { Duty, Invitation, Meeting, ObserverApplication } from '../domain/meetings/index.ts';
import { outboxRow, type NewOutboxMessage } from './consultation-store.ts';
import { toJson } from './json.ts';

/** pg_advisory_xact_lock key serialising invitation and duty decisions ("MEET" in ASCII). */
export const MEETING_DECISION_LOCK = 0x4d454554;

export function formatMeetingReference(year: number, n: number): string {
  return `MTG-${year}-${String(n).padStart(3, '0')}`;
}

const dateOnly = (d: string) => new Date(`${d}T00:00:00.000Z`);
const civil = (d: Date) => d.toISOString().slice(0, 10);

/** What an invitation decision sees: the meeting, its invitations, and every special invitee's engagements. */
export interface InvitationView {
  meeting: Meeting;
  invitations: Invitation[];
  inviteeEngagements: { reference: string; end: string; organization: string }[];
}

export interface Completion {
  dutyId: string;
  recordedBy: string;
  doneAt: Date;
}

type InvitationRow = {
  meetingId: string;
  segment: string;
  personId: string;
  email: string;
  name: string;
  country: string | null;
  organization: string | null;
  basis: string;
  response?: string | null;
  respondedAt?: Date | null;
};

function toInvitation(r: InvitationRow): Invitation {
  return {
    meetingId: r.meetingId,
    segment: r.segment as Invitation['segment'],
    personId: r.personId,
    email: r.email,
    name: r.name,
    ...(r.country ? { country: r.country } : {}),
    ...(r.organization ? { organization: r.organization } : {}),
    basis: r.basis as Invitation['basis'],
    ...(r.response ? { response: r.response as NonNullable<Invitation['response']> } : {}),
    ...(r.respondedAt ? { respondedAt: r.respondedAt.toISOString() } : {}),
  };
}

export class MeetingStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** Records a new meeting under the next reference of its start year; returns it with that reference. */
  async create(meeting: Omit<Meeting, 'reference'>): Promise<Meeting> {
    return this.prisma.$transaction(async (tx) => {
      const year = Number(meeting.start.slice(0, 4));
      const rows = await tx.$queryRaw<{ last: number }[]>`
        INSERT INTO meeting_reference_counters (year, last) VALUES (${year}, 1)
        ON CONFLICT (year) DO UPDATE SET last = meeting_reference_counters.last + 1
        RETURNING last`;
      const last = rows[0]?.last;
      if (last === undefined) throw new Error('meeting reference counter returned no row');
      const stored: Meeting = { ...meeting, reference: formatMeetingReference(year, Number(last)) } as Meeting;
      await tx.meeting.create({
        data: {
          id: stored.id,
          reference: stored.reference,
          kind: stored.kind,
          title: stored.title,
          startsOn: dateOnly(stored.start),
          endsOn: dateOnly(stored.end),
          country: stored.country,
          data: toJson(stored),
        },
      });
      return stored;
    });
  }

  /** Every meeting, by start date then reference. */
  async list(): Promise<Meeting[]> {
    const rows = await this.prisma.meeting.findMany({ orderBy: [{ startsOn: 'asc' }, { reference: 'asc' }], select: { data: true } });
    return rows.map((r) => r.data as unknown as Meeting);
  }

  async byReference(reference: string): Promise<Meeting | undefined> {
    const row = await this.prisma.meeting.findUnique({ where: { reference }, select: { data: true } });
    return row ? (row.data as unknown as Meeting) : undefined;
  }

  /** The meeting's version (the calendar file's SEQUENCE: 0 for the first version) and last change. */
  async revision(reference: string): Promise<{ sequence: number; updatedAt: Date } | undefined> {
    const row = await this.prisma.meeting.findUnique({ where: { reference }, select: { version: true, updatedAt: true } });
    return row ? { sequence: row.version - 1, updatedAt: row.updatedAt } : undefined;
  }

  /** Invitations of one meeting (or of every meeting), by segment then name. */
  async invitations(meetingId?: string): Promise<Invitation[]> {
    const rows = await this.prisma.meetingInvitation.findMany({
      where: meetingId ? { meetingId } : {},
      orderBy: [{ meetingId: 'asc' }, { segment: 'asc' }, { name: 'asc' }, { personId: 'asc' }],
    });
    return rows.map(toInvitation);
  }

  /**
   * Decides and records one invitation atomically: `decide` gets the fresh view (under the decision lock)
   * and returns the invitation to write, or a refusal, which writes nothing.
   */
  async invite<D extends { ok: true; invitation: Invitation } | { ok: false }>(
    reference: string,
    decide: (view: InvitationView) => D,
    /** The messages an accepted invitation sends (the card, the calendar file), written in the same transaction. */
    outbox?: (invitation: Invitation, meeting: Meeting, revision: { sequence: number; updatedAt: Date }) => readonly NewOutboxMessage[],
  ): Promise<(D & { outboxIds?: string[] }) | { ok: false; code: 'meeting_not_found' }> {
    return this.prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${MEETING_DECISION_LOCK})`;
        const row = await tx.meeting.findUnique({ where: { reference }, select: { id: true, data: true, version: true, updatedAt: true } });
        if (!row) return { ok: false as const, code: 'meeting_not_found' as const };
        const invitations = (await tx.meetingInvitation.findMany({ where: { meetingId: row.id } })).map(toInvitation);
        const engagementRows = await tx.meetingInvitation.findMany({
          where: { organization: { not: null }, meetingId: { not: row.id } },
          select: { organization: true, meeting: { select: { reference: true, endsOn: true } } },
          distinct: ['meetingId', 'organization'],
        });
        const decision = decide({
          meeting: row.data as unknown as Meeting,
          invitations,
          inviteeEngagements: engagementRows.map((e) => ({ organization: e.organization!, reference: e.meeting.reference, end: civil(e.meeting.endsOn) })),
        });
        if (decision.ok) {
          const i = decision.invitation;
          await tx.meetingInvitation.create({
            data: {
              meetingId: row.id,
              segment: i.segment,
              personId: i.personId,
              email: i.email,
              name: i.name,
              country: i.country ?? null,
              organization: i.organization ?? null,
              basis: i.basis,
            },
          });
          const messages = outbox ? outbox(i, row.data as unknown as Meeting, { sequence: row.version - 1, updatedAt: row.updatedAt }) : [];
          if (messages.length > 0) {
            const now = new Date();
            const rows = await tx.outboxMessage.createManyAndReturn({ data: messages.map((m) => outboxRow(m, null, now)), skipDuplicates: true, select: { id: true } });
            return { ...decision, outboxIds: rows.map((r) => r.id) };
          }
        }
        return decision;
      },
      { maxWait: 10_000, timeout: 30_000 },
    );
  }

  /**
   * A whole delegation at once (the `meeting_delegation` form): `decide` gets the fresh view of the meeting
   * (by id) under the decision lock and returns every invitation to write, or a refusal (nothing written).
   * The messages of each invitation go in the same transaction.
   */
  async inviteMany<D extends { ok: true; invitations: Invitation[] } | { ok: false }>(
    meetingId: string,
    decide: (view: InvitationView) => D,
    outbox?: (invitation: Invitation, meeting: Meeting) => readonly NewOutboxMessage[],
  ): Promise<(D & { outboxIds?: string[] }) | { ok: false; code: 'meeting_not_found' }> {
    return this.prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${MEETING_DECISION_LOCK})`;
        const row = await tx.meeting.findUnique({ where: { id: meetingId }, select: { id: true, data: true } });
        if (!row) return { ok: false as const, code: 'meeting_not_found' as const };
        const invitations = (await tx.meetingInvitation.findMany({ where: { meetingId: row.id } })).map(toInvitation);
        const engagementRows = await tx.meetingInvitation.findMany({
          where: { organization: { not: null }, meetingId: { not: row.id } },
          select: { organization: true, meeting: { select: { reference: true, endsOn: true } } },
          distinct: ['meetingId', 'organization'],
        });
        const meeting = row.data as unknown as Meeting;
        const decision = decide({
          meeting,
          invitations,
          inviteeEngagements: engagementRows.map((e) => ({ organization: e.organization!, reference: e.meeting.reference, end: civil(e.meeting.endsOn) })),
        });
        if (!decision.ok) return decision;
        await tx.meetingInvitation.createMany({
          data: decision.invitations.map((i) => ({
            meetingId: row.id,
            segment: i.segment,
            personId: i.personId,
            email: i.email,
            name: i.name,
            country: i.country ?? null,
            organization: i.organization ?? null,
            basis: i.basis,
          })),
        });
        const messages = outbox ? decision.invitations.flatMap((i) => outbox(i, meeting)) : [];
        if (messages.length === 0) return decision;
        const now = new Date();
        const rows = await tx.outboxMessage.createManyAndReturn({ data: messages.map((m) => outboxRow(m, null, now)), skipDuplicates: true, select: { id: true } });
        return { ...decision, outboxIds: rows.map((r) => r.id) };
      },
      { maxWait: 10_000, timeout: 30_000 },
    );
  }

  /**
   * Records an invitee's answer if `decide` (given the meeting and its fresh invitations, under the decision
   * lock) accepts it; a refusal writes nothing.
   */
  async respond<D extends { ok: true; invitation: Invitation } | { ok: false }>(
    meetingId: string,
    decide: (meeting: Meeting | undefined, invitations: Invitation[]) => D,
  ): Promise<D> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${MEETING_DECISION_LOCK})`;
      const row = await tx.meeting.findUnique({ where: { id: meetingId }, select: { data: true } });
      const invitations = row ? (await tx.meetingInvitation.findMany({ where: { meetingId } })).map(toInvitation) : [];
      const decision = decide(row ? (row.data as unknown as Meeting) : undefined, invitations);
      if (decision.ok) {
        const i = decision.invitation;
        await tx.meetingInvitation.update({
          where: { meetingId_segment_personId: { meetingId, segment: i.segment, personId: i.personId } },
          data: { response: i.response ?? null, respondedAt: i.respondedAt ? new Date(i.respondedAt) : null },
        });
      }
      return decision;
    });
  }

  async byId(id: string): Promise<Meeting | undefined> {
    const row = await this.prisma.meeting.findUnique({ where: { id }, select: { data: true } });
    return row ? (row.data as unknown as Meeting) : undefined;
  }

  async revisionById(id: string): Promise<{ sequence: number; updatedAt: Date } | undefined> {
    const row = await this.prisma.meeting.findUnique({ where: { id }, select: { version: true, updatedAt: true } });
    return row ? { sequence: row.version - 1, updatedAt: row.updatedAt } : undefined;
  }

  /** Records the plenary agenda (replaces any earlier one) and bumps the meeting's version. */
  async setAgenda(reference: string, agenda: readonly string[]): Promise<Meeting | undefined> {
    return this.prisma.$transaction(async (tx) => {
      const row = await tx.meeting.findUnique({ where: { reference }, select: { data: true } });
      if (!row) return undefined;
      const meeting: Meeting = { ...(row.data as unknown as Meeting), agenda: [...agenda] };
      await tx.meeting.update({ where: { reference }, data: { data: toJson(meeting), version: { increment: 1 }, updatedAt: new Date() } });
      return meeting;
    });
  }

  /** Ids of the duties recorded as done. */
  async completedDutyIds(): Promise<Set<string>> {
    const rows = await this.prisma.dutyCompletion.findMany({ select: { dutyId: true } });
    return new Set(rows.map((r) => r.dutyId));
  }

  async completions(): Promise<Completion[]> {
    return this.prisma.dutyCompletion.findMany({ select: { dutyId: true, recordedBy: true, doneAt: true }, orderBy: { doneAt: 'asc' } });
  }

  /**
   * Records a duty as done if `decide` (given the completed ids, under the decision lock) accepts it.
   * Returns the decision.
   */
  async completeDuty<D extends { ok: boolean }>(duty: Duty, recordedBy: string, decide: (done: ReadonlySet<string>) => D): Promise<D> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${MEETING_DECISION_LOCK})`;
      const done = new Set((await tx.dutyCompletion.findMany({ select: { dutyId: true } })).map((r) => r.dutyId));
      const decision = decide(done);
      if (decision.ok) {
        await tx.dutyCompletion.create({
          data: { dutyId: duty.id, duty: duty.duty, meetingReference: duty.meeting ?? null, owner: duty.owner, due: dateOnly(duty.due), recordedBy },
        });
      }
      return decision;
    });
  }

  /**
   * The consultations of kind `meeting_summary` (a meeting's summary put to the Member Countries), by
   * meeting reference: each one's reference, stage and outcome. Read from the consultations' snapshots.
   */
  async summaryConsultations(meetingReference?: string): Promise<{ meetingReference: string; reference: string; stage: string; outcome: string | null }[]> {
    const rows = await this.prisma.$queryRaw<{ meeting_reference: string; reference: string; stage: string; outcome: string | null }[]>`
      SELECT snapshot->>'meetingReference' AS meeting_reference, reference, stage, outcome
      FROM consultations
      WHERE snapshot->>'kind' = 'meeting_summary'
      ORDER BY created_at, reference`;
    return rows
      .filter((r) => meetingReference === undefined || r.meeting_reference === meetingReference)
      .map((r) => ({ meetingReference: r.meeting_reference, reference: r.reference, stage: r.stage, outcome: r.outcome }));
  }

  // ── Observer applications ──────────────────────────────────────────────────────────────────────

  async saveApplication(app: ObserverApplication): Promise<void> {
    const data = {
      applicantKind: app.applicant.kind,
      applicantCode: app.applicant.code,
      stage: app.stage,
      receivedOn: dateOnly(app.receivedOn),
      data: toJson(app),
    };
    await this.prisma.observerApplication.upsert({
      where: { id: app.id },
      create: { id: app.id, ...data },
      update: { ...data, updatedAt: new Date() },
    });
  }

  /**
   * Opens a case under the next id of its year (`OBS-YYYY-NNN`): `decide` gets the id and returns the case
   * with its announcement, or a refusal (nothing written). One transaction, under the decision lock.
   */
  async createApplication<D extends { ok: true; application: ObserverApplication; outbox: readonly NewOutboxMessage[] } | { ok: false; code: string }>(
    year: number,
    decide: (id: string) => D,
  ): Promise<(Omit<Extract<D, { ok: true }>, 'outbox'> & { outboxIds: string[] }) | Extract<D, { ok: false }>> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${MEETING_DECISION_LOCK})`;
      const prefix = `OBS-${year}-`;
      const n = (await tx.observerApplication.count({ where: { id: { startsWith: prefix } } })) + 1;
      const decision = decide(`${prefix}${String(n).padStart(3, '0')}`);
      if (!decision.ok) return decision as Extract<D, { ok: false }>;
      const { outbox, ...rest } = decision as Extract<D, { ok: true }>;
      const app = rest.application;
      await tx.observerApplication.create({
        data: { id: app.id, applicantKind: app.applicant.kind, applicantCode: app.applicant.code, stage: app.stage, receivedOn: dateOnly(app.receivedOn), data: toJson(app) },
      });
      const rows = outbox.length
        ? await tx.outboxMessage.createManyAndReturn({ data: outbox.map((m) => outboxRow(m, null, new Date())), skipDuplicates: true, select: { id: true } })
        : [];
      return { ...rest, outboxIds: rows.map((r) => r.id) } as never;
    });
  }

  /** The next step of a case, decided on the fresh case under the decision lock; its announcement in the same transaction. */
  async updateApplication<D extends { ok: true; application: ObserverApplication; outbox: readonly NewOutboxMessage[] } | { ok: false; code: string }>(
    id: string,
    decide: (app: ObserverApplication) => D,
  ): Promise<(Omit<Extract<D, { ok: true }>, 'outbox'> & { outboxIds: string[] }) | Extract<D, { ok: false }> | { ok: false; code: 'application_not_found' }> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${MEETING_DECISION_LOCK})`;
      const row = await tx.observerApplication.findUnique({ where: { id }, select: { data: true } });
      if (!row) return { ok: false as const, code: 'application_not_found' as const };
      const decision = decide(row.data as unknown as ObserverApplication);
      if (!decision.ok) return decision as Extract<D, { ok: false }>;
      const { outbox, ...rest } = decision as Extract<D, { ok: true }>;
      await tx.observerApplication.update({ where: { id }, data: { stage: rest.application.stage, data: toJson(rest.application), updatedAt: new Date() } });
      const rows = outbox.length
        ? await tx.outboxMessage.createManyAndReturn({ data: outbox.map((m) => outboxRow(m, null, new Date())), skipDuplicates: true, select: { id: true } })
        : [];
      return { ...rest, outboxIds: rows.map((r) => r.id) } as never;
    });
  }

  async applications(): Promise<ObserverApplication[]> {
    const rows = await this.prisma.observerApplication.findMany({ orderBy: [{ receivedOn: 'asc' }, { id: 'asc' }], select: { data: true } });
    return rows.map((r) => r.data as unknown as ObserverApplication);
  }
}
