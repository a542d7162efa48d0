import { createHash } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { RemoteWriteConfig } from '@pyrometer/config';
import { compileRelabelConfig, type RelabelRule } from '@pyrometer/model';
import type { Logger } from '@pyrometer/telemetry';
import { PositionFile } from './position-file.js';
import type { WalSource } from './wal-source.js';
import { WriteDestination } from './write-destination.js';

export interface RemoteWriteStorageOptions {
  /** The local storage's write-ahead log, which every destination reads. */
  wal: WalSource;
  /** Where destinations keep their state: `<stateDir>/<key>/position.json` (see the README). */
  stateDir: string;
  logger: Logger;
  userAgent: string;
  /** How long a stopping destination keeps sending what is queued (default 5 s). */
  flushDeadlineMs: number;
  /** Fallback interval for reading the WAL when no write was notified (default 1 s). */
  pollIntervalMs: number;
}

interface Running {
  destination: WriteDestination;
  fingerprint: string;
}

/**
 * The remote_write section at work: one {@link WriteDestination} per entry, each reading the WAL
 * from its own saved position. Samples reach it only through the WAL, so scrapes write straight to
 * the local storage and pay nothing for remote_write.
 */
export class RemoteWriteStorage {
  private running: Running[] = [];
  private readonly options: RemoteWriteStorageOptions;

  constructor(options: Partial<RemoteWriteStorageOptions> & Pick<RemoteWriteStorageOptions, 'wal' | 'stateDir' | 'logger' | 'userAgent'>) {
    this.options = { flushDeadlineMs: 5_000, pollIntervalMs: 1_000, ...options };
  }

  /** The running destinations, in config order (for metrics and tests). */
  destinations(): WriteDestination[] {
    return this.running.map((r) => r.destination);
  }

  /**
   * Applies the remote_write section: unchanged destinations keep running; removed or changed ones
   * stop (saving their position), then new ones start — a changed one resumes from the position
   * of the same URL and name; the state of removed ones is deleted. Invalid relabel rules throw
   * before anything changes.
   */
  async applyConfig(configs: readonly RemoteWriteConfig[], externalLabels: Readonly<Record<string, string>>): Promise<void> {
    const wanted = configs.map((config, i) => ({
      config,
      key: stateKey(config, configs.slice(0, i)),
      fingerprint: JSON.stringify([config, externalLabels]),
      rules: [...config.writeRelabelConfigs.map((c) => compileRelabelConfig(c)), ...externalLabelRules(externalLabels)],
    }));
    const kept = new Set<Running>();
    const next: (Running | undefined)[] = wanted.map((w) => {
      const existing = this.running.find((r) => r.fingerprint === w.fingerprint && !kept.has(r));
      if (existing !== undefined) kept.add(existing);
      return existing;
    });
    await Promise.all(this.running.filter((r) => !kept.has(r)).map((r) => r.destination.stop()));
    forgetOthers(this.options.stateDir, new Set(wanted.map((w) => w.key)));
    this.running = wanted.map((w, i) => next[i] ?? { destination: this.start(w.config, w.key, w.rules), fingerprint: w.fingerprint });
  }

  /** Stops every destination, saving what each delivered. */
  async stop(): Promise<void> {
    await Promise.all(this.running.map((r) => r.destination.stop()));
    this.running = [];
  }

  private start(config: RemoteWriteConfig, key: string, rules: RelabelRule[]): WriteDestination {
    const name = config.name || config.url;
    const q = config.queueConfig;
    const logger = this.options.logger.with({ remote_name: name, url: config.url });
    return new WriteDestination({
      queue: {
        url: config.url,
        name,
        timeoutMs: config.remoteTimeout,
        headers: { ...config.headers, ...authHeaders(config) },
        capacity: Math.max(q.capacity, q.maxSamplesPerSend),
        maxSamplesPerSend: q.maxSamplesPerSend,
        batchSendDeadlineMs: q.batchSendDeadline,
        minBackoffMs: q.minBackoff,
        maxBackoffMs: q.maxBackoff,
        retryOnHttp429: q.retryOnHttp429,
        userAgent: this.options.userAgent,
      },
      rules,
      wal: this.options.wal,
      position: new PositionFile(join(this.options.stateDir, key), { url: config.url, name: config.name }),
      logger,
      flushDeadlineMs: this.options.flushDeadlineMs,
      pollIntervalMs: this.options.pollIntervalMs,
    });
  }
}

/** The state directory name of a destination: a hash of its URL and name (numbered when repeated). */
function stateKey(config: RemoteWriteConfig, earlier: readonly RemoteWriteConfig[]): string {
  const key = createHash('sha256').update(`${config.url}\n${config.name}`).digest('hex').slice(0, 16);
  const repeats = earlier.filter((c) => c.url === config.url && c.name === config.name).length;
  return repeats === 0 ? key : `${key}-${repeats}`;
}

/** Deletes the state of destinations no longer configured: re-added later, they start afresh. */
function forgetOthers(stateDir: string, keep: ReadonlySet<string>): void {
  let names: string[];
  try {
    names = readdirSync(stateDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  for (const name of names) if (!keep.has(name)) rmSync(join(stateDir, name), { recursive: true, force: true });
}

/** External labels are added where a series lacks them (after write_relabel_configs, as upstream). */
function externalLabelRules(external: Readonly<Record<string, string>>): RelabelRule[] {
  return Object.entries(external).map(([name, value]) =>
    compileRelabelConfig({ sourceLabels: [name], separator: ';', regex: '', modulus: 0, targetLabel: name, replacement: value.replace(/\$/g, '$$$$'), action: 'replace' }),
  );
}

function authHeaders(config: RemoteWriteConfig): Record<string, string> {
  const http = config.httpClient;
  if (http.basicAuth) return { Authorization: `Basic ${Buffer.from(`${http.basicAuth.username}:${http.basicAuth.password}`).toString('base64')}` };
  if (http.authorization && http.authorization.credentials !== '') return { Authorization: `${http.authorization.type || 'Bearer'} ${http.authorization.credentials}` };
  return {};
}
