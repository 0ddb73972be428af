/**
 * The Teams SDK's ILogger, written to our pino logger. The SDK logs whole activities and decoded tokens as
 * extra arguments (`debug('Handling activity', body)`, `error('Decoded token is not a valid object:', …)`),
 * which would put people's names and message text in our logs. Only strings and an Error's name and message
 * pass; objects are dropped. Each line is capped.
 */
import type { ILogger, ILoggerOptions, LogLevel } from '@microsoft/teams.common';
import type { Logger } from '../../log.ts';

const MAX = 300;

function text(args: unknown[]): { msg: string; err?: { name: string; message: string } } {
  const parts: string[] = [];
  let err: { name: string; message: string } | undefined;
  for (const a of args) {
    if (typeof a === 'string') parts.push(a);
    else if (a instanceof Error) err ??= { name: a.name, message: a.message.slice(0, MAX) };
  }
  return { msg: parts.join(' ').slice(0, MAX), ...(err ? { err } : {}) };
}

export function sdkLogger(logger: Logger, name = 'teams-sdk'): ILogger {
  const log = logger.child({ component: name });
  const write = (level: 'error' | 'warn' | 'info' | 'debug' | 'trace', args: unknown[]) => {
    const { msg, err } = text(args);
    if (err) log[level]({ sdkError: err }, msg || err.message);
    else log[level](msg);
  };
  const self: ILogger = {
    loggerOptions: {} satisfies ILoggerOptions,
    error: (...a: unknown[]) => write('error', a),
    warn: (...a: unknown[]) => write('warn', a),
    info: (...a: unknown[]) => write('info', a),
    debug: (...a: unknown[]) => write('debug', a),
    trace: (...a: unknown[]) => write('trace', a),
    log: (level: LogLevel, ...a: unknown[]) => write(level, a),
    child: (child: string) => sdkLogger(logger, `${name}/${child}`),
  };
  return self;
}
