import { compareUtf8 } from '@pyrometer/model';
import { FileDecoder } from '../io/file-decoder.js';
import type { PositionalFile } from '../io/positional-file.js';
import { checkedSection } from './symbol-table.js';

/** Every how many values of a name the table keeps in memory (as Prometheus's reader does). */
const SAMPLE_EVERY = 32;

/** Where one label name's entries lie in the table, and every 32nd of its values with its entry offset. */
interface NameEntries {
  first: number;
  end: number;
  values: string[];
  entryOffsets: number[];
}

/**
 * An index's postings offset table read by position: per label name, only every 32nd value with the file offset of its entry is held; a lookup reads at most 32 entries from
 * the nearest one, and a name's values are read from the file when asked for. Checked against
 * its CRC at open.
 */
export class PostingsTable {
  private constructor(
    private readonly file: PositionalFile,
    private readonly byName: Map<string, NameEntries>,
    private readonly what: string,
  ) {}

  /** Reads the section at `offset` (0: no postings) and samples it. */
  static open(file: PositionalFile, offset: number, what: string): PostingsTable {
    const byName = new Map<string, NameEntries>();
    if (offset === 0) return new PostingsTable(file, byName, what);
    const { bodyStart, bodyEnd } = checkedSection(file, offset, what, 'postings offset table');
    const d = new FileDecoder(file, bodyStart, bodyEnd, `${what} postings offset table`);
    const n = d.be32();
    let current: NameEntries | undefined;
    let currentName = '';
    let inName = 0;
    for (let i = 0; i < n; i++) {
      const at = d.offset;
      const keyCount = d.byte();
      if (keyCount !== 2) d.fail(`postings offset entry ${i} has ${keyCount} keys, expected 2`);
      const name = d.uvarintString();
      const value = d.uvarintString();
      d.uvarint();
      if (current === undefined || name !== currentName) {
        if (current !== undefined) current.end = at;
        if (byName.has(name)) d.fail(`postings offset table lists label name ${JSON.stringify(name)} twice`);
        current = { first: at, end: at, values: [], entryOffsets: [] };
        byName.set(name, current);
        currentName = name;
        inName = 0;
      }
      if (inName % SAMPLE_EVERY === 0) {
        current.values.push(value);
        current.entryOffsets.push(at);
      }
      inName++;
    }
    if (current !== undefined) current.end = d.offset;
    return new PostingsTable(file, byName, what);
  }

  /** Label names with postings, sorted ('' — the all-series list — excluded). */
  names(): string[] {
    return [...this.byName.keys()].filter((n) => n !== '').sort(compareUtf8);
  }

  /** Values of `name`, sorted; empty when the name does not occur. */
  values(name: string): string[] {
    const e = this.byName.get(name);
    if (e === undefined) return [];
    const out: string[] = [];
    const d = this.decoder(e);
    while (d.offset < e.end) out.push(readEntry(d).value);
    return out;
  }

  /** The file offset of the postings list of `name="value"`, or undefined when there is none. */
  offset(name: string, value: string): number | undefined {
    const e = this.byName.get(name);
    if (e === undefined) return undefined;
    // The last sampled value at or before `value`, then forward through at most one sample's stride.
    let lo = 0;
    let hi = e.values.length - 1;
    if (compareUtf8(value, e.values[0]!) < 0) return undefined;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (compareUtf8(e.values[mid]!, value) <= 0) lo = mid;
      else hi = mid - 1;
    }
    const d = this.decoder(e);
    d.seek(e.entryOffsets[lo]!);
    while (d.offset < e.end) {
      const entry = readEntry(d);
      const c = compareUtf8(entry.value, value);
      if (c === 0) return entry.offset;
      if (c > 0) return undefined;
    }
    return undefined;
  }

  private decoder(e: NameEntries): FileDecoder {
    return new FileDecoder(this.file, e.first, e.end, `${this.what} postings offset table`);
  }
}


function readEntry(d: FileDecoder): { value: string; offset: number } {
  d.byte();
  d.skip(d.uvarint());
  const value = d.uvarintString();
  return { value, offset: d.uvarint() };
}
