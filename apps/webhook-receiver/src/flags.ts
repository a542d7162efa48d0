import { flagNumber, flagString, parseFlags as parseCommandLine, usage as cliUsage, FlagError, type FlagSpec } from '@pyrometer/cli';

/** A parsed command line of the webhook receiver. */
export interface WebhookReceiverFlags {
  listenAddress: string;
  /** How many notifications the page and the API keep (the oldest go first). */
  keep: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  logFormat: 'logfmt' | 'json';
}

/** Every flag, in `--help` order; names follow the other binaries' (`--web.listen-address`, `--log.*`). */
export const WEBHOOK_RECEIVER_FLAGS: readonly FlagSpec[] = [
  { name: 'web.listen-address', type: 'string', default: ':5001', help: 'Address to listen on for notifications (POST to any path), the page and the API.' },
  { name: 'notifications.keep', type: 'int', default: '200', help: 'How many of the latest notifications the page and /api/notifications keep.' },
  { name: 'log.level', type: 'enum', values: ['debug', 'info', 'warn', 'error'], default: 'info', help: 'Only log messages with the given severity or above.' },
  { name: 'log.format', type: 'enum', values: ['logfmt', 'json'], default: 'logfmt', help: 'Output format of log messages (notifications are always printed as text on stdout).' },
  { name: 'version', type: 'bool', help: 'Show application version.' },
];

/** Parses the command line; throws the cli package's `FlagError` naming the flag. */
export function parseFlags(argv: readonly string[]): WebhookReceiverFlags {
  const f = parseCommandLine(WEBHOOK_RECEIVER_FLAGS, argv);
  const keep = flagNumber(f, 'notifications.keep')!;
  if (keep < 1) throw new FlagError(`--notifications.keep must be at least 1, got ${keep}`);
  return {
    listenAddress: flagString(f, 'web.listen-address')!,
    keep,
    logLevel: flagString(f, 'log.level') as WebhookReceiverFlags['logLevel'],
    logFormat: flagString(f, 'log.format') as WebhookReceiverFlags['logFormat'],
  };
}

/** The `--help` text. */
export function usage(): string {
  return cliUsage('pyrometer-webhook-receiver', 'Receives Alertmanager webhook notifications: prints each one and lists the latest on a page at /.', WEBHOOK_RECEIVER_FLAGS);
}
