import { crc32c } from '@pyrometer/codec';
import { Labels } from '@pyrometer/model';
import { corruptionError } from '../errors.js';
import { DecodeBuffer } from '../encoding/decode-buffer.js';
import { FileDecoder } from '../io/file-decoder.js';
import type { PositionalFile } from '../io/positional-file.js';
import { INDEX_MAGIC, INDEX_TOC_SIZE, INDEX_VERSION, type ChunkMeta } from './index-writer.js';
import { PostingsTable } from './postings-table.js';
import { SymbolTable } from './symbol-table.js';

/** A series read from the index: its labels and chunk metas, ordered by time. */
export interface IndexSeriesEntry {
  labels: Labels;
  chunks: ChunkMeta[];
}

const EMPTY_POSTINGS = new Uint32Array(0);

/**
 * Reads an index file (format v2) by position: at open only the TOC is read, the symbol table and
 * the postings offset table are checked against their CRCs and sampled (every 32nd entry kept, as
 * Prometheus does); series entries and postings lists are read through the page cache on each
 * call and checked against their CRC32C. Immutable after open; safe to share between queries.
 * Every malformed structure throws a `corruption` StorageError naming the file and offset.
 */
export class IndexReader {
  private constructor(
    private readonly file: PositionalFile,
    private readonly symbols: SymbolTable,
    private readonly postingsTable: PostingsTable,
  ) {}

  /** Opens the index in `file` (which the reader does not close). */
  static open(file: PositionalFile): IndexReader {
    const what = `index ${file.path}`;
    if (file.size < 5 + INDEX_TOC_SIZE) throw corruptionError(what, 0, `${file.size} bytes is too short for an index`);
    const head = file.read(0, 5);
    if (head.readUInt32BE(0) !== INDEX_MAGIC) throw corruptionError(what, 0, `bad magic ${head.readUInt32BE(0).toString(16)}`);
    if (head[4] !== INDEX_VERSION) throw corruptionError(what, 4, `unsupported index version ${head[4]} (only v2 is read)`);
    const tocStart = file.size - INDEX_TOC_SIZE;
    const toc = file.read(tocStart, INDEX_TOC_SIZE);
    const stored = toc.readUInt32BE(48);
    const actual = crc32c(toc, 0, 0, 48);
    if (stored !== actual) throw corruptionError(what, tocStart, `TOC checksum mismatch: stored ${stored.toString(16)}, computed ${actual.toString(16)}`);
    const d = new DecodeBuffer(toc, `${what} TOC`, tocStart);
    const symbolsOff = d.be64();
    d.skip(8 * 4);
    const postingsTableOff = d.be64();
    return new IndexReader(file, SymbolTable.open(file, symbolsOff, what), PostingsTable.open(file, postingsTableOff, what));
  }

  /** Label names present in the block, sorted. */
  labelNames(): string[] {
    return this.postingsTable.names();
  }

  /** Values of label `name`, sorted; empty when the name does not occur. */
  labelValues(name: string): string[] {
    if (name === '') return [];
    return this.postingsTable.values(name);
  }

  /** Refs of the series having label `name="value"`, ascending (a fresh array the caller owns). */
  postings(name: string, value: string): Uint32Array {
    const offset = this.postingsTable.offset(name, value);
    if (offset === undefined) return EMPTY_POSTINGS;
    const what = `index ${this.file.path} postings for ${name}=${JSON.stringify(value)}`;
    if (offset + 8 > this.file.size) throw corruptionError(what, offset, 'postings list starts past the end of the file');
    const len = this.file.read(offset, 4).readUInt32BE(0);
    if (offset + 4 + len + 4 > this.file.size) throw corruptionError(what, offset, `postings list of ${len} bytes runs past the end of the file`);
    const body = this.file.read(offset + 4, len + 4);
    checkCrc(body, len, what, offset + 4);
    const n = len >= 4 ? body.readUInt32BE(0) : -1;
    if (n < 0 || n * 4 !== len - 4) throw corruptionError(what, offset + 4, `postings list claims ${n} entries in ${len - 4} bytes`);
    const out = new Uint32Array(n);
    for (let k = 0; k < n; k++) out[k] = body.readUInt32BE(4 + 4 * k);
    return out;
  }

