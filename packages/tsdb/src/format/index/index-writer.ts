import { compareUtf8, Labels } from '@pyrometer/model';
import { misuseError } from '../errors.js';
import { crc32c } from '@pyrometer/codec';
import { EncodeBuffer } from '../encoding/encode-buffer.js';
import { writeFileDurably } from '../fs-util.js';

/** First 4 bytes of an index file; the version byte after it is 2 (index format v2). */
export const INDEX_MAGIC = 0xbaaad700;
export const INDEX_VERSION = 2;
/** The TOC: six 8-byte section offsets and a CRC32C, at the very end of the file. */
export const INDEX_TOC_SIZE = 6 * 8 + 4;

/** Where a chunk lives and what it covers: mint/maxt are its first/last sample times (ms, inclusive). */
export interface ChunkMeta {
  mint: number;
  maxt: number;
  /** Chunk reference: segment sequence << 32 | byte offset in that segment file. */
  ref: number;
}

/** A series as the index stores it. */
export interface IndexSeries {
  labels: Labels;
  chunks: readonly ChunkMeta[];
}

/**
 * Writes an index file (format v2) for `series`, which must be sorted by `Labels.compare`, unique,
 * with chunks ordered by time and by ref. The layout matches Prometheus's writer section by section
 * (symbols including "", 16-byte aligned series, label indices, postings starting with the
 * all-series list, the two offset tables, TOC), so the bytes equal what Prometheus writes for the
 * same input. The whole file is built in memory, written and fsynced.
 */
export function writeIndex(path: string, series: readonly IndexSeries[]): void {
  const symbolSet = new Set<string>(['']);
  for (const s of series) s.labels.forEach((n, v) => (symbolSet.add(n), symbolSet.add(v)));
  const symbols = [...symbolSet].sort(compareUtf8);
  const symbolIndex = new Map<string, number>();
  symbols.forEach((s, i) => symbolIndex.set(s, i));

  const b = new EncodeBuffer(64 * 1024);
  b.putBE32(INDEX_MAGIC);
  b.putByte(INDEX_VERSION);

  const toc = { symbols: b.length, series: 0, labelIndices: 0, labelIndicesTable: 0, postings: 0, postingsTable: 0 };
  section(b, () => {
    b.putBE32(symbols.length);
    for (const s of symbols) b.putUvarintString(s);
  });

  toc.series = b.length;
  const postings = new Map<string, Map<string, number[]>>();
  const all: number[] = [];
  const entry = new EncodeBuffer(256);
  let prev: Labels | undefined;
  for (const s of series) {
    if (prev !== undefined && Labels.compare(prev, s.labels) >= 0) throw misuseError(`index series must be sorted and unique: ${s.labels.toString()} after ${prev.toString()}`);
    prev = s.labels;
    b.padTo(16);
    const ref = b.length / 16;
    all.push(ref);
    entry.reset();
    entry.putUvarint(s.labels.size);
    s.labels.forEach((name, value) => {
      entry.putUvarint(symbolIndex.get(name)!);
      entry.putUvarint(symbolIndex.get(value)!);
      let values = postings.get(name);
      if (values === undefined) postings.set(name, (values = new Map()));
      let refs = values.get(value);
      if (refs === undefined) values.set(value, (refs = []));
      refs.push(ref);
    });
    entry.putUvarint(s.chunks.length);
    let last: ChunkMeta | undefined;
    for (const c of s.chunks) {
      if (c.maxt < c.mint || (last !== undefined && (c.mint <= last.maxt || c.ref <= last.ref))) {
        throw misuseError(`chunks of ${s.labels.toString()} overlap or are out of order at [${c.mint}, ${c.maxt}]`);
      }
      if (last === undefined) {
        entry.putVarint(c.mint);
        entry.putUvarint(c.maxt - c.mint);
        entry.putUvarint(c.ref);
      } else {
        entry.putUvarint(c.mint - last.maxt);
        entry.putUvarint(c.maxt - c.mint);
        entry.putVarint(c.ref - last.ref);
      }
      last = c;
    }
    const bytes = entry.bytes();
    b.putUvarint(bytes.length);
    b.putBytes(bytes);
    b.putBE32(crc32c(bytes));
  }

  const names = [...postings.keys()].sort(compareUtf8);
  const sortedValues = new Map<string, string[]>();
  for (const name of names) sortedValues.set(name, [...postings.get(name)!.keys()].sort(compareUtf8));

  toc.labelIndices = b.length;
  const labelIndexOffsets: number[] = [];
  for (const name of names) {
    b.padTo(4);
    labelIndexOffsets.push(b.length);
    const values = sortedValues.get(name)!;
    section(b, () => {
      b.putBE32(1);
      b.putBE32(values.length);
      for (const v of values) b.putBE32(symbolIndex.get(v)!);
    });
  }

  toc.postings = b.length;
  const postingsOffsets: [string, string, number][] = [];
  const writePostings = (name: string, value: string, refs: readonly number[]): void => {
    b.padTo(4);
    postingsOffsets.push([name, value, b.length]);
    section(b, () => {
      b.putBE32(refs.length);
      for (const r of refs) b.putBE32(r);
    });
  };
  writePostings('', '', all);
  for (const name of names) {
    const values = postings.get(name)!;
    for (const value of sortedValues.get(name)!) writePostings(name, value, values.get(value)!);
  }

  toc.labelIndicesTable = b.length;
  section(b, () => {
    b.putBE32(names.length);
    names.forEach((name, i) => {
      b.putByte(1);
      b.putUvarintString(name);
      b.putUvarint(labelIndexOffsets[i]!);
    });
  });

  toc.postingsTable = b.length;
  section(b, () => {
    b.putBE32(postingsOffsets.length);
    for (const [name, value, offset] of postingsOffsets) {
      b.putByte(2);
      b.putUvarintString(name);
      b.putUvarintString(value);
      b.putUvarint(offset);
    }
  });

  const tocStart = b.length;
  for (const off of [toc.symbols, toc.series, toc.labelIndices, toc.labelIndicesTable, toc.postings, toc.postingsTable]) b.putBE64(off);
  b.putBE32(crc32c(b.bytes(), 0, tocStart, b.length));
  writeFileDurably(path, b.bytes());
}

/** Writes a section framed as `len <4b> | body | CRC32C(body)`. */
function section(b: EncodeBuffer, body: () => void): void {
  const lenPos = b.length;
  b.putBE32(0);
  body();
  const len = b.length - lenPos - 4;
  b.setBE32(lenPos, len);
  b.putBE32(crc32c(b.bytes(), 0, lenPos + 4, b.length));
}
