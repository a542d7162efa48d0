import { compareUtf8, Labels } from '@pyrometer/model';
import { misuseError } from '../errors.js';
import { crc32c } from '@pyrometer/codec';
import { EncodeBuffer } from '../encoding/encode-buffer.js';
import { FileAppender } from '../io/file-appender.js';

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

/**
 * Writes an index file (format v2) front to back while series are added: the symbol table first
 * (all symbols are given at creation), then one series entry per {@link addSeries} call (series in
 * `Labels.compare` order, unique, chunks ordered by time and by ref), then, at {@link finish}, the
 * label indices, the postings (starting with the all-series list), the two offset tables and the
 * TOC. The layout matches Prometheus's writer section by section (symbols including "", 16-byte
 * aligned series, 4-byte aligned postings), so the bytes equal what Prometheus writes for the same
 * input. Only the postings (series refs per label pair) are held in memory; the file goes through
 * a 1 MiB buffer. Throws an `internal` StorageError for input breaking these rules.
 */
export class IndexWriter {
  private readonly file: FileAppender;
  private readonly symbolIndex = new Map<string, number>();
  private readonly postings = new Map<string, Map<string, number[]>>();
  private readonly all: number[] = [];
  private readonly entry = new EncodeBuffer(256);
  private readonly section = new EncodeBuffer(1024);
  private readonly toc = { symbols: 0, series: 0, labelIndices: 0, labelIndicesTable: 0, postings: 0, postingsTable: 0 };
  private prev: Labels | undefined;

  /** Creates the index at `path` with the given symbols (every label name and value used; "" is added). */
  constructor(path: string, symbols: Iterable<string>) {
    const sorted = [...new Set(['', ...symbols])].sort(compareUtf8);
    sorted.forEach((s, i) => this.symbolIndex.set(s, i));
    this.file = new FileAppender(path);
    const head = Buffer.alloc(5);
    head.writeUInt32BE(INDEX_MAGIC, 0);
    head[4] = INDEX_VERSION;
    this.file.append(head);
    this.toc.symbols = this.file.offset;
    this.writeSection((b) => {
      b.putBE32(sorted.length);
      for (const sym of sorted) b.putUvarintString(sym);
    });
    this.toc.series = this.file.offset;
  }

  /** Appends a series entry. */
  addSeries(labels: Labels, chunks: readonly ChunkMeta[]): void {
    const prev = this.prev;
    if (prev !== undefined && Labels.compare(prev, labels) >= 0) throw misuseError(`index series must be sorted and unique: ${labels.toString()} after ${prev.toString()}`);
    this.prev = labels;
    this.file.padTo(16);
    const ref = this.file.offset / 16;
    this.all.push(ref);
    const entry = this.entry;
    entry.reset();
    entry.putUvarint(labels.size);
    labels.forEach((name, value) => {
      entry.putUvarint(this.symbol(name));
      entry.putUvarint(this.symbol(value));
      let values = this.postings.get(name);
      if (values === undefined) this.postings.set(name, (values = new Map()));
      let refs = values.get(value);
      if (refs === undefined) values.set(value, (refs = []));
      refs.push(ref);
    });
    entry.putUvarint(chunks.length);
    let last: ChunkMeta | undefined;
    for (const c of chunks) {
      if (c.maxt < c.mint || (last !== undefined && (c.mint <= last.maxt || c.ref <= last.ref))) {
        throw misuseError(`chunks of ${labels.toString()} overlap or are out of order at [${c.mint}, ${c.maxt}]`);
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
    const out = this.file.buffer;
    out.putUvarint(bytes.length);
    out.putBytes(bytes);
    out.putBE32(crc32c(bytes));
    this.file.appended();
  }

  /** Writes the label indices, postings, offset tables and TOC, fsyncs and closes the file. */
  finish(): void {
    const names = [...this.postings.keys()].sort(compareUtf8);
    const sortedValues = new Map<string, string[]>();
    for (const name of names) sortedValues.set(name, [...this.postings.get(name)!.keys()].sort(compareUtf8));

    this.toc.labelIndices = this.file.offset;
    const labelIndexOffsets: number[] = [];
    for (const name of names) {
      this.file.padTo(4);
      labelIndexOffsets.push(this.file.offset);
      const values = sortedValues.get(name)!;
      this.writeSection((b) => {
        b.putBE32(1);
        b.putBE32(values.length);
        for (const v of values) b.putBE32(this.symbol(v));
      });
    }

    this.toc.postings = this.file.offset;
    const postingsOffsets: [string, string, number][] = [];
    const writePostings = (name: string, value: string, refs: readonly number[]): void => {
      this.file.padTo(4);
      postingsOffsets.push([name, value, this.file.offset]);
      this.writeSection((b) => {
        b.putBE32(refs.length);
        for (const r of refs) b.putBE32(r);
      });
    };
    writePostings('', '', this.all);
    for (const name of names) {
      const values = this.postings.get(name)!;
      for (const value of sortedValues.get(name)!) writePostings(name, value, values.get(value)!);
    }

    this.toc.labelIndicesTable = this.file.offset;
    this.writeSection((b) => {
      b.putBE32(names.length);
      names.forEach((name, i) => {
        b.putByte(1);
        b.putUvarintString(name);
        b.putUvarint(labelIndexOffsets[i]!);
      });
    });

    this.toc.postingsTable = this.file.offset;
    this.writeSection((b) => {
      b.putBE32(postingsOffsets.length);
      for (const [name, value, offset] of postingsOffsets) {
        b.putByte(2);
        b.putUvarintString(name);
        b.putUvarintString(value);
        b.putUvarint(offset);
      }
    });

    const toc = this.section;
    toc.reset();
    const t = this.toc;
    for (const off of [t.symbols, t.series, t.labelIndices, t.labelIndicesTable, t.postings, t.postingsTable]) toc.putBE64(off);
    toc.putBE32(crc32c(toc.bytes()));
    this.file.append(toc.bytes());
    this.file.close();
  }

  /** Closes the file after a failure (the caller removes it). */
  abandon(): void {
    this.file.abandon();
  }

  private symbol(s: string): number {
    const i = this.symbolIndex.get(s);
    if (i === undefined) throw misuseError(`label string ${JSON.stringify(s)} is not among the index's symbols`);
    return i;
  }

  /** Appends a section framed as `len <4b> | body | CRC32C(body)`. */
  private writeSection(body: (b: EncodeBuffer) => void): void {
    const b = this.section;
    b.reset();
    b.putBE32(0);
    body(b);
    const len = b.length - 4;
    b.setBE32(0, len);
    b.putBE32(crc32c(b.bytes(), 0, 4, b.length));
    this.file.append(b.bytes());
  }
}
