/**
 * The metrics an operator alerts on, read over HTTP (GET /metrics) after real work: an engine on a real
 * PostgreSQL database, the real workers on Redis and on BullMQ's PostgreSQL backend, a recording notifier
 * behind the real deliver worker. The clock is real (delivery latency and reminder lateness are measured
 * on it), so the Troika is the one in office today.
 *
 *   - refusals by code (the flows' observe hook), delivery latency (row written → sent), a dead letter
 *     (a permanent failure) counted and shown as a dead outbox row;
 *   - reminder lateness (due → sent) for a reminder that came due 90 s ago;
 *   - the inbox backlog (an interaction stored and not processed yet);
 *   - with the deliver worker paused: deliver jobs waiting, the age of the oldest, pending outbox rows
 *     and their age; after it resumes, all back to zero.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandActor, ConsultationState } from '../../../src/domain/types.ts';
import { troikaAt } from '../../../src/directory/presidency.ts';
import { dateInZone } from '../../../src/domain/time.ts';
import { reactTroika, recordPosition, startConsultation } from '../../../src/flows/consultation-flows.ts';
import { identify } from '../../../src/flows/people.ts';
import { observeCommand } from '../../../src/http/metrics.ts';
import { createHttpServer, type HttpServer } from '../../../src/http/server.ts';
import { startJobs, type RunningJobs } from '../../../src/jobs/index.ts';
import { RecordingNotifier, type DeliveryItem } from '../../../src/jobs/notifier.ts';
import { watchOperations } from '../../../src/jobs/queue-stats.ts';
import { processReminder } from '../../../src/jobs/remind.ts';
import { silentLogger } from '../../../src/log.ts';
import { openTestApp, openTestJobs, until, type TestApp, type TestJobs } from './remind-harness.ts';

const WAIT = 60_000;
let n = 0;
const key = (label: string) => `${label}:${process.pid}:${++n}:${Math.random().toString(36).slice(2)}`;

/** Every sample of a Prometheus text exposition, by `name{labels}` (labels as printed, `app` dropped). */
function parse(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-z_:][a-z0-9_:]*)(\{[^}]*\})? (\S+)$/i.exec(line);
    if (!m) continue;
    const labels = (m[2] ?? '').replace(/,?app="crm-bot"/, '').replace(/^\{,?/, '{').replace(/^\{\}$/, '');
    out.set(`${m[1]}${labels === '{' ? '' : labels}`, Number(m[3]));
  }
  return out;
}

