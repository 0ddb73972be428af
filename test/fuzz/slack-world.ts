/**
 * The Slack app over real loopback HTTP for the fuzzers (test/integration/adapters/slack-app-harness.ts:
 * our HTTP server, the Bolt app, a fresh PostgreSQL database, the fake Slack Web API, a response_url
 * recorder), with consultations in every stage to aim at, and the checks every case must pass:
 *
 *   - no 5xx, and the server still answers /healthz;
 *   - nothing logged at level error (the app logs every unexpected failure there: a bug) and no one was sent
 *     the generic "unexpected error" message;
 *   - the database unchanged (consultations, their versions, events, outbox, applied commands, reference
 *     counters) unless the case may change it; refused attempts are recorded by design;
 *   - Object.prototype untouched.
 *
 * Seeded on 1 December 2026 (PA holds the presidency; the Troika is MX, PA, SV):
 *   review    Troika review, version 2 (MX asked for changes on version 1, the PPT revised)
 *   members   member consultation (MX and SV approved)
 *   rejected  not endorsed (MX objected)
 *   withdrawn withdrawn by the ST during the Troika review
 */
import { expect } from 'vitest';
import { reactTroika, revise, startConsultation, withdraw } from '../../src/flows/consultation-flows.ts';
import type { FlowResult } from '../../src/flows/execute.ts';
import { t } from '../../src/i18n/index.ts';
import { buttonValue } from '../../src/messages/neutral.ts';
import { slackActor } from '../helpers/engine.ts';
import type { SlackEventsResponse } from '../helpers/slack-requests.ts';
import { PEOPLE, startSlackAppWorld, type SlackAppWorld } from '../integration/adapters/slack-app-harness.ts';
import { capturedLog, prototypesClean, type CapturedLog } from './support.ts';

export { PEOPLE };

/** Everyone with a Slack id in the example directory, and some who are not in it. */
export const DIRECTORY_USERS = [
  'U0BZ0000001', 'U0CA0000001', 'U0CA0000002', 'U0CR0000001', 'U0CR0000002', 'U0DO0000001', 'U0GT0000001',
  'U0HN0000001', 'U0HN0000002', 'U0JM0000001', 'U0MX0000001', 'U0MX0000002', 'U0NI0000001', 'U0PA0000001',
  'U0PA0000002', 'U0ST0000001', 'U0ST0000002', 'U0SV0000001', 'U0US0000001', 'U0US0000002',
] as const;
export const STRANGERS = ['U0NOBODY001', 'W0ENTERPRISE1', 'u0pa0000001', ' U0PA0000001', 'B0BOT00001', 'USLACKBOT', 'not-an-id', ''] as const;
/** PPT focal points and ST staff: may start, revise, extend, withdraw. */
export const MANAGERS = new Set(['U0PA0000001', 'U0PA0000002', 'U0ST0000001', 'U0ST0000002']);

export interface Seeded {
  id: string;
  reference: string;
  stage: string;
  /** Every text version's hash, oldest first. */
  versions: string[];
}

export interface Fingerprint {
  consultations: number;
  versions: number;
  events: number;
  outbox: number;
  applied: number;
  references: number;
  imports: number;
}

export interface FuzzWorld {
  w: SlackAppWorld;
  log: CapturedLog;
  seeded: Record<'review' | 'members' | 'rejected' | 'withdrawn', Seeded>;
  /** The consultations now (id, reference, stage, versions). */
  consultations(): Promise<Seeded[]>;
  fingerprint(): Promise<Fingerprint>;
  /** Events with an id above `afterId`, oldest first. */
  eventsAfter(afterId: bigint): Promise<{ id: bigint; consultationId: string; type: string; payload: Record<string, unknown>; actorPersonId: string | null }[]>;
  lastEventId(): Promise<bigint>;
  /** How many things reached people so far: Slack API calls and response_url posts. */
  repliesSoFar(): number;
  /** The fingerprint after the last case (what the next case starts from). */
  before(): Promise<Fingerprint>;
  /** Takes the fingerprint anew (after changes made outside a case, e.g. more consultations seeded). */
  resync(): Promise<void>;
  /**
   * Waits for the request's work to end, then checks what every case must hold; `mayChange` says whether
   * the database may have changed since `before()`. Returns the fingerprint after.
   */
  afterCase(res: SlackEventsResponse, o: { mayChange: boolean; what: string }): Promise<Fingerprint>;
  close(): Promise<void>;
}

const INTERNAL = [t('es', 'error.internal', { requestId: '' }).slice(0, 30), t('en', 'error.internal', { requestId: '' }).slice(0, 30)];

const ok = (r: FlowResult): Extract<FlowResult, { ok: true }> => {
  if (!r.ok) throw new Error(`seeding failed: ${r.code}`);
  return r;
};

