import { readFile } from 'node:fs/promises';
import { compareUtf8, Labels } from '@pyrometer/model';
import { corruptionError } from '../errors.js';
import { crc32c } from '@pyrometer/codec';
import { DecodeBuffer } from '../encoding/decode-buffer.js';
import { INDEX_MAGIC, INDEX_TOC_SIZE, INDEX_VERSION, type ChunkMeta } from './index-writer.js';

/** A series read from the index: its labels and chunk metas, ordered by time. */
export interface IndexSeriesEntry {
  labels: Labels;
  chunks: ChunkMeta[];
}

const EMPTY_POSTINGS = new Uint32Array(0);

/**
 * Reads an index file (format v2). The file is read whole into memory at open, with the symbol
 * table and the postings offset table decoded eagerly; series and postings lists are decoded (and
 * their CRC32C checked) on each call. Immutable after open; safe to share between queries.
 * Every malformed structure throws a `corruption` StorageError naming the file and offset.
 */
export class IndexReader {
  private constructor(
    private readonly path: string,
    private readonly buf: Buffer,
    private readonly symbols: string[],
    /** name → sorted values and their postings offsets (parallel arrays); '' holds the all-series list. */
    private readonly postingsTable: Map<string, { values: string[]; offsets: number[] }>,
  ) {}

  static async open(path: string): Promise<IndexReader> {
    return IndexReader.fromBytes(await readFile(path), path);
  }

  /** Parses an index already in memory; `path` is only used in error messages. */
  static fromBytes(buf: Buffer, path: string): IndexReader {
    const what = `index ${path}`;
    if (buf.length < 5 + INDEX_TOC_SIZE) throw corruptionError(what, 0, `${buf.length} bytes is too short for an index`);
    if (buf.readUInt32BE(0) !== INDEX_MAGIC) throw corruptionError(what, 0, `bad magic ${buf.readUInt32BE(0).toString(16)}`);
    if (buf[4] !== INDEX_VERSION) throw corruptionError(what, 4, `unsupported index version ${buf[4]} (only v2 is read)`);
    const tocStart = buf.length - INDEX_TOC_SIZE;
    checkCrc(buf, tocStart, tocStart + 48, what, 'TOC');
    const toc = new DecodeBuffer(buf.subarray(tocStart, tocStart + 48), `${what} TOC`, tocStart);
    const symbolsOff = toc.be64();
    toc.skip(8 * 4);
    const postingsTableOff = toc.be64();

    const symbols: string[] = [];
    if (symbolsOff !== 0) {
      const d = openSection(buf, symbolsOff, what, 'symbol table');
      const n = d.be32();
      for (let i = 0; i < n; i++) symbols.push(d.uvarintString());
    }
    const postingsTable = new Map<string, { values: string[]; offsets: number[] }>();
    if (postingsTableOff !== 0) {
      const d = openSection(buf, postingsTableOff, what, 'postings offset table');
      const n = d.be32();
      for (let i = 0; i < n; i++) {
        const keyCount = d.byte();
        if (keyCount !== 2) d.fail(`postings offset entry ${i} has ${keyCount} keys, expected 2`);
        const name = d.uvarintString();
        const value = d.uvarintString();
        const offset = d.uvarint();
        let e = postingsTable.get(name);
        if (e === undefined) postingsTable.set(name, (e = { values: [], offsets: [] }));
        e.values.push(value);
        e.offsets.push(offset);
      }
    }
    return new IndexReader(path, buf, symbols, postingsTable);
  }

  /** Size of the index file in bytes. */
  get size(): number {
    return this.buf.length;
  }

  /** Label names present in the block, sorted. */
  labelNames(): string[] {
    return [...this.postingsTable.keys()].filter((n) => n !== '');
  }

  /** Values of label `name`, sorted; empty when the name does not occur. */
  labelValues(name: string): string[] {
    if (name === '') return [];
    return this.postingsTable.get(name)?.values.slice() ?? [];
  }

