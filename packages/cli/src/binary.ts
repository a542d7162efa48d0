import { FlagError } from './flags.js';

/** What `--version` reports (upstream's `version.Print` fields). */
export interface VersionInfo {
  /** The binary's name, e.g. `pyrometer-pushgateway`. */
  readonly program: string;
  readonly version: string;
  readonly branch?: string;
  readonly revision?: string;
  readonly buildUser?: string;
  readonly buildDate?: string;
}

/**
 * The `--version` text in the layout of upstream's binaries (prometheus/common's version.Print),
 * with the Node version where Go's would be.
 */
export function versionText(info: VersionInfo): string {
  return [
    `${info.program}, version ${info.version} (branch: ${info.branch ?? ''}, revision: ${info.revision ?? ''})`,
    `  build user:       ${info.buildUser ?? ''}`,
    `  build date:       ${info.buildDate ?? ''}`,
    `  go version:       node${process.versions.node}`,
    `  platform:         ${process.platform}/${process.arch}`,
    '',
  ].join('\n');
}

const LISTEN_PROBLEMS: Readonly<Record<string, string>> = {
  EADDRINUSE: 'address already in use (another program holds the port)',
  EACCES: 'permission denied (ports below 1024 need privileges)',
  EADDRNOTAVAIL: 'address not available on this machine',
};

/**
 * The one line a binary prints when it cannot start: `<program>: error: <what>`. A failed listen
 * names the address and the flag that sets it (`listenFlag`, e.g. `--web.listen-address`); flag
 * mistakes add kingpin's `, try --help`; anything else is its message, never a stack trace.
 */
export function fatalErrorLine(program: string, err: unknown, listenFlag: string): string {
  if (err instanceof FlagError) return `${program}: error: ${err.message}, try --help`;
  const e = err as NodeJS.ErrnoException & { address?: string; port?: number };
  const problem = e?.syscall === 'listen' && e.code !== undefined ? LISTEN_PROBLEMS[e.code] : undefined;
  if (problem !== undefined) {
    const address = e.address === undefined ? '' : ` ${e.address.includes(':') ? `[${e.address}]` : e.address}:${e.port ?? ''}`;
    return `${program}: error: cannot listen on${address}: ${problem}; choose another address with ${listenFlag}`;
  }
  return `${program}: error: ${err instanceof Error ? err.message : String(err)}`;
}
