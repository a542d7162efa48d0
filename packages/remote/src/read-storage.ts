import type { RemoteReadConfig } from '@pyrometer/config';
import { Labels, Matcher, MatchType } from '@pyrometer/model';
import { ArraySampleIterator, labelResult, StorageError, type LabelResult, type Querier, type Queryable, type SelectHints, type Series, type SeriesSet } from '@pyrometer/storage';
import type { Logger } from '@pyrometer/telemetry';
import type { RemoteSeries } from './prompb.js';
import { RemoteReadClient, type RemoteReadAnswer } from './read-client.js';
import type { RemoteChunk } from './read-codec.js';

/**
 * Builds a series from the XOR chunks of a streamed answer, bounded to [mint, maxt] (the TSDB's
 * chunk decoder, passed in: this package does not decode chunks itself).
 */
export type ChunkSeriesFactory = (labels: Labels, chunks: readonly RemoteChunk[], mint: number, maxt: number) => Series;

/** What a {@link RemoteReadStorage} is built from. */
export interface RemoteReadStorageOptions {
  userAgent: string;
  chunkSeries: ChunkSeriesFactory;
  logger: Logger;
  /** Response types to accept, most preferred first (default: streamed XOR chunks, then samples). */
  acceptedResponseTypes?: readonly number[];
}

interface Endpoint {
  readonly config: RemoteReadConfig;
  readonly client: RemoteReadClient;
}

/**
 * The configured `remote_read` endpoints, each as a {@link Queryable} to merge with the local
 * storage, with upstream's semantics: `required_matchers` (a select without all of them as equality
 * matchers reads nothing remotely), `filter_external_labels` (the external labels are sent as
 * equality matchers, unless the select matches those names itself, and taken off the answer's
 * series), `read_recent` (when false, only the time before the local storage's oldest sample is
 * read remotely). A failing endpoint does not fail the query: its error becomes a warning, as for
 * Prometheus's secondary queriers. Label names and values are not read remotely (the protocol
 * has no such query). `applyConfig` replaces the endpoints (all of them or, on error, none).
 */
export class RemoteReadStorage {
  private endpoints: Endpoint[] = [];
  private externalLabels: Readonly<Record<string, string>> = {};

  constructor(private readonly options: RemoteReadStorageOptions) {}

  /** Rejects, naming the problem, when an entry's HTTP client cannot be made (its TLS files cannot be read). */
  static async check(configs: readonly RemoteReadConfig[]): Promise<void> {
    const clients = await Promise.all(configs.map((config) => RemoteReadClient.create({ config, userAgent: '' })));
    await Promise.all(clients.map((c) => c.close()));
  }

  async applyConfig(configs: readonly RemoteReadConfig[], externalLabels: Readonly<Record<string, string>>): Promise<void> {
    const clients = await Promise.all(configs.map((config) => RemoteReadClient.create({ config, userAgent: this.options.userAgent, ...(this.options.acceptedResponseTypes === undefined ? {} : { acceptedResponseTypes: this.options.acceptedResponseTypes }) })));
    const old = this.endpoints;
    this.endpoints = configs.map((config, i) => ({ config, client: clients[i]! }));
    this.externalLabels = externalLabels;
    await Promise.all(old.map((e) => e.client.close()));
  }

  /**
   * The endpoints as queryables. `localStartTime` resolves to the local storage's oldest sample
   * time (ms; Infinity when it is empty), asked only for endpoints with `read_recent: false`.
   * `signal` cancels their requests.
   */
  queryables(localStartTime: () => Promise<number>, signal?: AbortSignal): Queryable[] {
    return this.endpoints.map((e) => ({
      querier: async (mint: number, maxt: number): Promise<Querier> => {
        if (!e.config.readRecent) {
          const start = await localStartTime();
          if (mint > start) return new RemoteReadQuerier(e, this.externalLabels, mint, maxt, true, this.options, signal);
          if (maxt > start) maxt = start;
        }
        return new RemoteReadQuerier(e, this.externalLabels, mint, maxt, false, this.options, signal);
      },
    }));
  }

  async close(): Promise<void> {
    await Promise.all(this.endpoints.map((e) => e.client.close()));
    this.endpoints = [];
  }
}

class RemoteReadQuerier implements Querier {
  private closed = false;

  constructor(
    private readonly endpoint: Endpoint,
    private readonly externalLabels: Readonly<Record<string, string>>,
    readonly mint: number,
    readonly maxt: number,
    /** The local storage answers the whole range: nothing is read remotely. */
    private readonly localOnly: boolean,
    private readonly options: RemoteReadStorageOptions,
    private readonly signal: AbortSignal | undefined,
  ) {}

  async select(matchers: readonly Matcher[], options: { sortSeries?: boolean; hints?: SelectHints } = {}): Promise<SeriesSet> {
    if (this.closed) throw new StorageError('closed', 'querier is closed');
    const { config, client } = this.endpoint;
    if (this.localOnly || !hasRequiredMatchers(config.requiredMatchers, matchers)) return { series: [], warnings: [] };
    const sent = [...matchers];
    const added: string[] = [];
    if (config.filterExternalLabels) {
      for (const [name, value] of Object.entries(this.externalLabels)) {
        if (matchers.some((m) => m.name === name)) continue;
        sent.push(new Matcher(MatchType.Equal, name, value));
        added.push(name);
      }
    }
    let answer: RemoteReadAnswer;
    try {
      answer = await client.read({ startMs: this.mint, endMs: this.maxt, matchers: sent, hints: options.hints }, this.signal);
    } catch (err) {
      const message = (err as Error).message;
      this.options.logger.warn('Remote read failed', { remote_name: client.name, err: message });
      return { series: [], warnings: [message] };
    }
    const series = answer.kind === 'samples' ? answer.series.map((s) => this.sampleSeries(s, added)) : this.chunkSeries(answer, added);
    series.sort((a, b) => Labels.compare(a.labels, b.labels));
    const limit = options.hints?.limit ?? 0;
    return { series: limit > 0 ? series.slice(0, limit) : series, warnings: [] };
  }

  private sampleSeries(s: RemoteSeries, added: readonly string[]): Series {
    const ts = s.samples.map((x) => x.t);
    const vs = s.samples.map((x) => x.v);
    const stale = s.samples.map((x) => (x.stale ? 1 : 0));
    return { labels: withoutNames(s.labels, added), iterator: () => new ArraySampleIterator(ts, vs, stale) };
  }

  private chunkSeries(answer: Extract<RemoteReadAnswer, { kind: 'chunks' }>, added: readonly string[]): Series[] {
    // Only XOR float chunks are read; native histogram chunks are not stored or queried here.
    return answer.series.map((s) => this.options.chunkSeries(withoutNames(s.labels, added), s.chunks.filter((c) => c.encoding === 1), this.mint, this.maxt));
  }

  async labelValues(): Promise<LabelResult> {
    return labelResult([]);
  }

  async labelNames(): Promise<LabelResult> {
    return labelResult([]);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** Whether every required `name: value` is among the select's equality matchers. */
function hasRequiredMatchers(required: Readonly<Record<string, string>>, matchers: readonly Matcher[]): boolean {
  return Object.entries(required).every(([name, value]) => matchers.some((m) => m.type === MatchType.Equal && m.name === name && m.value === value));
}

function withoutNames(labels: Labels, names: readonly string[]): Labels {
  return names.length === 0 ? labels : labels.without(...names);
}
