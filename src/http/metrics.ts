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

/**
 * Dead letters: outbox messages given up on (retries exhausted, refused by the platform, or nobody to send
 * to). Each one is a person who was not told something; the ST channel gets a notice for each.
 */
export const outboxDeadTotal = new Counter({
  name: 'crm_outbox_dead_total',
  help: 'Outbox messages that exhausted their retries and were not delivered (dead letters).',
  labelNames: ['platform'] as const,
  registers: [registry],
});

/** From the outbox row's creation (the decision's commit) to the platform accepting it. */
export const outboxDeliveryLatencySeconds = new Histogram({
  name: 'crm_outbox_delivery_latency_seconds',
  help: 'Time from an outbox row being written to its message being accepted by the platform.',
  labelNames: ['platform'] as const,
  buckets: [0.5, 1, 2.5, 5, 15, 30, 60, 300, 900, 3600, 4 * 3600, 24 * 3600],
  registers: [registry],
});

/** From the instant a reminder was due (its planned slot) to its message being accepted by the platform. */
export const reminderLatenessSeconds = new Histogram({
  name: 'crm_reminder_lateness_seconds',
  help: 'Time from a reminder being due to its message being accepted by the platform.',
  buckets: [1, 5, 15, 30, 60, 300, 900, 3600, 3 * 3600, 12 * 3600, 24 * 3600],
  registers: [registry],
});

/** Refusals, by code (`not_authorized`, `stale_version`, `not_in_directory`, …): the flows' and the adapters'. */
export const refusalsTotal = new Counter({
  name: 'crm_refusals_total',
  help: 'Commands refused, by refusal code.',
  labelNames: ['code'] as const,
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

/** Results of a command that are not refusals. */
const NOT_REFUSALS = new Set(['ok', 'duplicate', 'error']);

/** The flows' observe hook (FlowDeps.observe): commands by result, their duration, refusals by code. */
export function observeCommand(command: string, result: string, seconds: number): void {
  commandsTotal.inc({ command, result });
  commandDurationSeconds.observe({ command }, seconds);
  if (!NOT_REFUSALS.has(result)) refusalsTotal.inc({ code: result });
}

// ------------------------------------------------------------------------------------------------
// Read on scrape: the queues, the outbox and the inbox (src/jobs/queue-stats.ts sets the sources).
// ------------------------------------------------------------------------------------------------

export interface QueueStats {
  queue: string;
  /** Jobs by state: waiting (ready to run), delayed (due later), active, failed. */
  counts: { waiting: number; delayed: number; active: number; failed: number };
  /** Seconds the oldest ready job has been waiting (0 when none is). */
  oldestWaitingSeconds: number;
}

export interface OutboxStats {
  pending: number;
  dead: number;
  /** Seconds since the oldest pending row was written (0 when none is). */
  oldestPendingSeconds: number;
}

/** Durable interactions stored before their ack and not yet processed (the inbox table). */
export interface InboxStats {
  pending: number;
  oldestPendingSeconds: number;
}

export interface ScrapeSources {
  queues?: () => Promise<QueueStats[]>;
  outbox?: () => Promise<OutboxStats>;
  inbox?: () => Promise<InboxStats>;
}

let sources: ScrapeSources = {};
/** How long one scrape may wait for a source before reporting it as failed. */
const SOURCE_TIMEOUT_MS = 2_000;

/**
 * What the gauges below read on each scrape (the composition root sets it once; `{}` unsets it).
 * A source that fails or takes longer than 2 s leaves its gauges empty and `crm_scrape_source_ok` at 0;
 * /metrics itself still answers.
 */
export function setScrapeSources(next: ScrapeSources): void {
  sources = next;
  cache.clear();
  scrapeSourceOk.reset();
  for (const key of Object.keys(bySource) as (keyof ScrapeSources)[]) {
    for (const gauge of bySource[key]) {
      const name = (gauge as unknown as { name: string }).name;
      const registered = registry.getSingleMetric(name) !== undefined;
      if (next[key] && !registered) registry.registerMetric(gauge);
      if (!next[key] && registered) registry.removeSingleMetric(name);
    }
  }
}

const cache = new Map<keyof ScrapeSources, { at: number; value: Promise<unknown> }>();

/** One read per source per scrape, shared by the gauges that show it (memoised for a second). */
function read<K extends keyof ScrapeSources>(key: K): Promise<Awaited<ReturnType<NonNullable<ScrapeSources[K]>>> | undefined> {
  const source = sources[key];
  if (!source) return Promise.resolve(undefined);
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < 1_000) return hit.value as Promise<never>;
  let timer: NodeJS.Timeout | undefined;
  const value = Promise.race([
    source(),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), SOURCE_TIMEOUT_MS);
    }),
  ])
    .then((v) => {
      scrapeSourceOk.set({ source: key }, 1);
      return v;
    })
    .catch(() => {
      scrapeSourceOk.set({ source: key }, 0);
      return undefined;
    })
    .finally(() => clearTimeout(timer));
  cache.set(key, { at: Date.now(), value });
  return value as Promise<never>;
}

