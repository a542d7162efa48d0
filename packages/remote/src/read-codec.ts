import { CodecError, crc32c, ProtoReader, ProtoWriter, WireType } from '@pyrometer/codec';
import { Labels, MatchType, type Matcher } from '@pyrometer/model';
import type { SelectHints } from '@pyrometer/storage';

/** prompb.ReadRequest.ResponseType. */
export const ResponseType = { Samples: 0, StreamedXorChunks: 1 } as const;

/** The Content-Type of a streamed chunked answer (prompb.ChunkedReadResponse frames). */
export const CHUNKED_CONTENT_TYPE = 'application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse';

const MATCH_TYPE_CODES: Record<MatchType, number> = { [MatchType.Equal]: 0, [MatchType.NotEqual]: 1, [MatchType.Regexp]: 2, [MatchType.NotRegexp]: 3 };

/** One query a client sends: the inclusive time range (ms), matchers and optional hints. */
export interface ClientQuery {
  startMs: number;
  endMs: number;
  matchers: readonly Matcher[];
  hints?: SelectHints | undefined;
}

/**
 * Encodes a prompb.ReadRequest with one Query per `queries` entry (start, end, matchers, and the
 * ReadHints a select passes) accepting `accepted` response types in order of preference.
 */
export function encodeReadRequest(queries: readonly ClientQuery[], accepted: readonly number[]): Uint8Array {
  const w = new ProtoWriter();
  for (const q of queries) {
    const qw = new ProtoWriter();
    qw.tag(1, WireType.Varint);
    qw.varint(q.startMs);
    qw.tag(2, WireType.Varint);
    qw.varint(q.endMs);
    for (const m of q.matchers) {
      const mw = new ProtoWriter();
      mw.tag(1, WireType.Varint);
      mw.varint(MATCH_TYPE_CODES[m.type]);
      mw.string(2, m.name);
      mw.string(3, m.value);
      qw.bytes(3, mw.finish());
    }
    if (q.hints !== undefined) qw.bytes(4, encodeHints(q.hints));
    w.bytes(1, qw.finish());
  }
  for (const t of accepted) {
    w.tag(2, WireType.Varint);
    w.varint(t);
  }
  return w.finish();
}

/** prompb.ReadHints: step_ms = 1, func = 2, start_ms = 3, end_ms = 4, range_ms = 7. */
function encodeHints(h: SelectHints): Uint8Array {
  const w = new ProtoWriter();
  const int = (field: number, v: number | undefined): void => {
    if (v === undefined || v === 0) return;
    w.tag(field, WireType.Varint);
    w.varint(v);
  };
  int(1, h.step);
  if (h.func !== undefined && h.func !== '') w.string(2, h.func);
  int(3, h.start);
  int(4, h.end);
  int(7, h.range);
  return w.finish();
}

/** One chunk of a streamed answer: its time range (ms, inclusive), encoding (1 = XOR) and data. */
export interface RemoteChunk {
  minT: number;
  maxT: number;
  encoding: number;
  data: Uint8Array;
}

/** A series of a streamed answer, with the query it answers. */
export interface ChunkedSeries {
  queryIndex: number;
  labels: Labels;
  chunks: RemoteChunk[];
}

/**
 * Decodes a streamed chunked answer: frames of uvarint(length), CRC32C (big-endian) and a
 * prompb.ChunkedReadResponse each. A series the server split over consecutive frames comes out
 * once, its chunks joined. Chunk data are views into `body`. Throws a CodecError naming the offset
 * of a bad frame, and when the frames hold more than `maxBytes` of chunk data.
 */
export function decodeChunkedReadResponse(body: Uint8Array, maxBytes = Infinity): ChunkedSeries[] {
  const out: ChunkedSeries[] = [];
  let bytes = 0;
  const r = new ProtoReader(body);
  while (!r.done()) {
    const at = r.pos;
    const n = r.varint();
    if (r.pos + 4 + n > body.length) throw new CodecError('protobuf', `chunked remote read answer: frame at byte ${at} of ${n} bytes runs past the end (${body.length} bytes)`);
    const stored = ((body[r.pos]! << 24) | (body[r.pos + 1]! << 16) | (body[r.pos + 2]! << 8) | body[r.pos + 3]!) >>> 0;
    const start = r.pos + 4;
    if (crc32c(body, 0, start, start + n) !== stored) throw new CodecError('protobuf', `chunked remote read answer: frame at byte ${at} fails its checksum`);
    const frame = new ProtoReader(body, start, start + n);
    r.pos = start + n;
    let queryIndex = 0;
    const series: { labels: Labels; chunks: RemoteChunk[] }[] = [];
    while (!frame.done()) {
      const [field, wire] = frame.tag();
      if (field === 1 && wire === WireType.Bytes) series.push(decodeChunkedSeries(frame.message()));
      else if (field === 2 && wire === WireType.Varint) queryIndex = frame.int64();
      else frame.skip(wire);
    }
    for (const s of series) {
      for (const c of s.chunks) bytes += c.data.length;
      if (bytes > maxBytes) throw new CodecError('protobuf', `chunked remote read answer holds more than ${maxBytes} bytes of chunks`);
      const last = out.at(-1);
      if (last !== undefined && last.queryIndex === queryIndex && last.labels.equals(s.labels)) last.chunks.push(...s.chunks);
      else out.push({ queryIndex, labels: s.labels, chunks: s.chunks });
    }
  }
  return out;
}

/** prompb.ChunkedSeries: labels = 1, chunks = 2 (Chunk: min_time_ms = 1, max_time_ms = 2, type = 3, data = 4). */
function decodeChunkedSeries(r: ProtoReader): { labels: Labels; chunks: RemoteChunk[] } {
  const pairs: [string, string][] = [];
  const chunks: RemoteChunk[] = [];
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.Bytes) pairs.push(r.message().stringPair());
    else if (field === 2 && wire === WireType.Bytes) {
      const c = r.message();
      const chunk: RemoteChunk = { minT: 0, maxT: 0, encoding: 0, data: new Uint8Array(0) };
      while (!c.done()) {
        const [f, w] = c.tag();
        if (f === 1 && w === WireType.Varint) chunk.minT = c.int64();
        else if (f === 2 && w === WireType.Varint) chunk.maxT = c.int64();
        else if (f === 3 && w === WireType.Varint) chunk.encoding = c.varint();
        else if (f === 4 && w === WireType.Bytes) chunk.data = c.bytes();
        else c.skip(w);
      }
      chunks.push(chunk);
    } else r.skip(wire);
  }
  return { labels: Labels.from(pairs), chunks };
}
