import type { DiscoveryConfigs, TargetGroup } from '@pyrometer/config';
import type { Logger } from '@pyrometer/telemetry';
import type { Clock } from '@pyrometer/model';
import type { ScrapeError } from '../errors.js';
import { HttpTargetClient } from '../internal/http-target-client.js';
import { FileProvider } from './file-provider.js';
import { HttpProvider } from './http-provider.js';
import { StaticProvider, type DiscoveryProvider } from './provider.js';

/** What {@link TargetDiscovery.start} needs besides the SD sections. */
export interface TargetDiscoveryOptions {
  clock: Clock;
  /** Warnings (unsupported sections, unwatchable directories) go here. */
  logger: Logger;
  /** Called for every failed refresh of a file or HTTP source; the source keeps its last good groups. */
  onFailure: (mechanism: 'file' | 'http', err: ScrapeError) => void;
}

/**
 * Runs the discovery providers of one set of SD sections (`static_configs`, `file_sd_configs`,
 * `http_sd_configs`; `dns_sd_configs` are reported unsupported): `onUpdate(provider, groups)` gets
 * a provider's complete current groups whenever they change and at least once per provider.
 * Providers are numbered in section order, static first. Used by the scrape manager for each job
 * and by the server for each Alertmanager set. No update follows `stop`.
 */
export class TargetDiscovery {
  private constructor(private readonly providers: DiscoveryProvider[]) {}

  /** Creates the providers (rejects when an HTTP SD client cannot be built, e.g. a missing CA file) and starts them. */
  static async start(configs: DiscoveryConfigs, options: TargetDiscoveryOptions, onUpdate: (provider: number, groups: TargetGroup[]) => void): Promise<TargetDiscovery> {
    const { clock, logger, onFailure } = options;
    const providers: DiscoveryProvider[] = [];
    if (configs.staticConfigs.length > 0) providers.push(new StaticProvider(configs.staticConfigs));
    for (const f of configs.fileSdConfigs) providers.push(new FileProvider(f, clock, logger, (err) => onFailure('file', err)));
    for (const h of configs.httpSdConfigs) providers.push(new HttpProvider(h, await HttpTargetClient.create(h.httpClient), clock, (err) => onFailure('http', err)));
    if (configs.dnsSdConfigs.length > 0) logger.warn('dns_sd_configs are not supported yet; those targets are not discovered');
    providers.forEach((p, i) => p.start((groups) => onUpdate(i, groups)));
    return new TargetDiscovery(providers);
  }

  /** Resolves when the reads and requests started so far have finished. */
  async settled(): Promise<void> {
    for (const p of this.providers) if (p instanceof FileProvider || p instanceof HttpProvider) await p.settled();
  }

  stop(): void {
    for (const p of this.providers) p.stop();
  }
}
