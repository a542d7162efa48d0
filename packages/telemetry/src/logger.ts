/** Log levels, least to most severe. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Structured key/value context of a log line. */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * A structured logger, passed to components through their options. Lines below the configured
 * level are dropped; `with` returns a logger that adds `fields` to every line (e.g. a component).
 */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  with(fields: LogFields): Logger;
}

export interface LoggerOptions {
  /** Minimum level written (Prometheus's `--log.level`). Default `info`. */
  level?: LogLevel;
  /** `logfmt` (default) or `json` (Prometheus's `--log.format`). */
  format?: 'logfmt' | 'json';
  /** Where lines go; defaults to stderr, as Prometheus logs. Each call receives one line with its newline. */
  write?: (line: string) => void;
  /** Clock for the `time` field; defaults to Date.now. */
  now?: () => number;
}

/** Parses a `--log.level` value, throwing an error that names the accepted levels. */
export function parseLogLevel(value: string): LogLevel {
  if ((LOG_LEVELS as readonly string[]).includes(value)) return value as LogLevel;
  throw new Error(`unrecognized log level ${JSON.stringify(value)}; expected one of ${LOG_LEVELS.join(', ')}`);
}

/** A logger writing Prometheus 3 style lines: `time=… level=info msg="…" key=value`. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const min = LOG_LEVELS.indexOf(options.level ?? 'info');
  const format = options.format ?? 'logfmt';
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const now = options.now ?? Date.now;
  const make = (context: LogFields): Logger => {
    const log = (level: LogLevel, msg: string, fields?: LogFields) => {
      if (LOG_LEVELS.indexOf(level) < min) return;
      const record: Record<string, unknown> = { time: new Date(now()).toISOString(), level, msg, ...context, ...fields };
      write(format === 'json' ? JSON.stringify(record, jsonReplacer) + '\n' : toLogfmt(record) + '\n');
    };
    return {
      debug: (msg, fields) => log('debug', msg, fields),
      info: (msg, fields) => log('info', msg, fields),
      warn: (msg, fields) => log('warn', msg, fields),
      error: (msg, fields) => log('error', msg, fields),
      with: (fields) => make({ ...context, ...fields }),
    };
  };
  return make({});
}

/** A logger that drops everything (for tests that do not inspect logs). */
export function silentLogger(): Logger {
  const logger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {}, with: () => logger };
  return logger;
}

function jsonReplacer(_key: string, value: unknown): unknown {
  return value instanceof Error ? value.message : value;
}

function toLogfmt(record: Record<string, unknown>): string {
  return Object.entries(record)
    .map(([key, value]) => `${key}=${logfmtValue(value)}`)
    .join(' ');
}

function logfmtValue(value: unknown): string {
  const text = value instanceof Error ? value.message : typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text === '' || /[\s"=\\]/.test(text) || /[^\x20-\x7e]/.test(text) ? JSON.stringify(text) : text;
}
