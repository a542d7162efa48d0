import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * An upstream binary used as an interop peer or benchmark baseline (Debian's prometheus, promtool,
 * pushgateway, alertmanager, node_exporter, redis-server, python3 with prometheus_client, …).
 */
export interface Peer {
  /** Absolute path of the binary, or undefined when it is not installed. */
  readonly path: string | undefined;
  /** Why the peer is unavailable (for `it.skipIf(...)` messages), or undefined when available. */
  readonly missingReason: string | undefined;
}

const SEARCH_DIRS = ['/usr/bin', '/usr/sbin', '/usr/local/bin'];

function findBinary(name: string): string | undefined {
  const dirs = [...SEARCH_DIRS, ...(process.env['PATH'] ?? '').split(delimiter)];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

/**
 * Looks up an upstream peer binary. Under `CI=true` a missing peer throws (a missing interop peer
 * is a failure in CI); elsewhere it reports why, so the caller can skip with that reason.
 * `debianPackage` names the package `.ci/run` installs it from.
 */
export function peer(name: string, debianPackage: string): Peer {
  const path = findBinary(name);
  if (path !== undefined) return { path, missingReason: undefined };
  const reason = `${name} is not installed (apt-get install ${debianPackage}); .ci/run installs it`;
  if (process.env['CI'] === 'true') throw new Error(`interop peer missing under CI=true: ${reason}`);
  return { path: undefined, missingReason: reason };
}

/** Debian's own python3, which is where python3-prometheus-client is importable. */
export const DEBIAN_PYTHON = '/usr/bin/python3';
