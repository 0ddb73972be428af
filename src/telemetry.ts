/**
 * The OpenTelemetry SDK, started only when OTEL_EXPORTER_OTLP_ENDPOINT is set (validated in ./config.ts):
 * a Node tracer provider (AsyncLocalStorage context, W3C propagation) with service name `crm-consulta-bot`,
 * batching spans to `<endpoint>/v1/traces` over OTLP/HTTP. Without the variable nothing is loaded: the
 * API's tracer stays a no-op (./tracing.ts). `shutdown` flushes what is batched; the bot calls it last in
 * its graceful stop (src/main.ts, on the signals of ./app/shutdown.ts).
 */
import { SERVICE_NAME } from './tracing.ts';

export interface Telemetry {
  /** Where spans go, or undefined when tracing is off. */
  readonly endpoint?: string;
  /** Flushes and stops the SDK (a no-op when off). Never rejects. */
  shutdown(): Promise<void>;
}

const OFF: Telemetry = { shutdown: async () => undefined };

/** The OTLP/HTTP traces URL of a base endpoint, as the OTel spec derives it from the generic variable. */
export function tracesUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}

export async function startTelemetry(endpoint: string | undefined, onError?: (err: unknown) => void): Promise<Telemetry> {
  if (!endpoint) return OFF;
  // Loaded only here: without the variable the SDK is never imported.
  const [{ NodeTracerProvider }, { BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
  ]);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': SERVICE_NAME }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: tracesUrl(endpoint) }))],
  });
  provider.register();
  let stopped: Promise<void> | undefined;
  return {
    endpoint,
    shutdown: () =>
      (stopped ??= provider.shutdown().catch((err: unknown) => {
        onError?.(err);
      })),
  };
}
