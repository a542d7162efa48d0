import { corruptionError } from '../errors.js';
import { FileDecoder } from '../io/file-decoder.js';
import type { PositionalFile } from '../io/positional-file.js';

/** Every how many symbols the table keeps an offset (as Prometheus's reader does). */
const SAMPLE_EVERY = 32;
/** Decoded symbols remembered per table before the memo starts over. */
const MEMO_LIMIT = 512;

/**
 * An index's symbol table read by position: only the file offset of every 32nd symbol is held,
 * a lookup reads forward from the nearest one. Recently used symbols are memoized (bounded), so
 * the few label values a query's series share decode once. Checked against its CRC at open.
 */
export class SymbolTable {
  private readonly memo = new Map<number, string>();

  private constructor(
    private readonly file: PositionalFile,
    private readonly sampled: Float64Array,
    private readonly end: number,
    readonly count: number,
    private readonly what: string,
  ) {}

  /** Reads the section at `offset` (0: no symbols) and samples its offsets. */
  static open(file: PositionalFile, offset: number, what: string): SymbolTable {
    if (offset === 0) return new SymbolTable(file, new Float64Array(0), 0, 0, what);
    const { bodyStart, bodyEnd } = checkedSection(file, offset, what, 'symbol table');
    const d = new FileDecoder(file, bodyStart, bodyEnd, `${what} symbol table`);
    const count = d.be32();
    const sampled = new Float64Array(Math.ceil(count / SAMPLE_EVERY));
    for (let i = 0; i < count; i++) {
      if (i % SAMPLE_EVERY === 0) sampled[i / SAMPLE_EVERY] = d.offset;
      d.skip(d.uvarint());
    }
    return new SymbolTable(file, sampled, bodyEnd, count, what);
  }

  /** The symbol at `index`; throws a corruption error for an index outside the table. */
  lookup(index: number): string {
    const known = this.memo.get(index);
    if (known !== undefined) return known;
    if (!(index < this.count)) throw corruptionError(`${this.what} symbol table`, 0, `symbol reference ${index} outside the table of ${this.count}`);
    const d = new FileDecoder(this.file, this.sampled[Math.floor(index / SAMPLE_EVERY)]!, this.end, `${this.what} symbol table`);
    for (let skip = index % SAMPLE_EVERY; skip > 0; skip--) d.skip(d.uvarint());
    const s = d.uvarintString();
    if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
    this.memo.set(index, s);
    return s;
  }
}

/** Checks a `len <4b> | body | CRC32C` section at `offset`; returns where its body lies. */
export function checkedSection(file: PositionalFile, offset: number, what: string, section: string): { bodyStart: number; bodyEnd: number } {
  const d = new FileDecoder(file, offset, file.size, `${what} ${section}`);
  if (offset + 4 > file.size) d.fail(`${section} starts past the end of the file`);
  const len = d.be32();
  const bodyStart = offset + 4;
  const bodyEnd = bodyStart + len;
  if (bodyEnd + 4 > file.size) d.fail(`${section} of ${len} bytes runs past the end of the file`);
  const stored = file.read(bodyEnd, 4).readUInt32BE(0);
  const actual = file.crc32c(bodyStart, bodyEnd);
  if (stored !== actual) throw corruptionError(what, bodyStart, `${section} checksum mismatch: stored ${stored.toString(16)}, computed ${actual.toString(16)}`);
  return { bodyStart, bodyEnd };
}