describe.each(['redis', 'postgres'] as const)('GET /metrics after real work (jobs on %s)', (kind) => {
  let app: TestApp;
  let jobs: TestJobs;
  let notifier: RecordingNotifier;
  let running: RunningJobs;
  let http: HttpServer;
  let port: number;
  let unwatch: () => void;
  let deadPerson: string;

  const scrape = async (): Promise<Map<string, number>> => {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    return parse(await res.text());
  };
  const value = (m: Map<string, number>, series: string) => m.get(series) ?? 0;
  const pendingRows = async () => (await app.engine.outbox.counts()).pending;
  const settled = () => until(async () => (await pendingRows()) === 0, WAIT, 'every outbox row delivered or dead');

  const actorOf = (country: string): CommandActor => {
    const directory = app.engine.directory.current();
    const fp = directory.countries.find((c) => c.code === country)?.focalPoints.find((f) => f.slack);
    const a = fp && identify(directory, { platform: 'slack', userId: fp.slack! });
    if (!a) throw new Error(`no Slack focal point for ${country}`);
    return a;
  };

  beforeAll(async () => {
    app = await openTestApp('postgres', `metrics_${kind}`);
    app.engine.deps.observe = observeCommand;
    jobs = await openTestJobs(kind, 'metrics');
    notifier = new RecordingNotifier();
    running = await startJobs(app.engine, jobs.backend, notifier, {
      logger: app.logger,
      weeklyDigest: { enabled: false },
      reconcileAtStart: false,
      deliver: { retry: { attempts: 2, backoffMs: 100 } },
    });
    unwatch = watchOperations(app.engine, jobs.backend);
    http = createHttpServer({ port: 0, host: '127.0.0.1', logger: silentLogger() });
    port = await http.listen();
  });
  afterAll(async () => {
    unwatch?.();
    await http?.close();
    await running?.stop();
    await jobs?.dispose();
    await app?.dispose();
  });

  it('refusals by code, delivery latency, a dead letter, reminder lateness, and the queue and outbox backlog', { timeout: 240_000 }, async () => {
    const before = await scrape();
    const directory = app.engine.directory.current();
    const troika = troikaAt(directory.presidencies, dateInZone(new Date(), directory.secretariat.timezone))!;
    // Belize's first focal point cannot be reached: a permanent failure, a dead letter to the ST.
    deadPerson = actorOf('BZ').personId;
    notifier.permanent('channel_not_found', { when: (item: DeliveryItem) => item.kind === 'member_request' && (item.recipient as { personId?: string }).personId === deadPerson });

    const started = await startConsultation(app.engine.deps, {
      key: key('start'),
      actor: actorOf(troika.current),
      title: 'Métricas: posición concertada',
      text: `Texto ${Math.random()}`,
      deadline: { kind: 'business_days', days: 5 },
    });
    if (!started.ok) throw new Error(`start refused: ${started.code}`);
    let state: ConsultationState = started.state;
    for (const c of troika.countries.filter((x) => x !== troika.current)) {
      const r = await reactTroika(app.engine.deps, { key: key('troika'), actor: actorOf(c), consultationId: state.consultationId, version: state.currentVersion, reaction: 'approve' });
      if (!r.ok) throw new Error(`troika refused: ${r.code}`);
      state = r.state;
    }
    expect(state.stage).toBe('member_consultation');
    const id = state.consultationId;

    // Two refusals: an observer country's focal point, and a member answering an old text version.
    const observer = directory.countries.find((c) => c.status === 'observer' && c.focalPoints.some((f) => f.slack))!.code;
    const refusedObserver = await recordPosition(app.engine.deps, { key: key('obs'), actor: actorOf(observer), consultationId: id, position: 'support', version: state.currentVersion });
    const refusedStale = await recordPosition(app.engine.deps, { key: key('stale'), actor: actorOf('CR'), consultationId: id, position: 'support', version: 'not-a-version' });
    expect(refusedObserver.ok || refusedStale.ok).toBe(false);
    const codes = [refusedObserver, refusedStale].map((r) => (r.ok ? 'ok' : r.code));

    await settled();
    // The scraped gauges are memoised for a second (src/http/metrics.ts): scrape until the read is one taken
    // after the outbox settled (the dead row shows), then assert on that scrape.
    let after = await scrape();
    await until(
      async () => {
        after = await scrape();
        return value(after, 'crm_outbox_messages{status="dead"}') === 1;
      },
      WAIT,
      'a scrape that reads the settled outbox',
    );
    for (const code of new Set(codes)) {
      const times = codes.filter((c) => c === code).length;
      expect(value(after, `crm_refusals_total{code="${code}"}`) - value(before, `crm_refusals_total{code="${code}"}`), code).toBe(times);
    }
    const sent = (await app.engine.outbox.counts()).sent;
    expect(sent).toBeGreaterThan(11);
    // One latency observation per message that went to the platform. A version replaced in place whose newer
    // version was waiting (coalesced) or already out (superseded) counts as sent in the outbox but was not
    // sent itself: the observations match the notifier's sends, and cover most of the rows.
    const latency = 'crm_outbox_delivery_latency_seconds_count{platform="slack"}';
    const delivered = 'crm_outbox_deliveries_total{platform="slack",result="sent"}';
    const sends = value(after, delivered) - value(before, delivered);
    expect(value(after, latency) - value(before, latency)).toBe(sends);
    expect(sends).toBeGreaterThan(11);
    expect(sends).toBeLessThanOrEqual(sent);
    expect(value(after, 'crm_outbox_dead_total{platform="slack"}') - value(before, 'crm_outbox_dead_total{platform="slack"}')).toBe(1);
    expect(value(after, 'crm_outbox_messages{status="dead"}')).toBe(1);
    expect(value(after, 'crm_outbox_messages{status="pending"}')).toBe(0);
    expect(after.get('crm_outbox_oldest_pending_seconds')).toBe(0);
    expect(value(after, 'crm_queue_jobs{queue="close",state="delayed"}')).toBe(1); // the close at the deadline
    expect(value(after, 'crm_queue_jobs{queue="remind",state="delayed"}')).toBeGreaterThan(0);
    expect(after.get('crm_scrape_source_ok{source="queues"}')).toBe(1);
    expect(after.get('crm_scrape_source_ok{source="outbox"}')).toBe(1);
    expect(after.get('crm_inbox_pending')).toBe(0);
    expect(after.get('crm_scrape_source_ok{source="inbox"}')).toBe(1);

    // An interaction stored before its ack and not processed yet is the inbox backlog, until processed.
    const received = await app.engine.inbox.receive({ platform: 'slack', kind: 'block_actions', key: key('inbox'), payload: {} });
    let inbox = new Map<string, number>();
    await until(
      async () => {
        inbox = await scrape();
        return value(inbox, 'crm_inbox_oldest_pending_seconds') >= 1;
      },
      WAIT,
      'an inbox row waiting for a second',
    );
    expect(inbox.get('crm_inbox_pending')).toBe(1);
    await app.engine.inbox.markProcessed(received.id);
    await until(async () => (await scrape()).get('crm_inbox_pending') === 0, WAIT, 'the inbox backlog empty');

    // A reminder that came due 90 seconds ago, through the real remind processor and deliver worker.
    const cr = state.participants.members.find((m) => m.code === 'CR')!.focalPoints[0]!;
    const outcome = await processReminder(running.runtime, {
      consultationId: id,
      audience: 'member',
      country: 'CR',
      personId: cr.personId,
      slot: 'D-2',
      deadlineVersion: state.deadlineVersion,
      dueAt: new Date(Date.now() - 90_000).toISOString(),
    });
    expect(outcome.result).toBe('sent');
    await settled();
    const reminded = await scrape();
    expect(value(reminded, 'crm_reminder_lateness_seconds_count') - value(after, 'crm_reminder_lateness_seconds_count')).toBe(1);
    const lateness = value(reminded, 'crm_reminder_lateness_seconds_sum') - value(after, 'crm_reminder_lateness_seconds_sum');
    expect(lateness).toBeGreaterThanOrEqual(90);
    expect(lateness).toBeLessThan(90 + WAIT / 1000);
    expect(value(reminded, 'crm_reminder_lateness_seconds_bucket{le="60"}') - value(after, 'crm_reminder_lateness_seconds_bucket{le="60"}')).toBe(0);

    // The deliver worker stops taking jobs: an answer's messages wait in the queue and in the outbox.
    const deliver = running.workers[0]!;
    await deliver.pause();
    const answered = await recordPosition(app.engine.deps, { key: key('pos'), actor: actorOf('CR'), consultationId: id, position: 'support', version: state.currentVersion });
    expect(answered.ok).toBe(true);
    let backlog = new Map<string, number>();
    await until(
      async () => {
        backlog = await scrape();
        return value(backlog, 'crm_queue_oldest_waiting_seconds{queue="deliver"}') >= 1 && value(backlog, 'crm_outbox_oldest_pending_seconds') >= 1;
      },
      WAIT,
      'a deliver job waiting for a second',
    );
    const pendingNow = await pendingRows();
    expect(pendingNow).toBeGreaterThan(0);
    expect(value(backlog, 'crm_queue_jobs{queue="deliver",state="waiting"}')).toBe(pendingNow);
    expect(value(backlog, 'crm_outbox_messages{status="pending"}')).toBe(pendingNow);

    deliver.resume();
    await settled();
    await until(async () => value(await scrape(), 'crm_queue_jobs{queue="deliver",state="waiting"}') === 0, WAIT, 'the deliver queue drained');
    const drained = await scrape();
    expect(drained.get('crm_queue_oldest_waiting_seconds{queue="deliver"}')).toBe(0);
    expect(drained.get('crm_outbox_messages{status="pending"}')).toBe(0);
    expect(drained.get('crm_outbox_oldest_pending_seconds')).toBe(0);
  });
});
