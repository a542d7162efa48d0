import type { HttpSdConfig, TargetGroup } from '@pyrometer/config';
import type { Clock, TimerHandle } from '@pyrometer/model';
import { ScrapeError } from '../errors.js';
import type { HttpTargetClient } from '../internal/http-target-client.js';
import type { DiscoveryProvider } from './provider.js';
import { parseTargetGroups } from './target-groups.js';

/** Upstream's HTTP SD request timeout equals the refresh interval; we cap it at 30s. */
const MAX_REQUEST_MS = 30_000;

/**
 * `http_sd_configs`: GETs the URL at start and every `refresh_interval`. The answer must be 200 with
 * `Content-Type: application/json` and a list of target groups; groups get `__meta_url`. A failed
 * refresh keeps the last good groups and is reported through `onError`.
 */
export class HttpProvider implements DiscoveryProvider {
  private timer: TimerHandle | undefined;
  private stopped = false;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(
    private readonly config: HttpSdConfig,
    private readonly client: HttpTargetClient,
    private readonly clock: Clock,
    private readonly onError: (err: ScrapeError) => void,
  ) {}

  start(onUpdate: (groups: TargetGroup[]) => void): void {
    const tick = (): void => {
      this.inFlight = this.inFlight.then(async () => {
        if (this.stopped) return;
        try {
          const groups = await this.fetchGroups();
          if (!this.stopped) onUpdate(groups);
        } catch (err) {
          this.onError(err instanceof ScrapeError ? err : new ScrapeError('discovery', (err as Error).message, { cause: err }));
        }
      });
      this.timer = this.clock.setTimeout(tick, this.config.refreshInterval);
    };
    tick();
  }

  /** Resolves when the refreshes started so far have finished. */
  settled(): Promise<void> {
    return this.inFlight;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    void this.client.close();
  }

  private async fetchGroups(): Promise<TargetGroup[]> {
    const url = this.config.url;
    let res;
    try {
      res = await this.client.fetch({ url, headers: { accept: 'application/json', 'x-prometheus-refresh-interval-seconds': String(this.config.refreshInterval / 1000) }, timeoutMs: Math.min(this.config.refreshInterval, MAX_REQUEST_MS), bodySizeLimit: 0, gzip: true });
    } catch (err) {
      throw new ScrapeError('discovery', `http_sd ${url}: ${(err as Error).message}`, { cause: err });
    }
    const mediaType = (res.contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
    if (mediaType !== 'application/json') throw new ScrapeError('discovery', `http_sd ${url}: unsupported content type ${JSON.stringify(res.contentType ?? '')}`);
    let doc: unknown;
    try {
      doc = JSON.parse(res.body.toString('utf8'));
    } catch (err) {
      throw new ScrapeError('discovery', `http_sd ${url}: invalid JSON: ${(err as Error).message}`, { cause: err });
    }
    return parseTargetGroups(doc, url, { __meta_url: url });
  }
}
