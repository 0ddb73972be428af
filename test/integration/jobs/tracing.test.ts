/**
 * OpenTelemetry traces end to end (src/tracing.ts): a Troika decision clicked through the interaction layer
 * (as every adapter calls it) runs the real flows on PostgreSQL; the AfterCommit hook hands the deliveries to
 * BullMQ on Redis with the trace context in the job data; the real deliver worker sends them through a
 * RecordingNotifier. With the SDK's in-memory exporter registered for this file, the request span is the root
 * of one trace: request → flow → hand-off → deliver job → platform call. No span attribute names a person of
 * the directory (names, e-mail addresses, platform ids).
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandActor } from '../../../src/domain/types.ts';
import { reactTroika, startConsultation } from '../../../src/flows/consultation-flows.ts';
import { identify } from '../../../src/flows/people.ts';
import { Identity } from '../../../src/interaction/identity.ts';
import { Interaction } from '../../../src/interaction/interaction.ts';
import { startJobs, type RunningJobs } from '../../../src/jobs/index.ts';
import { RecordingNotifier } from '../../../src/jobs/notifier.ts';
import { silentLogger } from '../../../src/log.ts';
import { NINE_CR, SETUP_MS, EVENT_WAIT_MS, openTestApp, openTestJobs, until, type TestApp, type TestJobs } from './remind-harness.ts';

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

let app: TestApp;
let jobs: TestJobs;
let running: RunningJobs | undefined;
const notifier = new RecordingNotifier();
const key = (label: string) => `${label}:${process.pid}:${Math.random().toString(36).slice(2)}`;

beforeAll(async () => {
  provider.register();
  app = await openTestApp('postgres', 'tracing');
  app.clock.setVirtual(NINE_CR);
  jobs = await openTestJobs('redis', 'tracing');
  running = await startJobs(app.engine, jobs.backend, notifier, {
    logger: app.logger,
    reconcileAtStart: false,
    weeklyDigest: { enabled: false },
    deliver: { retry: { attempts: 3, backoffMs: 200 } },
  });
}, SETUP_MS);
afterAll(async () => {
  await running?.stop();
  await jobs?.dispose();
  await app?.dispose();
  await provider.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
}, SETUP_MS);

const actor = (slack: string): CommandActor => {
  const a = identify(app.engine.directory.current(), { platform: 'slack', userId: slack });
  if (!a) throw new Error(`unknown ${slack}`);
  return a;
};

/** Every string in the directory that is, or is part of, who someone is. */
function personalStrings(value: unknown, under = ''): string[] {
  if (typeof value === 'string') return /name|email|mail|slack|teams|person|id$/i.test(under) && value.length >= 4 ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((v) => personalStrings(v, under));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => personalStrings(v, k));
  return [];
}

