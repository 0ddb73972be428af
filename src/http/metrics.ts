/**
 * Prometheus metrics: one Registry for the process, served by GET /metrics.
 *
 * The metrics every part of the bot shares are declared here so that names, help texts and label sets
 * stay in one place; other modules import them (`commandsTotal.inc({ command: 'status', result: 'ok' })`).
 * A module that needs its own metric registers it on `registry` with the `crm_` prefix.
 *
 * Label values must come from small closed sets (command names, refusal codes, job names): never user
 * ids, consultation ids or free text, which would make the series count unbounded.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const registry = new Registry();
registry.setDefaultLabels({ app: 'crm-bot' });
collectDefaultMetrics({ register: registry });

/** Commands handled, by command (`consult`, `status`, `position_support`, …) and result (`ok` or a refusal code, or `error`). */
export const commandsTotal = new Counter({
  name: 'crm_commands_total',
  help: 'Commands handled, by command and result (ok, a refusal code, or error).',
  labelNames: ['command', 'result'] as const,
  registers: [registry],
});

/** Time to handle a command, from receipt to the decision being saved. */
export const commandDurationSeconds = new Histogram({
  name: 'crm_command_duration_seconds',
  help: 'Time to handle a command, from receipt to the decision being saved.',
  labelNames: ['command'] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

/** Outbox messages delivered, by platform and result (`sent`, `retry`). */
export const outboxDeliveriesTotal = new Counter({
  name: 'crm_outbox_deliveries_total',
  help: 'Outbox delivery attempts, by platform and result (sent, retry).',
  labelNames: ['platform', 'result'] as const,
  registers: [registry],
});

/** Outbox messages that exhausted their retries: each one is a person who was not told something. */
export const outboxDeadTotal = new Counter({
  name: 'crm_outbox_dead_total',
  help: 'Outbox messages that exhausted their retries and were not delivered.',
  labelNames: ['platform'] as const,
  registers: [registry],
});

/** Jobs processed, by queue job name (`deliver`, `remind`, `close-at-deadline`, `reconcile`) and result. */
export const jobsTotal = new Counter({
  name: 'crm_jobs_total',
  help: 'Background jobs processed, by job name and result (ok, stale, failed).',
  labelNames: ['job', 'result'] as const,
  registers: [registry],
});

/** Consultations currently open (set by the reconcile job). */
export const openConsultations = new Gauge({
  name: 'crm_open_consultations',
  help: 'Consultations currently open.',
  registers: [registry],
});

/** HTTP requests served by the bot's server, by route (the route-table pattern, never the raw URL) and status. */
export const httpRequestsTotal = new Counter({
  name: 'crm_http_requests_total',
  help: 'HTTP requests served, by method, route and status code.',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [registry],
});

export interface MetricsSource {
  contentType: string;
  metrics(): Promise<string>;
}
