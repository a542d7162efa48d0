import { fatalErrorLine, versionText, type VersionInfo } from './binary.js';
import { FlagError } from './flags.js';

/** A service started by a binary: closed on SIGINT/SIGTERM, reloaded on SIGHUP if it can be. */
export interface RunningService {
  /** Re-reads the configuration; failures are the service's to log (the old one keeps running). */
  reload?(): Promise<unknown>;
  /** Stops serving and writes whatever the service keeps. */
  close(): Promise<void>;
}

/** What a long-running binary's main.ts declares; `runServiceBinary` does the rest. */
export interface ServiceBinary<Flags> {
  /** What `--version` prints; `program` also starts every fatal error line. */
  readonly version: VersionInfo;
  /** The flag that sets the listen address, named when the port cannot be bound. */
  readonly listenFlag: string;
  /** The `--help` text. */
  usage(): string;
  /** Parses the command line; throws FlagError for a mistake (exit code 2). */
  parseFlags(argv: string[]): Flags;
  /** Starts the service. `requestStop` ends it as SIGINT/SIGTERM do (e.g. from `/-/quit`). */
  start(flags: Flags, requestStop: () => void): Promise<RunningService>;
}

/**
 * Runs a service binary as upstream's do: `--help`, `--version`, then start and wait for a stop
 * signal. Exits 0 after a clean stop, 2 on a flag mistake and 1 on any other failure, printing one
 * line (`fatalErrorLine`), never a stack trace.
 */
export function runServiceBinary<Flags>(binary: ServiceBinary<Flags>, argv: string[] = process.argv.slice(2)): void {
  serve(binary, argv).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${fatalErrorLine(binary.version.program, err, binary.listenFlag)}\n`);
      process.exit(err instanceof FlagError ? 2 : 1);
    },
  );
}

async function serve<Flags>(binary: ServiceBinary<Flags>, argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(binary.usage());
    return 0;
  }
  const flags = binary.parseFlags(argv);
  if (argv.includes('--version')) {
    process.stdout.write(versionText(binary.version));
    return 0;
  }
  let requestStop!: () => void;
  const stopRequested = new Promise<void>((resolve) => (requestStop = resolve));
  const service = await binary.start(flags, () => requestStop());
  const reload = service.reload?.bind(service);
  if (reload !== undefined) process.on('SIGHUP', () => void reload().catch(() => undefined));
  process.once('SIGINT', requestStop);
  process.once('SIGTERM', requestStop);
  await stopRequested;
  await service.close();
  return 0;
}
