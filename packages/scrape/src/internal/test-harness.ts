import { parseConfig } from '@pyrometer/config';
import { MemoryStorage } from '@pyrometer/storage';
import { MetricsRegistry } from '@pyrometer/telemetry';
import { ManualClock } from '@pyrometer/model';
import { ScrapeManager } from '../scrape-manager.js';
import type { Target } from '../target.js';

/** A manager on a manual clock writing into a fresh MemoryStorage, for tests. */
export class Harness {
  readonly clock = new ManualClock(1_700_000_000_000);
  readonly storage = new MemoryStorage();
  readonly registry = new MetricsRegistry();
  readonly manager = new ScrapeManager(this.storage, { clock: this.clock, registry: this.registry, offsetSeed: 0 });

  /** Parses `yaml` as prometheus.yml and applies it. */
  async apply(yaml: string): Promise<void> {
    await this.manager.applyConfig(parseConfig(yaml, 'test.yml', { env: {} }));
    await this.manager.idle();
  }

  /** Advances the clock by `ms` in steps of at most `step` ms, letting scrapes finish between steps. */
  async advance(ms: number, step = ms): Promise<void> {
    for (let done = 0; done < ms; done += step) {
      this.clock.advance(Math.min(step, ms - done));
      await this.manager.idle();
    }
  }

  /** The only active target of `job`. */
  target(job: string): Target {
    const targets = this.manager.activeTargets().get(job) ?? [];
    if (targets.length !== 1) throw new Error(`expected one target in ${job}, found ${targets.length}`);
    return targets[0]!;
  }

  async stop(): Promise<void> {
    await this.manager.stop();
  }
}

/** A one-job config scraping `address` every `interval`. */
export function jobConfig(address: string, extra = '', interval = '10s'): string {
  return `scrape_configs:\n  - job_name: test\n    scrape_interval: ${interval}\n    static_configs:\n      - targets: ['${address}']\n${extra}`;
}
