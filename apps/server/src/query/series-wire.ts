import { Labels } from '@pyrometer/model';
import { MemSeriesChunks, type SeriesChunks } from '@pyrometer/tsdb';

/**
 * Series packed for a transfer between threads: a string table (each label name and value once),
 * one Float64Array of numbers and one byte array of chunk data. Both buffers are transferred, not
 * copied. Per series, `nums` holds: source, label count, (name, value) string indexes, chunk count,
 * (byte length, min time, max time) per chunk, deleted count, the deleted pairs, sample count, (t, v, stale)
 * per sample.
 */
export interface PackedSeries {
  count: number;
  strings: string[];
  nums: Float64Array<ArrayBuffer>;
  bytes: Uint8Array<ArrayBuffer>;
}

/** One unpacked series part: the source it came from and its data (chunk arrays are views into the transfer). */
export interface UnpackedSeries {
  source: number;
  data: SeriesChunks;
}

/** Collects series into a {@link PackedSeries}; copies every byte it is given, so views may change afterwards. */
export class SeriesPacker {
  private count = 0;
  private readonly strings: string[] = [];
  private readonly stringIds = new Map<string, number>();
  private nums = new Float64Array(1024);
  private numsUsed = 0;
  private bytes = new Uint8Array(16_384);
  private bytesUsed = 0;

  /** Adds one series part (labels, chunks, deletions and loose samples). */
  add(source: number, s: SeriesChunks): void {
    this.count++;
    const samples = s.ooo;
    const chunkCount = s.chunkCount;
    this.reserveNums(4 + 2 * s.labels.size + 3 * chunkCount + s.deleted.length + 3 * (samples?.ts.length ?? 0) + 1);
    this.num(source);
    this.num(s.labels.size);
    s.labels.forEach((name, value) => {
      this.num(this.stringId(name));
      this.num(this.stringId(value));
    });
    this.num(chunkCount);
    for (let i = 0; i < chunkCount; i++) {
      const c = s.chunk(i);
      this.num(c.length);
      this.num(s.minTime(i));
      this.num(s.maxTime(i));
      this.addBytes(c);
    }
    this.num(s.deleted.length);
    for (const d of s.deleted) this.num(d);
    const n = samples?.ts.length ?? 0;
    this.num(n);
    for (let i = 0; i < n; i++) {
      this.num(samples!.ts[i]!);
      this.num(samples!.vs[i]!);
      this.num(samples!.stale[i]!);
    }
  }

  /** The packed series; the packer must not be used afterwards. */
  finish(): PackedSeries {
    return { count: this.count, strings: this.strings, nums: this.nums.slice(0, this.numsUsed), bytes: this.bytes.slice(0, this.bytesUsed) };
  }

  /** The buffers to transfer with a finished result. */
  static transferList(p: PackedSeries): ArrayBuffer[] {
    return [p.nums.buffer, p.bytes.buffer];
  }

  private stringId(s: string): number {
    let id = this.stringIds.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(s);
      this.stringIds.set(s, id);
    }
    return id;
  }

  private num(v: number): void {
    this.nums[this.numsUsed++] = v;
  }

  private reserveNums(n: number): void {
    if (this.numsUsed + n <= this.nums.length) return;
    const bigger = new Float64Array(Math.max(2 * this.nums.length, this.numsUsed + n));
    bigger.set(this.nums.subarray(0, this.numsUsed));
    this.nums = bigger;
  }

  private addBytes(b: Uint8Array): void {
    if (this.bytesUsed + b.length > this.bytes.length) {
      const bigger = new Uint8Array(Math.max(2 * this.bytes.length, this.bytesUsed + b.length));
      bigger.set(this.bytes.subarray(0, this.bytesUsed));
      this.bytes = bigger;
    }
    this.bytes.set(b, this.bytesUsed);
    this.bytesUsed += b.length;
  }
}

/**
 * The series of a {@link PackedSeries}, in packing order. Label sets share the table's strings;
 * chunks are views into `bytes` (never copied). Throws on a malformed packing.
 */
export function unpackSeries(p: PackedSeries): UnpackedSeries[] {
  const { nums, bytes, strings } = p;
  const out: UnpackedSeries[] = [];
  let i = 0;
  let byteOffset = 0;
  const next = (): number => {
    if (i >= nums.length) throw new Error('packed series end early');
    return nums[i++]!;
  };
  for (let k = 0; k < p.count; k++) {
    const source = next();
    const labelCount = next();
    const flat: string[] = new Array<string>(2 * labelCount);
    for (let j = 0; j < 2 * labelCount; j++) flat[j] = strings[next()]!;
    const chunkCount = next();
    const chunks: Uint8Array[] = [];
    const chunkMinT: number[] = [];
    const chunkMaxT: number[] = [];
    for (let j = 0; j < chunkCount; j++) {
      const length = next();
      chunkMinT.push(next());
      chunkMaxT.push(next());
      chunks.push(bytes.subarray(byteOffset, byteOffset + length));
      byteOffset += length;
    }
    const deletedCount = next();
    const deleted: number[] = [];
    for (let j = 0; j < deletedCount; j++) deleted.push(next());
    const sampleCount = next();
    let ooo: SeriesChunks['ooo'];
    if (sampleCount > 0) {
      ooo = { ts: [], vs: [], stale: [] };
      for (let j = 0; j < sampleCount; j++) {
        ooo.ts.push(next());
        ooo.vs.push(next());
        ooo.stale.push(next());
      }
    }
    // The packer wrote the names and values in the label set's own (sorted) order.
    out.push({ source, data: new MemSeriesChunks(Labels.fromSortedFlat(flat), chunks, chunkMinT, chunkMaxT, deleted, ooo) });
  }
  return out;
}
