import type { RemoteAnswer, ReceivedSeries, RemoteWriteReceiver } from '@pyrometer/remote';
import type { DecodedWrite } from './protocol.js';
import type { QueryPool } from './query-pool.js';
import { unpackSeries } from './series-wire.js';

/** Samples appended between two turns of the event loop. */
const APPEND_SLICE = 20_000;

/**
 * Receives one remote write request: a worker of `pool` decompresses and decodes the body (a
 * 30 MB body costs seconds), then `receiver` appends the series on this thread in slices of
 * {@link APPEND_SLICE} samples with event-loop turns between them and commits once, so the request
 * stays atomic. Answers as `receiver.receive` does; a failing decoder worker answers 500.
 */
export async function receivePooledRemoteWrite(
  pool: QueryPool,
  receiver: RemoteWriteReceiver,
  body: Buffer,
  headers: { contentType: string | undefined; contentEncoding: string | undefined },
  maxDecodedBytes: number,
): Promise<RemoteAnswer> {
  const buffer = body.buffer.slice(body.byteOffset, body.byteOffset + body.length) as ArrayBuffer;
  let decoded: DecodedWrite | undefined;
  try {
    await pool.run({ kind: 'decode-write', body: buffer, ...headers, maxDecodedBytes }, (msg) => {
      if (msg.type === 'decoded') decoded = msg.result;
    }, { transfer: [buffer] });
  } catch (err) {
    return { status: 500, body: (err as Error).message };
  }
  if (decoded === undefined) return { status: 500, body: 'the decoding worker sent no result' };
  if (!decoded.ok) return { status: decoded.status, body: decoded.message };
  const counts = decoded.counts;
  const timeseries: ReceivedSeries[] = unpackSeries(decoded.series).map((data, i) => {
    const s = data.ooo;
    const samples = s === undefined ? [] : s.ts.map((t, k) => ({ t, v: s.vs[k]!, stale: s.stale[k] === 1 }));
    return { labels: data.labels, samples, ...counts[i]! };
  });
  return receiver.receiveDecoded({ timeseries, metadata: decoded.metadata }, APPEND_SLICE);
}
