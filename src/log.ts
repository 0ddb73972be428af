/**
 * Structured logging (pino). One root logger per process, created in the composition root from
 * `config.logLevel`; everything else receives a `Logger` and derives child loggers carrying context
 * (`consultationId`, `jobId`, `adapter`, …).
 *
 * Secrets and personal data never reach the log, in two layers:
 *  1. by key: the paths in `REDACT_PATHS` are replaced by "[redacted]". This works on object keys, so log
 *     *objects* (`log.info({ user }, 'msg')`), never interpolate secrets or proposal text into the message;
 *  2. by value, on every line just before it is written (whatever its shape: an error's nested `config`,
 *     a string a library built): each configured secret (`secretsInEnv`, `addLogSecret`) becomes
 *     "[redacted]" and anything shaped like an e-mail address becomes "[email]". This is the net under
 *     the first layer, not a licence to log objects carelessly.
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
  'appPassword',
  'TEAMS_APP_PASSWORD',
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
  // a Slack click's response URL: whoever holds it can replace the clicked message (5 uses, 30 minutes)
  'responseUrl',
  'response_url',
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
export const EMAIL_REDACTED = '[email]';

/** Variables whose whole value is a secret. */
const SECRET_VARIABLES = ['SLACK_SIGNING_SECRET', 'SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'TEAMS_APP_PASSWORD', 'CRM_LINK_SECRET'] as const;
/** Variables holding a URL whose user-info (a password, often a user name too) is a secret. */
const URL_VARIABLES = ['DATABASE_URL', 'REDIS_URL', 'SMTP_URL'] as const;
/** Shorter values are not censored by value (they would blank ordinary words); they are still redacted by key. */
const MIN_SECRET_LENGTH = 6;

/** The secret values in an environment: whole secret variables, and the passwords inside URL variables. */
export function secretsInEnv(env: NodeJS.ProcessEnv): string[] {
  const out: string[] = [];
  for (const name of SECRET_VARIABLES) {
    const v = env[name]?.trim();
    if (v) out.push(v);
  }
  for (const name of URL_VARIABLES) {
    const v = env[name]?.trim();
    if (!v || !URL.canParse(v)) continue;
    const password = new URL(v).password;
    if (password) out.push(password, decodeURIComponent(password));
  }
  return out;
}

const censored = new Set<string>();

/** Censors `value` in every line of every logger from now on (a secret read at run time, e.g. from the database). */
export function addLogSecret(value: string | undefined): void {
  if (value && value.length >= MIN_SECRET_LENGTH) {
    censored.add(value);
    const escaped = JSON.stringify(value).slice(1, -1); // as it appears inside a JSON string
    if (escaped !== value) censored.add(escaped);
  }
}

/**
 * E-mail addresses, but not Teams' conversation ids (`19:…@thread.tacv2`, `…@unq.gbl.spaces`), which look
 * like them and name no person.
 */
const EMAIL = /[A-Za-z0-9._%+-]+@(?!thread\.|unq\.gbl\.)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

/** A log line with every censored secret and every e-mail address taken out. */
export function scrubLine(line: string): string {
  let out = line;
  for (const secret of censored) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out.includes('@') ? out.replace(EMAIL, EMAIL_REDACTED) : out;
}

export interface CreateLoggerOptions {
  /** Where to write (default: stdout). Tests pass a stream to capture lines. */
  destination?: DestinationStream;
  /** Base bindings on every line (default: `{ service: 'crm-bot' }`). */
  base?: Record<string, unknown>;
  /** Secret values censored in every line (see `secretsInEnv`); they are added to the process-wide set. */
  secrets?: Iterable<string>;
}

export function createLogger(level: LogLevel = 'info', options: CreateLoggerOptions = {}): Logger {
  for (const secret of options.secrets ?? []) addLogSecret(secret);
  const opts = {
    level,
    base: options.base ?? { service: 'crm-bot' },
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    hooks: { streamWrite: scrubLine },
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
