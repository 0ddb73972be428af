/**
 * Structured logging (pino). One root logger per process, created in the composition root from
 * `config.logLevel`; everything else receives a `Logger` and derives child loggers carrying context
 * (`consultationId`, `jobId`, `adapter`, …).
 *
 * Secrets and personal data never reach the log: the paths in `REDACT_PATHS` are replaced by
 * "[redacted]". Redaction works on object keys, so log *objects* (`log.info({ user }, 'msg')`), never
 * interpolate secrets or proposal text into the message string.
 */
import { pino, type Logger as PinoLogger, type DestinationStream } from 'pino';

export type Logger = PinoLogger;
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

const SENSITIVE_KEYS = [
  // secrets
  'token',
  'accessToken',
  'refreshToken',
  'botToken',
  'appToken',
  'signingSecret',
  'clientSecret',
  'secret',
  'password',
  'authorization',
  'cookie',
  'databaseUrl',
  'redisUrl',
  'DATABASE_URL',
  'REDIS_URL',
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'SLACK_SIGNING_SECRET',
  'smtpUrl',
  'SMTP_URL',
  'linkSecret',
  'CRM_LINK_SECRET',
  // personal data and the text of proposals
  'email',
  'proposal',
  'proposalText',
  'text',
  'reason',
  'justification',
] as const;

/**
 * pino `redact` paths: each sensitive key at the top level, one and two levels deep (pino's wildcard
 * `*` matches one level), plus HTTP headers in the shapes pino's serializers and Node produce.
 */
export const REDACT_PATHS: readonly string[] = [
  ...SENSITIVE_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-slack-signature"]',
  'headers.authorization',
  'headers.cookie',
  'headers["x-slack-signature"]',
  'res.headers["set-cookie"]',
];

export const REDACTED = '[redacted]';

export interface CreateLoggerOptions {
  /** Where to write (default: stdout). Tests pass a stream to capture lines. */
  destination?: DestinationStream;
  /** Base bindings on every line (default: `{ service: 'crm-bot' }`). */
  base?: Record<string, unknown>;
}

export function createLogger(level: LogLevel = 'info', options: CreateLoggerOptions = {}): Logger {
  const opts = {
    level,
    base: options.base ?? { service: 'crm-bot' },
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return options.destination ? pino(opts, options.destination) : pino(opts);
}

/** Context a child logger may carry. Open-ended: adapters add `adapter`, `userId` (platform id), etc. */
export interface LogContext {
  consultationId?: string;
  jobId?: string;
  [key: string]: unknown;
}

/** A child logger whose every line carries `context` (e.g. `{ consultationId }`, `{ jobId }`). */
export function withContext(logger: Logger, context: LogContext): Logger {
  return logger.child(context);
}

/** A logger that discards everything (tests, CLI paths that must stay quiet). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
