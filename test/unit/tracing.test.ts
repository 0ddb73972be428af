/**
 * src/tracing.ts and src/telemetry.ts without an SDK: nothing is traced and nothing is carried; a trace
 * context in job data is read when well-formed and ignored otherwise, without failing the job's validation.
 */
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { DeliverJobData } from '../../src/jobs/deliver.ts';
import { startTelemetry, tracesUrl } from '../../src/telemetry.ts';
import { contextFromCarrier, currentTraceCarrier, inSpan } from '../../src/tracing.ts';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

describe('without OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  it('starts no SDK: spans are the no-op ones and no trace context is carried into jobs', async () => {
    const telemetry = await startTelemetry(undefined);
    expect(telemetry.endpoint).toBeUndefined();
    await telemetry.shutdown();
    const seen = await inSpan('flow.execute', { attributes: { 'crm.command': 'start' } }, async (span) => ({ recording: span.isRecording(), carrier: currentTraceCarrier() }));
    expect(seen).toEqual({ recording: false, carrier: undefined });
  });

  it('an error inside a span is rethrown as is', async () => {
    await expect(inSpan('deliver.job', {}, async () => Promise.reject(new RangeError('boom')))).rejects.toThrow(RangeError);
  });
});

describe('the trace context carried in job data', () => {
  it('a well-formed traceparent becomes the remote parent', () => {
    const ctx = contextFromCarrier({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` });
    expect(trace.getSpanContext(ctx)).toEqual({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1, isRemote: true });
  });

  it.each([
    ['absent', undefined],
    ['null', null],
    ['a string', `00-${TRACE_ID}-${SPAN_ID}-01`],
    ['a wrong version', { traceparent: `01-${TRACE_ID}-${SPAN_ID}-01` }],
    ['upper case', { traceparent: `00-${TRACE_ID.toUpperCase()}-${SPAN_ID}-01` }],
    ['an all-zero trace id', { traceparent: `00-${'0'.repeat(32)}-${SPAN_ID}-01` }],
    ['an all-zero span id', { traceparent: `00-${TRACE_ID}-${'0'.repeat(16)}-01` }],
    ['too long', { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01-extra` }],
  ])('%s: ignored (the root context)', (_label, carrier) => {
    expect(contextFromCarrier(carrier)).toBe(ROOT_CONTEXT);
  });

  it('the deliver job data stays valid with an absent or malformed trace context, which is dropped', () => {
    expect(DeliverJobData.parse({ outboxId: 'o1' })).toEqual({ outboxId: 'o1' });
    expect(DeliverJobData.parse({ outboxId: 'o1', trace: { traceparent: 'junk' } })).toEqual({ outboxId: 'o1', trace: undefined });
    expect(DeliverJobData.parse({ outboxId: 'o1', trace: 42 })).toEqual({ outboxId: 'o1', trace: undefined });
    const good = { traceparent: `00-${TRACE_ID}-${SPAN_ID}-00` };
    expect(DeliverJobData.parse({ outboxId: 'o1', trace: good })).toEqual({ outboxId: 'o1', trace: good });
    // The row id is still required: a malformed trace never hides a malformed job.
    expect(DeliverJobData.safeParse({ trace: good }).success).toBe(false);
  });
});

describe('tracesUrl', () => {
  it.each([
    ['http://localhost:4318', 'http://localhost:4318/v1/traces'],
    ['http://localhost:4318/', 'http://localhost:4318/v1/traces'],
    ['https://otel.example.org/otlp', 'https://otel.example.org/otlp/v1/traces'],
  ])('%s → %s', (endpoint, url) => {
    expect(tracesUrl(endpoint)).toBe(url);
  });
});

describe('with OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  it('exports the spans over OTLP/HTTP to <endpoint>/v1/traces as crm-consulta-bot, flushed by shutdown', async () => {
    const { createServer } = await import('node:http');
    const { context, propagation } = await import('@opentelemetry/api');
    const received: { path: string; body: string }[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const telemetry = await startTelemetry(`http://127.0.0.1:${port}/`);
      expect(telemetry.endpoint).toBe(`http://127.0.0.1:${port}/`);
      const carrier = await inSpan('flow.execute', { attributes: { 'crm.command': 'start' } }, async () => currentTraceCarrier());
      expect(carrier?.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      expect(received).toEqual([]); // batched until the shutdown
      await telemetry.shutdown();
      expect(received.map((r) => r.path)).toEqual(['/v1/traces']);
      expect(received[0]!.body).toContain('crm-consulta-bot');
      expect(received[0]!.body).toContain('flow.execute');
      expect(received[0]!.body).toContain(carrier!.traceparent.split('-')[1]);
    } finally {
      trace.disable();
      context.disable();
      propagation.disable();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
