import { ApiError } from '@pyrometer/http-api';
import { appendRemoteWrite, type RemoteAnswer, type RemoteSeries } from '@pyrometer/remote';
import type { Appendable } from '@pyrometer/storage';
import type { Logger } from '@pyrometer/telemetry';
import type { DecodedWrite } from './protocol.js';
import type { QueryPool } from './query-pool.js';
import { unpackSeries } from './series-wire.js';

/** Samples appended between two turns of the event loop. */
const APPEND_SLICE = 20_000;

/**
 * Receives one remote write request: a worker of `pool` decompresses and decodes the body (a
 * 30 MB body costs seconds), then this thread appends the series in slices of
 * {@link APPEND_SLICE} samples with event-loop turns between them and commits once, so the
 * request stays atomic. Answers as `receiveRemoteWrite` does.
 */
export async function receivePooledRemoteWrite(
  pool: QueryPool,
  body: Buffer,
  headers: { contentType: string | undefined; contentEncoding: string | undefined },
  appendable: Appendable,
  logger: Logger,
): Promise<RemoteAnswer> {
  const buffer = body.buffer.slice(body.byteOffset, body.byteOffset + body.length) as ArrayBuffer;
  let decoded: DecodedWrite | undefined;
  try {
    await pool.run({ kind: 'decode-write', body: buffer, ...headers }, (msg) => {
      if (msg.type === 'decoded') decoded = msg.result;
    }, { transfer: [buffer] });
  } catch (err) {
    return { status: 500, body: err instanceof ApiError ? err.message : String(err) };
  }
  if (decoded === undefined) return { status: 500, body: 'the decoding worker sent no result' };
  if (!decoded.ok) return { status: decoded.status, body: decoded.message };
  const series: RemoteSeries[] = unpackSeries(decoded.series).map(({ data }) => {
    const s = data.ooo;
    const samples = s === undefined ? [] : s.ts.map((t, i) => ({ t, v: s.vs[i]!, stale: s.stale[i] === 1 }));
    return { labels: data.labels, samples };
  });
  return appendRemoteWrite(series, appendable, logger, undefined, APPEND_SLICE);
}