/** 1 when the last read of a scrape source (queues, outbox, inbox) worked, 0 when it failed or timed out. */
export const scrapeSourceOk = new Gauge({
  name: 'crm_scrape_source_ok',
  help: 'Whether the last read of a scrape source (queues, outbox, inbox) worked (1) or failed or timed out (0).',
  labelNames: ['source'] as const,
  registers: [registry],
  async collect() {
    // Read before this gauge is written out (the reads set it); memoised, so the gauges below reuse them.
    await Promise.all((Object.keys(sources) as (keyof ScrapeSources)[]).filter((k) => sources[k]).map((k) => read(k)));
  },
});

/** Gauges read from one scrape source; registered only while that source is set (no source, no series). */
const bySource: Record<keyof ScrapeSources, Gauge[]> = { queues: [], outbox: [], inbox: [] };

/**
 * A gauge filled on scrape from `key`'s stats. Labelled gauges have no series while the source fails;
 * a gauge without labels shows NaN then (never a reassuring 0).
 */
function scraped<K extends keyof ScrapeSources, L extends string = never>(
  key: K,
  config: { name: string; help: string; labelNames?: readonly L[] },
  fill: (g: Gauge<L>, stats: NonNullable<Awaited<ReturnType<NonNullable<ScrapeSources[K]>>>>) => void,
): Gauge<L> {
  const gauge: Gauge<L> = new Gauge<L>({
    ...config,
    labelNames: config.labelNames ?? [],
    registers: [],
    async collect() {
      const stats = await read(key);
      gauge.reset();
      if (stats) fill(gauge, stats as never);
      else if (!config.labelNames?.length) (gauge as Gauge).set(Number.NaN);
    },
  });
  bySource[key].push(gauge as unknown as Gauge);
  return gauge;
}

export const queueJobs = scraped(
  'queues',
  { name: 'crm_queue_jobs', help: 'Jobs per queue and state (waiting, delayed, active, failed), read from BullMQ on scrape.', labelNames: ['queue', 'state'] as const },
  (g, stats) => {
    for (const q of stats) for (const [state, n] of Object.entries(q.counts)) g.set({ queue: q.queue, state }, n);
  },
);

export const queueOldestWaitingSeconds = scraped(
  'queues',
  { name: 'crm_queue_oldest_waiting_seconds', help: 'Age of the oldest job ready to run and not yet taken, per queue (0 when none waits).', labelNames: ['queue'] as const },
  (g, stats) => {
    for (const q of stats) g.set({ queue: q.queue }, q.oldestWaitingSeconds);
  },
);

export const outboxMessages = scraped(
  'outbox',
  { name: 'crm_outbox_messages', help: 'Outbox rows not delivered, by status (pending, dead), read from the database on scrape.', labelNames: ['status'] as const },
  (g, stats) => {
    g.set({ status: 'pending' }, stats.pending);
    g.set({ status: 'dead' }, stats.dead);
  },
);

export const outboxOldestPendingSeconds = scraped(
  'outbox',
  { name: 'crm_outbox_oldest_pending_seconds', help: 'Age of the oldest outbox row still pending (0 when none is).' },
  (g, stats) => g.set(stats.oldestPendingSeconds),
);

export const inboxPending = scraped(
  'inbox',
  { name: 'crm_inbox_pending', help: 'Durable interactions received and not yet processed (the inbox backlog).' },
  (g, stats) => g.set(stats.pending),
);

export const inboxOldestPendingSeconds = scraped(
  'inbox',
  { name: 'crm_inbox_oldest_pending_seconds', help: 'Age of the oldest interaction in the inbox not yet processed (0 when none is).' },
  (g, stats) => g.set(stats.oldestPendingSeconds),
);

export interface MetricsSource {
  contentType: string;
  metrics(): Promise<string>;
}