describe('one trace from the request to the platform call', () => {
  it('links request → flow → hand-off → deliver job → notifier send, with no personal data in any attribute', async () => {
    const { engine } = app;
    const started = await startConsultation(engine.deps, {
      key: key('start'),
      actor: actor('U0PA0000001'),
      title: 'Trazas de extremo a extremo',
      text: 'Texto de la consulta',
      deadline: { kind: 'business_days', days: 5 },
    });
    if (!started.ok) throw new Error(`start refused: ${started.code}`);
    const first = await reactTroika(engine.deps, { key: key('troika'), actor: actor('U0MX0000001'), consultationId: started.state.consultationId, version: started.state.currentVersion, reaction: 'approve' });
    if (!first.ok) throw new Error(`troika refused: ${first.code}`);
    // Everything so far delivered, so that what follows is the clicked decision's trace alone.
    await until(async () => (await engine.db.prisma.outboxMessage.count({ where: { consultationId: started.state.consultationId, status: 'pending' } })) === 0, EVENT_WAIT_MS, 'the first deliveries');
    const before = new Set((await engine.db.prisma.outboxMessage.findMany({ where: { consultationId: started.state.consultationId }, select: { id: true } })).map((r) => r.id));
    const logger = silentLogger();
    const interaction = new Interaction({ deps: engine.deps, reader: engine.consultations, identity: new Identity('slack', engine.deps.directory, undefined, logger), logger });
    exporter.reset();

    // The last Troika member clicks "approve" on the card: the consultation opens to the member countries.
    const out = await interaction.handle(
      'U0SV0000001',
      { kind: 'decide', action: 'troika_approve', target: { consultationId: started.state.consultationId, versionHash: first.state.currentVersion } },
      { key: key('click') },
    );
    await out.later;
    const rows = (await engine.db.prisma.outboxMessage.findMany({ where: { consultationId: started.state.consultationId }, select: { id: true } })).filter((r) => !before.has(r.id));
    expect(rows.length).toBeGreaterThan(0);
    const ids = rows.map((r) => r.id);
    const jobSpanOf = (id: string) => exporter.getFinishedSpans().find((s) => s.name === 'deliver.job' && s.attributes['crm.outbox_id'] === id);
    await until(() => ids.every((id) => jobSpanOf(id) !== undefined), EVENT_WAIT_MS, 'a deliver job span for every row of the decision');

    const spans = exporter.getFinishedSpans();
    const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
    const parentOf = (s: ReadableSpan) => (s.parentSpanContext ? byId.get(s.parentSpanContext.spanId) : undefined);
    const request = spans.find((s) => s.name === 'interaction.handle');
    expect(request?.attributes).toMatchObject({ 'crm.intent': 'decide', 'crm.action': 'troika_approve', 'crm.platform': 'slack' });
    expect(request?.parentSpanContext).toBeUndefined();
    const traceId = request!.spanContext().traceId;

    const flow = spans.find((s) => s.name === 'flow.execute' && s.attributes['crm.command'] === 'reactTroika');
    expect(flow?.attributes).toMatchObject({ 'crm.outcome': 'ok', 'crm.decision': 'applied', 'crm.consultation_id': started.state.consultationId });
    expect(flow?.spanContext().traceId).toBe(traceId);

    for (const id of ids) {
      const job = jobSpanOf(id)!;
      expect(job.spanContext().traceId, id).toBe(traceId);
      expect(job.attributes, id).toMatchObject({ 'crm.queue': 'deliver', 'crm.result': 'sent' });
      // Parent chain: the job's parent is the hand-off, whose parent is the flow, whose root is the request.
      const handOff = parentOf(job);
      expect(handOff?.name, id).toBe('deliver.enqueue');
      expect(parentOf(handOff!)?.spanContext().spanId, id).toBe(flow!.spanContext().spanId);
      expect(parentOf(flow!)?.spanContext().spanId, id).toBe(request!.spanContext().spanId);
      // The platform call, inside the job.
      const calls = spans.filter((s) => s.name === 'notifier.send' && s.parentSpanContext?.spanId === job.spanContext().spanId);
      expect(calls, id).toHaveLength(1);
      expect(calls[0]!.attributes, id).toMatchObject({ 'crm.outcome': 'ok', 'crm.outbox_id': id });
      expect(calls[0]!.spanContext().traceId, id).toBe(traceId);
    }
    expect(notifier.deliveries.filter((d) => ids.includes(d.item.id))).toHaveLength(ids.length);

    // No attribute of any span carries a person: names, e-mail addresses, platform user ids, or the title.
    const personal = [...new Set(personalStrings(engine.directory.current()))];
    expect(personal.some((p) => p.includes('@'))).toBe(true);
    const values = spans.flatMap((s) => Object.values(s.attributes).map(String));
    for (const p of [...personal, 'Trazas de extremo a extremo', 'Texto de la consulta']) {
      expect(values.filter((v) => v.includes(p)), p).toEqual([]);
    }
  }, SETUP_MS);
});
