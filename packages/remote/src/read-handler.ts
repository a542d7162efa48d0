import { CodecError, snappyDecode, snappyEncode } from '@pyrometer/codec';
import { Matcher, MatchType, type Labels } from '@pyrometer/model';
import { ValueType, type Queryable, type SampleIterator } from '@pyrometer/storage';
import { decodeReadRequest, encodeReadResponse, type RemoteSample, type RemoteSeries } from './prompb.js';

const SAMPLES = 0;
/** The largest decoded read request, as upstream's decodeReadLimit. */
const DECODE_READ_LIMIT = 32 * 1024 * 1024;

/** A remote read answer: status, headers and body bytes. */
export interface ReadAnswer {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array | string;
}

/**
 * Serves one remote read request (POST /api/v1/read) in the SAMPLES response type: each query's
 * matchers (minus those that only restate an external label) select series in [start, end]; the
 * external labels are added to the answer where a series lacks them. Malformed requests, and
 * requests that decode to more than 32 MiB (upstream's limit, checked before decoding), answer 400.
 */
export async function serveRemoteRead(body: Uint8Array, queryable: Queryable, externalLabels: Readonly<Record<string, string>>): Promise<ReadAnswer> {
  let request;
  try {
    request = decodeReadRequest(snappyDecode(body, 'remote read body', DECODE_READ_LIMIT));
  } catch (err) {
    const message = err instanceof CodecError || err instanceof Error ? err.message : String(err);
    return { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: message + '\n' };
  }
  if (request.acceptedResponseTypes.length > 0 && !request.acceptedResponseTypes.includes(SAMPLES)) {
    return { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: 'server does not support any of the requested response types; it answers SAMPLES\n' };
  }
  const external = Object.entries(externalLabels);
  const results: RemoteSeries[][] = [];
  for (const query of request.queries) {
    const matchers = query.matchers.filter((m) => !(m.type === MatchType.Equal && externalLabels[m.name] === m.value));
    const querier = await queryable.querier(query.startMs, query.endMs);
    try {
      const set = await querier.select(matchers.length > 0 ? matchers : [ALL_SERIES], { sortSeries: true, hints: { start: query.startMs, end: query.endMs } });
      results.push(set.series.map((s) => ({ labels: addExternal(s.labels, external), samples: collect(s.iterator()) })));
    } finally {
      await querier.close();
    }
  }
  return {
    status: 200,
    headers: { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'snappy' },
    body: snappyEncode(encodeReadResponse(results)),
  };
}

/** When only external-label matchers were given, every series matches; select all of them. */
const ALL_SERIES = new Matcher(MatchType.Regexp, '__name__', '.+');

function addExternal(labels: Labels, external: [string, string][]): Labels {
  if (external.length === 0) return labels;
  const b = labels.builder();
  for (const [k, v] of external) if (!labels.has(k)) b.set(k, v);
  return b.labels();
}

function collect(it: SampleIterator): RemoteSample[] {
  const out: RemoteSample[] = [];
  while (it.next() !== ValueType.None) out.push({ t: it.atT(), v: it.atF(), stale: it.atStale() });
  return out;
}
