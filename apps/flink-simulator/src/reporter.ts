import type { Logger } from '@pyrometer/telemetry';
import { groupingPath } from './push-path.js';
import type { ReporterConfig } from './reporter-config.js';
import type { SimulatedProcess } from './simulator.js';
import { writeText004 } from './text-format.js';

const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
const TIMEOUT_MS = 10_000;

/**
 * The PrometheusPushGatewayReporter of one simulated Flink process: a PUT of the whole registry
 * per report to `/metrics/job/<jobName><suffix>{/k/v}`, and a DELETE of the same group on close
 * when `deleteOnShutdown`. Failures are logged and the next report tries again, as Flink does.
 */
export class PushGatewayReporter {
  /** The `job` label this process pushes under (jobName plus its random suffix). */
  readonly jobLabel: string;
  readonly url: string;

  constructor(
    private readonly config: ReporterConfig,
    private readonly process: SimulatedProcess,
    private readonly logger: Logger,
    randomSuffix: string,
  ) {
    this.jobLabel = config.jobName + (config.randomJobNameSuffix ? randomSuffix : '');
    this.url = `${config.hostUrl}/metrics/${groupingPath(this.jobLabel, config.groupingKey)}`;
  }

  /** Pushes the process's current metrics; resolves to the HTTP status, or undefined when the request failed. */
  async report(nowMs: number): Promise<number | undefined> {
    const body = writeText004(this.process.families(nowMs), this.config.filterLabelValueCharacters);
    return this.send('PUT', body);
  }

  /** The DELETE Flink sends when its metric registry shuts down cleanly. */
  async close(): Promise<void> {
    if (this.config.deleteOnShutdown) await this.send('DELETE', undefined);
  }

  private async send(method: 'PUT' | 'DELETE', body: string | undefined): Promise<number | undefined> {
    try {
      const res = await fetch(this.url, { method, body: body ?? null, headers: { 'Content-Type': CONTENT_TYPE }, signal: AbortSignal.timeout(TIMEOUT_MS) });
      const text = await res.text();
      if (res.status < 200 || res.status > 299) {
        this.logger.warn('Failed to push metrics to PushGateway', { jobName: this.jobLabel, process: this.process.name, status: res.status, response: text.trim() });
      }
      return res.status;
    } catch (err) {
      this.logger.warn('Failed to push metrics to PushGateway', { jobName: this.jobLabel, process: this.process.name, err: err as Error });
      return undefined;
    }
  }
}
