/**
 * Configuration: zod over the environment, parsed once. Nothing else in the program reads process.env.
 * Variables and defaults: ../shared/interfaces.md (mirrored in README "Configuration").
 */
import { z } from 'zod';

const optionalNonEmpty = z
  .string()
  .transform((s) => s.trim())
  .pipe(z.string())
  .optional()
  .transform((s) => (s ? s : undefined));

/** An empty value (`PORT=` in an env file) means unset. */
const blankAsUnset = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const schema = z.object({
  PORT: z.preprocess(blankAsUnset, z.coerce.number().int().min(0).max(65535).default(3000)),
  CRM_DIRECTORY: optionalNonEmpty,
  CRM_DATA_DIR: optionalNonEmpty,
  DATABASE_URL: optionalNonEmpty.pipe(
    z.string().regex(/^postgres(ql)?:\/\//, 'expected a postgres:// or postgresql:// URL').optional(),
  ),
  REDIS_URL: optionalNonEmpty.pipe(
    z.string().regex(/^rediss?:\/\//, 'expected a redis:// or rediss:// URL').optional(),
  ),
  SLACK_SIGNING_SECRET: optionalNonEmpty,
  SLACK_BOT_TOKEN: optionalNonEmpty,
  SLACK_APP_TOKEN: optionalNonEmpty,
  SLACK_API_URL: optionalNonEmpty.pipe(
    z.string().url().regex(/\/api\/$/, 'must end in /api/').optional(),
  ),
  CRM_JOBS_PREFIX: optionalNonEmpty.pipe(
    z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'expected letters, digits and _ (at most 63), not starting with a digit').optional(),
  ),
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalNonEmpty.pipe(
    z
      .string()
      .regex(/^https?:\/\/[^\s/?#]+[^\s?#]*$/, 'expected an http:// or https:// URL of the OTLP collector, e.g. http://localhost:4318 (se esperaba una URL http:// o https:// del colector OTLP)')
      .optional(),
  ),
  CRM_WEEKLY_DIGEST: z.preprocess(blankAsUnset, z.enum(['on', 'off'], { message: 'expected on or off' }).default('on')),
  LOG_LEVEL: z.preprocess(
    blankAsUnset,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
});

export interface Config {
  port: number;
  directoryPath: string;
  /** True when CRM_DIRECTORY was not set and the example directory is used. */
  directoryIsExample: boolean;
  dataDir: string;
  databaseUrl?: string;
  redisUrl?: string;
  /** Namespace of the job queues (Redis key prefix or PostgreSQL schema); default `bull` / `bullmq`. */
  jobsPrefix?: string;
  slack?: { signingSecret?: string; botToken?: string; appToken?: string; apiUrl: string };
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  /** OTLP/HTTP collector base URL (OTEL_EXPORTER_OTLP_ENDPOINT): traces are exported there (src/telemetry.ts); off when unset. */
  otlpEndpoint?: string;
  /** The weekly digest of open consultations to the ST channel (Monday 09:00 in the ST's zone). */
  weeklyDigest?: boolean;
}

export const EXAMPLE_DIRECTORY = 'config/directory.example.yaml';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const slackOn = e.SLACK_SIGNING_SECRET || e.SLACK_BOT_TOKEN || e.SLACK_APP_TOKEN;
  return {
    port: e.PORT,
    directoryPath: e.CRM_DIRECTORY ?? EXAMPLE_DIRECTORY,
    directoryIsExample: !e.CRM_DIRECTORY,
    dataDir: e.CRM_DATA_DIR ?? '.crm-data',
    ...(e.DATABASE_URL ? { databaseUrl: e.DATABASE_URL } : {}),
    ...(e.REDIS_URL ? { redisUrl: e.REDIS_URL } : {}),
    ...(e.OTEL_EXPORTER_OTLP_ENDPOINT ? { otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT } : {}),
    ...(e.CRM_JOBS_PREFIX ? { jobsPrefix: e.CRM_JOBS_PREFIX } : {}),
    ...(slackOn
      ? {
          slack: {
            signingSecret: e.SLACK_SIGNING_SECRET,
            botToken: e.SLACK_BOT_TOKEN,
            appToken: e.SLACK_APP_TOKEN,
            apiUrl: e.SLACK_API_URL ?? 'https://slack.com/api/',
          },
        }
      : {}),
    logLevel: e.LOG_LEVEL,
    weeklyDigest: e.CRM_WEEKLY_DIGEST === 'on',
  };
}