export async function startFuzzWorld(label: string, options: { viewBudgetMs?: number } = {}): Promise<FuzzWorld> {
  const log = capturedLog();
  const w = await startSlackAppWorld(label, { logger: log.logger, ...options });
  const deps = w.engine.deps;
  const actor = (u: string) => slackActor(w.engine, u);
  let n = 0;
  const key = () => `fuzz-seed:${++n}`;
  const start = async (title: string, by: string = PEOPLE.pptPA) =>
    ok(await startConsultation(deps, { key: key(), actor: actor(by), title, text: `Texto de ${title}.`, deadline: { kind: 'business_days', days: 5 }, rule: 'explicit', locale: 'es' })).state;

  const review = await start('Consulta en revisión');
  ok(await reactTroika(deps, { key: key(), actor: actor(PEOPLE.troikaMX), consultationId: review.consultationId, version: review.currentVersion, reaction: 'request_changes', reason: 'Precisar el alcance.' }));
  ok(await revise(deps, { key: key(), actor: actor(PEOPLE.pptPA), consultationId: review.consultationId, text: 'Texto revisado, con el alcance precisado.' }));

  const members = await start('Consulta a los miembros', PEOPLE.staff);
  ok(await reactTroika(deps, { key: key(), actor: actor(PEOPLE.troikaMX), consultationId: members.consultationId, version: members.currentVersion, reaction: 'approve' }));
  ok(await reactTroika(deps, { key: key(), actor: actor(PEOPLE.troikaSV), consultationId: members.consultationId, version: members.currentVersion, reaction: 'approve' }));

  const rejected = await start('Consulta no avalada');
  ok(await reactTroika(deps, { key: key(), actor: actor(PEOPLE.troikaMX), consultationId: rejected.consultationId, version: rejected.currentVersion, reaction: 'object', reason: 'No corresponde.' }));

  const withdrawn = await start('Consulta retirada');
  ok(await withdraw(deps, { key: key(), actor: actor(PEOPLE.staff), consultationId: withdrawn.consultationId, reason: 'Ya no es necesaria.' }));

  // The cards exist in the fake Slack (with their channel and ts), as after the deliver job.
  await w.deliver();

  const prisma = w.engine.db.prisma;
  const consultations = async (): Promise<Seeded[]> =>
    (
      await prisma.$queryRawUnsafe<{ id: string; reference: string; stage: string; versions: string[] }[]>(
        `SELECT id, reference, stage, jsonb_path_query_array(snapshot, '$.versions[*].hash') AS versions FROM consultations ORDER BY created_at, id`,
      )
    ).map((r) => ({ id: r.id, reference: r.reference, stage: r.stage, versions: r.versions }));
  const all = await consultations();
  const find = (id: string) => all.find((c) => c.id === id)!;

  const fingerprint = async (): Promise<Fingerprint> => {
    const [row] = await prisma.$queryRawUnsafe<Record<string, bigint>[]>(`
      SELECT (SELECT count(*) FROM consultations) AS consultations,
             (SELECT coalesce(sum(version), 0) FROM consultations) AS versions,
             (SELECT count(*) FROM consultation_events) AS events,
             (SELECT count(*) FROM outbox) AS outbox,
             (SELECT count(*) FROM command_log WHERE status <> 'refused') AS applied,
             (SELECT coalesce(sum(last), 0) FROM reference_counters) AS "references",
             (SELECT count(*) FROM directory_imports) AS imports`);
    return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)])) as unknown as Fingerprint;
  };

  let healthChecks = 0;
  let last: Fingerprint | undefined;
  let seenCalls = w.slack.calls.length;
  let seenResponses = w.responses.length;
  const world: FuzzWorld = {
    w,
    log,
    seeded: { review: find(review.consultationId), members: find(members.consultationId), rejected: find(rejected.consultationId), withdrawn: find(withdrawn.consultationId) },
    consultations,
    fingerprint,
    async eventsAfter(afterId) {
      const rows = await prisma.consultationEvent.findMany({ where: { id: { gt: afterId } }, orderBy: { id: 'asc' } });
      return rows.map((r) => ({ id: r.id, consultationId: r.consultationId, type: r.type, payload: r.payload as Record<string, unknown>, actorPersonId: r.actorPersonId }));
    },
    async lastEventId() {
      const last = await prisma.consultationEvent.findFirst({ orderBy: { id: 'desc' }, select: { id: true } });
      return last?.id ?? 0n;
    },
    repliesSoFar: () => w.slack.calls.length + w.responses.length,
    async before() {
      last ??= await fingerprint();
      return last;
    },
    async resync() {
      last = await fingerprint();
    },
    async afterCase(res, o) {
      const before = await world.before();
      await w.settled();
      expect(res.status, `${o.what}: HTTP status`).toBeLessThan(500);
      expect(prototypesClean(), `${o.what}: prototypes`).toEqual([]);
      const errors = log.errors().map((e) => `${String(e.msg)}: ${JSON.stringify(e.err ?? e.error ?? '')}`);
      log.reset();
      expect(errors, `${o.what}: errors logged`).toEqual([]);
      const after = await fingerprint();
      last = after;
      if (!o.mayChange) expect(after, `${o.what}: database changed`).toEqual(before);
      // Nobody was told "an unexpected error occurred" (the generic message of a failure).
      const told = [...w.slack.calls.slice(seenCalls).map((c) => JSON.stringify(c.args)), ...w.responses.slice(seenResponses).map((r) => JSON.stringify(r.body))];
      seenCalls = w.slack.calls.length;
      seenResponses = w.responses.length;
      expect(told.filter((x) => INTERNAL.some((m) => x.includes(m))), `${o.what}: generic error message sent`).toEqual([]);
      healthChecks += 1;
      if (healthChecks % 10 === 0) {
        const health = await fetch(w.url.replace('/slack/events', '/healthz'));
        expect(health.status, 'healthz').toBe(200);
      }
      return after;
    },
    async close() {
      const health = await fetch(w.url.replace('/slack/events', '/healthz'));
      expect(health.status).toBe(200);
      await w.close();
    },
  };
  return world;
}

export { buttonValue };