  /** Refs of the series having label `name="value"`, ascending (a fresh array the caller owns). */
  postings(name: string, value: string): Uint32Array {
    const e = this.postingsTable.get(name);
    if (e === undefined) return EMPTY_POSTINGS;
    const i = binarySearch(e.values, value);
    if (i < 0) return EMPTY_POSTINGS;
    const d = openSection(this.buf, e.offsets[i]!, `index ${this.path}`, `postings for ${name}=${JSON.stringify(value)}`);
    const n = d.be32();
    if (n * 4 !== d.remaining) d.fail(`postings list claims ${n} entries in ${d.remaining} bytes`);
    const out = new Uint32Array(n);
    for (let k = 0; k < n; k++) out[k] = d.be32();
    return out;
  }

  /** Refs of all series, ascending. */
  allPostings(): Uint32Array {
    return this.postings('', '');
  }

  /** The series at `ref` (its byte offset / 16), with chunk metas decoded from their delta encoding. */
  series(ref: number): IndexSeriesEntry {
    const what = `index ${this.path} series ${ref}`;
    const start = ref * 16;
    if (start >= this.buf.length) throw corruptionError(what, start, 'reference points past the end of the file');
    const d = new DecodeBuffer(this.buf, what);
    d.seek(start);
    const len = d.uvarint();
    const bodyStart = d.pos;
    d.skip(len);
    const stored = d.be32();
    const actual = crc32c(this.buf, 0, bodyStart, bodyStart + len);
    if (stored !== actual) throw corruptionError(what, start, `checksum mismatch: stored ${stored.toString(16)}, computed ${actual.toString(16)}`);
    d.seek(bodyStart);
    const nLabels = d.uvarint();
    const flat = new Array<string>(nLabels * 2);
    for (let i = 0; i < nLabels * 2; i++) flat[i] = this.symbol(d);
    const nChunks = d.uvarint();
    const chunks: ChunkMeta[] = [];
    let mint = 0;
    let maxt = 0;
    let ref0 = 0;
    for (let i = 0; i < nChunks; i++) {
      if (i === 0) {
        mint = d.varint();
        maxt = mint + d.uvarint();
        ref0 = d.uvarint();
      } else {
        mint = maxt + d.uvarint();
        maxt = mint + d.uvarint();
        ref0 += d.varint();
      }
      chunks.push({ mint, maxt, ref: ref0 });
    }
    if (d.pos !== bodyStart + len) d.fail(`series entry has ${bodyStart + len - d.pos} trailing bytes`);
    return { labels: Labels.fromSortedFlat(flat), chunks };
  }

  private symbol(d: DecodeBuffer): string {
    const i = d.uvarint();
    const s = this.symbols[i];
    if (s === undefined) d.fail(`symbol reference ${i} outside the table of ${this.symbols.length}`);
    return s;
  }
}

/** Opens a `len <4b> | body | CRC32C` section at `offset`, checks it and returns a reader over the body. */
function openSection(buf: Buffer, offset: number, what: string, section: string): DecodeBuffer {
  if (offset + 4 > buf.length) throw corruptionError(what, offset, `${section} starts past the end of the file`);
  const len = buf.readUInt32BE(offset);
  if (offset + 4 + len + 4 > buf.length) throw corruptionError(what, offset, `${section} of ${len} bytes runs past the end of the file`);
  checkCrc(buf, offset + 4, offset + 4 + len, what, section);
  return new DecodeBuffer(buf.subarray(offset + 4, offset + 4 + len), `${what} ${section}`, offset + 4);
}

function checkCrc(buf: Buffer, start: number, end: number, what: string, section: string): void {
  const stored = buf.readUInt32BE(end);
  const actual = crc32c(buf, 0, start, end);
  if (stored !== actual) throw corruptionError(what, start, `${section} checksum mismatch: stored ${stored.toString(16)}, computed ${actual.toString(16)}`);
}

function binarySearch(sorted: readonly string[], s: string): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareUtf8(sorted[mid]!, s);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