  /** Refs of all series, ascending. */
  allPostings(): Uint32Array {
    return this.postings('', '');
  }

  /** The series at `ref` (its byte offset / 16), with chunk metas decoded from their delta encoding. */
  series(ref: number): IndexSeriesEntry {
    const metas = new ChunkMetaSink(0);
    const labels = this.seriesChunks(ref, -Infinity, Infinity, metas);
    const chunks: ChunkMeta[] = [];
    for (let i = metas.start; i < metas.used; i += 3) chunks.push({ mint: metas.data[i]!, maxt: metas.data[i + 1]!, ref: metas.data[i + 2]! });
    return { labels, chunks };
  }

  /**
   * The labels of the series at `ref`; the metas of its chunks overlapping [mint, maxt] (inclusive
   * ms) are appended to `metas` (from `metas.start` on, see {@link ChunkMetaSink}). Allocates
   * nothing per chunk: the hot path of block selects.
   */
  seriesChunks(ref: number, mint: number, maxt: number, metas: ChunkMetaSink): Labels {
    const what = `index ${this.file.path} series ${ref}`;
    const start = ref * 16;
    if (start >= this.file.size) throw corruptionError(what, start, 'reference points past the end of the file');
    const lenDecoder = new FileDecoder(this.file, start, this.file.size, what);
    const len = lenDecoder.uvarint();
    const bodyStart = lenDecoder.offset;
    if (bodyStart + len + 4 > this.file.size) throw corruptionError(what, start, `series entry of ${len} bytes runs past the end of the file`);
    const body = this.file.read(bodyStart, len + 4);
    checkCrc(body, len, what, bodyStart);
    const d = new DecodeBuffer(body.subarray(0, len), what, bodyStart);
    const nLabels = d.uvarint();
    const flat = new Array<string>(nLabels * 2);
    for (let i = 0; i < nLabels * 2; i++) flat[i] = this.symbols.lookup(d.uvarint());
    const nChunks = d.uvarint();
    metas.begin(nChunks);
    let cMint = 0;
    let cMaxt = 0;
    let chunkRef = 0;
    for (let i = 0; i < nChunks; i++) {
      if (i === 0) {
        cMint = d.varint();
        cMaxt = cMint + d.uvarint();
        chunkRef = d.uvarint();
      } else {
        cMint = cMaxt + d.uvarint();
        cMaxt = cMint + d.uvarint();
        chunkRef += d.varint();
      }
      if (cMaxt >= mint && cMint <= maxt) metas.push(cMint, cMaxt, chunkRef);
    }
    if (d.remaining !== 0) d.fail(`series entry has ${d.remaining} trailing bytes`);
    return Labels.fromSortedFlat(flat);
  }
}

/** Numbers per chunk meta in a {@link ChunkMetaSink}: min time, max time, ref. */
const META_SIZE = 3;

/**
 * Where series reads put chunk metas: (min time, max time, ref) triples in slabs shared by many
 * series. `begin(n)` starts a series (in a fresh slab when `n` metas would not fit, so earlier
 * series keep theirs), `push` appends, and the series' metas are `data[start, used)`.
 */
export class ChunkMetaSink {
  data: Float64Array;
  start = 0;
  used = 0;

  constructor(private readonly slabMetas = 4096) {
    this.data = new Float64Array(META_SIZE * slabMetas);
  }

  begin(n: number): void {
    if (this.used + META_SIZE * n > this.data.length) {
      this.data = new Float64Array(META_SIZE * Math.max(this.slabMetas, n));
      this.used = 0;
    }
    this.start = this.used;
  }

  push(mint: number, maxt: number, ref: number): void {
    const d = this.data;
    const u = this.used;
    d[u] = mint;
    d[u + 1] = maxt;
    d[u + 2] = ref;
    this.used = u + META_SIZE;
  }
}

/** Checks the CRC32C stored after the first `len` bytes of `body`. */
function checkCrc(body: Buffer, len: number, what: string, offset: number): void {
  const stored = body.readUInt32BE(len);
  const actual = crc32c(body, 0, 0, len);
  if (stored !== actual) throw corruptionError(what, offset, `checksum mismatch: stored ${stored.toString(16)}, computed ${actual.toString(16)}`);
}
