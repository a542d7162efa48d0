import { snappyDecode, snappyEncode } from '@pyrometer/codec';
import type { RemoteReadConfig } from '@pyrometer/config';
import { HttpClient } from '@pyrometer/http-client';
import { decodeReadResponse, type RemoteSeries } from './prompb.js';
import { CHUNKED_CONTENT_TYPE, decodeChunkedReadResponse, encodeReadRequest, ResponseType, type ChunkedSeries, type ClientQuery } from './read-codec.js';

/** Response types a client accepts by default, most preferred first (as Prometheus 3's client). */
const DEFAULT_ACCEPTED_RESPONSE_TYPES: readonly number[] = [ResponseType.StreamedXorChunks, ResponseType.Samples];
/** The largest answer a client reads (bytes); a larger one fails the read. */
const DEFAULT_MAX_ANSWER_BYTES = 512 * 1024 * 1024;

/** What a remote read answered: float samples per series, or XOR chunks per series (streamed). */
export type RemoteReadAnswer = { kind: 'samples'; series: RemoteSeries[] } | { kind: 'chunks'; series: ChunkedSeries[] };

/** How a {@link RemoteReadClient} talks to its endpoint. */
export interface RemoteReadClientOptions {
  /** The `remote_read` entry: URL, timeout, headers, HTTP client settings. */
  config: RemoteReadConfig;
  userAgent: string;
  /** Response types to accept, most preferred first (default {@link DEFAULT_ACCEPTED_RESPONSE_TYPES}). */
  acceptedResponseTypes?: readonly number[];
  /** The largest answer to read, in bytes (default 512 MiB). */
  maxAnswerBytes?: number;
}

/**
 * The client side of remote read (protocol 1.0) for one `remote_read` entry: sends one query as a
 * snappy-compressed prompb.ReadRequest with the headers Prometheus sends, and reads the answer in
 * whichever type the server chose: a streamed chunked answer (frames of XOR chunks) or a sampled
 * one (a snappy-compressed prompb.ReadResponse). Every failure (connection, timeout after
 * `remote_timeout`, a non-2xx status, an undecodable or oversized answer) rejects with an Error
 * naming the endpoint. `close` ends pooled connections.
 */
export class RemoteReadClient {
  private constructor(
    private readonly options: RemoteReadClientOptions,
    private readonly http: HttpClient,
  ) {}

  static async create(options: RemoteReadClientOptions): Promise<RemoteReadClient> {
    return new RemoteReadClient(options, await HttpClient.create(options.config.httpClient));
  }

  get name(): string {
    return this.options.config.name || this.options.config.url;
  }

  async read(query: ClientQuery, signal?: AbortSignal): Promise<RemoteReadAnswer> {
    const { config } = this.options;
    const accepted = this.options.acceptedResponseTypes ?? DEFAULT_ACCEPTED_RESPONSE_TYPES;
    const body = snappyEncode(encodeReadRequest([query], accepted));
    const timeout = AbortSignal.timeout(config.remoteTimeout);
    const headers = {
      ...config.headers,
      'Content-Encoding': 'snappy',
      'Accept-Encoding': 'snappy',
      'Content-Type': 'application/x-protobuf',
      'User-Agent': this.options.userAgent,
      'X-Prometheus-Remote-Read-Version': '0.1.0',
    };
    try {
      const res = await this.http.request(config.url, { method: 'POST', headers, body: Buffer.from(body), signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]) });
      const answer = await readBody(res.body, this.options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES);
      if (res.statusCode < 200 || res.statusCode >= 300) {
        throw new Error(`returned HTTP status ${res.statusCode}: ${Buffer.from(answer.subarray(0, 512)).toString('utf8').trim()}`);
      }
      const contentType = String(res.headers['content-type'] ?? '');
      if (contentType.startsWith(CHUNKED_CONTENT_TYPE)) return { kind: 'chunks', series: decodeChunkedReadResponse(answer, this.options.maxAnswerBytes) };
      return { kind: 'samples', series: decodeReadResponse(snappyDecode(answer, 'remote read answer', this.options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES))[0] ?? [] };
    } catch (err) {
      const reason = timeout.aborted ? `timed out after ${config.remoteTimeout} ms` : err instanceof Error ? err.message : String(err);
      throw new Error(`remote read from ${config.url}: ${reason}`, { cause: err });
    }
  }

  async close(): Promise<void> {
    await this.http.close();
  }
}

/** Reads a response body to its end, refusing one longer than `max` bytes. */
async function readBody(body: AsyncIterable<Uint8Array>, max: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let n = 0;
  for await (const part of body) {
    n += part.length;
    if (n > max) throw new Error(`answer is larger than ${max} bytes`);
    parts.push(part);
  }
  return Buffer.concat(parts, n);
}
