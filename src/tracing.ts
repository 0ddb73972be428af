/**
 * Traces, through the OpenTelemetry API only (the SDK is started by ./telemetry.ts when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set; without it the API's tracer is a no-op and these helpers cost a
 * function call). Spans: the request (src/interaction `handle`), the flow (src/flows/execute.ts), the
 * deliver hand-off (`enqueueDeliveries`, whose trace context rides in the job data), the deliver job and the
 * notifier's platform call (src/jobs/deliver.ts).
 *
 * Attributes are closed-set values (intent, command, decision kind, platform, outcome, queue, result) and
 * ids that name nobody (consultation id, outbox row id, job id): never a name, an e-mail address (a person
 * id is one), a text, a token (SECURITY.md, src/log.ts).
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { z } from 'zod';

export const SERVICE_NAME = 'crm-consulta-bot';

export type SpanAttributes = Record<string, string | number | boolean | undefined>;

export function tracer() {
  return trace.getTracer(SERVICE_NAME);
}

function clean(attributes: SpanAttributes): Attributes {
  const out: Attributes = {};
  for (const [k, v] of Object.entries(attributes)) if (v !== undefined) out[k] = v;
  return out;
}

/**
 * Runs `fn` in a new active span (a child of the active one, or of `parent`), ended when `fn` settles; a
 * throw marks it as an error (the exception's type only: its message may quote a person).
 */
export async function inSpan<T>(
  name: string,
  options: { kind?: SpanKind; attributes?: SpanAttributes; parent?: Context; /** A throw that is not a failure (a job delayed): its type is recorded, the status stays unset. */ expected?: (e: unknown) => boolean },
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = options.parent ?? context.active();
  return tracer().startActiveSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: clean(options.attributes ?? {}) }, parent, async (span) => {
    try {
      return await fn(span);
    } catch (e) {
      if (options.expected?.(e)) span.setAttribute('crm.thrown', e instanceof Error ? e.name : 'unknown');
      else {
        span.setStatus({ code: SpanStatusCode.ERROR });
        span.setAttribute('crm.error', e instanceof Error ? e.name : 'unknown');
      }
      throw e;
    } finally {
      span.end();
    }
  });
}

export function setAttributes(span: Span, attributes: SpanAttributes): void {
  span.setAttributes(clean(attributes));
}

export { SpanKind };

/** A W3C trace context (https://www.w3.org/TR/trace-context/), as carried in job data. */
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
export const TraceCarrier = z.object({ traceparent: z.string().regex(TRACEPARENT) });
export type TraceCarrier = z.infer<typeof TraceCarrier>;

/** The active span's context as a carrier, or undefined when nothing is traced (no SDK, no span). */
export function currentTraceCarrier(): TraceCarrier | undefined {
  const sc = trace.getSpanContext(context.active());
  if (!sc || !trace.isSpanContextValid(sc)) return undefined;
  return { traceparent: `00-${sc.traceId}-${sc.spanId}-${(sc.traceFlags & 0xff).toString(16).padStart(2, '0')}` };
}

/** The context a carrier names; the root context when it is absent or malformed (simply ignored). */
export function contextFromCarrier(carrier: unknown): Context {
  const parsed = TraceCarrier.safeParse(carrier);
  if (!parsed.success) return ROOT_CONTEXT;
  const [, traceId, spanId, flags] = TRACEPARENT.exec(parsed.data.traceparent)!;
  const spanContext = { traceId: traceId!, spanId: spanId!, traceFlags: parseInt(flags!, 16), isRemote: true };
  return trace.isSpanContextValid(spanContext) ? trace.setSpanContext(ROOT_CONTEXT, spanContext) : ROOT_CONTEXT;
}
