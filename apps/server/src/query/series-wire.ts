import { Labels } from '@pyrometer/model';
import type { DecodeResumes, SeriesChunks } from '@pyrometer/tsdb';
import type { ChunkArenas } from './chunk-arenas.js';
import type { LabelCache, SentLabels } from './label-cache.js';

/**
 * Series packed for a transfer between threads: the label names and values in order, one
 * Float64Array of numbers and one byte array of chunk data (views over buffers that are
 * transferred, not copied). Per series, `nums` holds: source, head ref (0 when none), label count
 * (−1 when the receiver already holds the labels of that head ref, see label-cache.ts), chunk
 * count, (byte length, min time, max time) per chunk, deleted count, the deleted pairs, sample
 * count, (t, v, stale) per sample; `strings` holds its label names and values (when sent),
 * `bytes` its chunks, back to back.
 */
export interface PackedSeries {
  count: number;
  strings: string[];
  nums: Float64Array<ArrayBuffer>;
  /** Over a transferred buffer, or over a shared arena (see chunk-arenas.ts) the receiver reads in place. */
  bytes: Uint8Array;
}

/** What a packing writes with, beside its own buffers: what the receiver holds, and arenas to pack chunk bytes into. */
export interface PackerOptions {
  /** The head series whose labels the receiver holds (their labels are left out). */
  sent?: SentLabels | undefined;
  /** Shared arenas for the chunk bytes; the packer's {@link SeriesPacker.arena} must be given back once the receiver is done. */
  arenas?: ChunkArenas | undefined;
}

/**
 * Room the packer starts with, in chunk bytes and in numbers: small, so a select of a few series
 * allocates little; both double as needed.
 */
const FIRST_BYTES = 16 * 1024;
const FIRST_NUMS = 1024;

/**
 * Collects series into a {@link PackedSeries}. Chunk bytes are copied once, as each series is
 * added (a live chunk is valid only then), into a shared arena (`arenas`) or else the buffer that
 * is transferred; buffers are not zeroed first, as every byte handed out is written. Given what
 * the receiver already holds (`sent`), a head series' labels are left out when the receiver has
 * them; {@link newlySent} lists the head refs whose labels this packing carries.
 */
export class SeriesPacker {
  /** Head refs whose labels this packing carries. */
  readonly newlySent: number[] = [];
  /** The shared arena the chunk bytes are in (when packing into arenas): give it back when the receiver is done. */
  arena: SharedArrayBuffer | undefined;
  private count = 0;
  private readonly strings: string[] = [];
  private nums = new Float64Array(unzeroed(8 * FIRST_NUMS));
  private numsUsed = 0;
  private bytes: Uint8Array;
  private bytesUsed = 0;
  private readonly sent: SentLabels | undefined;
  private readonly arenas: ChunkArenas | undefined;

  constructor(options: PackerOptions = {}) {
    this.sent = options.sent;
    this.arenas = options.arenas;
    this.bytes = this.byteBuffer(FIRST_BYTES);
  }

  /** Adds one series part (labels, chunks, deletions and loose samples). */
  add(source: number, s: SeriesChunks): void {
    this.count++;
    const samples = s.ooo;
    const chunkCount = s.chunkCount;
    this.reserveNums(6 + 3 * chunkCount + s.deleted.length + 3 * (samples?.ts.length ?? 0));
    this.num(source);
    const ref = this.sent === undefined ? 0 : (s.headRef ?? 0);
    this.num(ref);
    if (ref !== 0 && this.sent!.has(ref)) this.num(-1);
    else {
      this.num(s.labels.size);
      // Strings travel as they are: the structured clone costs this thread less than a dedupe table.
      s.labels.appendFlat(this.strings);
      if (ref !== 0) this.newlySent.push(ref);
    }
    this.num(chunkCount);
    for (let i = 0; i < chunkCount; i++) {
      const c = s.chunk(i);
      this.num(c.length);
      this.num(s.minTime(i));
      this.num(s.maxTime(i));
      this.copyBytes(c);
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

  /** The packed series (the numbers a view of the packer's buffer); the packer must not be used afterwards. */
  finish(): PackedSeries {
    return { count: this.count, strings: this.strings, nums: this.nums.subarray(0, this.numsUsed), bytes: this.bytes.subarray(0, this.bytesUsed) };
  }

  /** The buffers to transfer with a finished result. */
  static transferList(p: PackedSeries): ArrayBuffer[] {
    return p.bytes.buffer instanceof ArrayBuffer ? [p.nums.buffer, p.bytes.buffer] : [p.nums.buffer];
  }

  private byteBuffer(minBytes: number): Uint8Array {
    if (this.arenas === undefined) return new Uint8Array(unzeroed(minBytes));
    const old = this.arena;
    this.arena = this.arenas.take(minBytes);
    // Not sent yet: nobody else reads the smaller one.
    if (old !== undefined) this.arenas.give(old);
    return new Uint8Array(this.arena);
  }

  private copyBytes(c: Uint8Array): void {
    const end = this.bytesUsed + c.length;
    if (end > this.bytes.length) {
      const old = this.bytes;
      const bigger = this.byteBuffer(Math.max(2 * old.length, end));
      bigger.set(old.subarray(0, this.bytesUsed));
      this.bytes = bigger;
    }
    this.bytes.set(c, this.bytesUsed);
    this.bytesUsed = end;
  }

  private num(v: number): void {
    this.nums[this.numsUsed++] = v;
  }

  private reserveNums(n: number): void {
    if (this.numsUsed + n <= this.nums.length) return;
    const bigger = new Float64Array(unzeroed(8 * Math.max(2 * this.nums.length, this.numsUsed + n)));
    bigger.set(this.nums.subarray(0, this.numsUsed));
    this.nums = bigger;
  }
}

/** A buffer of its own (transferable, never a pooled slab) whose bytes are not zeroed. */
function unzeroed(bytes: number): ArrayBuffer {
  return Buffer.allocUnsafeSlow(bytes).buffer as ArrayBuffer;
}

/**
 * The series of a {@link PackedSeries}, in packing order, read in place. Label sets share the
 * table's strings, or come from `cache` (which keeps those of head series sent with their labels);
 * chunk times are read from `nums` and chunks are views into `bytes` made when asked for (never
 * copied). A head series carries its ref and `resumes` (the receiver's, kept across answers), so
 * its chunks are decoded from a point before each read's range. Throws on a malformed packing, or
 * on a head ref whose labels neither the packing nor `cache` holds.
 */
export function unpackSeries(p: PackedSeries, cache?: LabelCache, resumes?: DecodeResumes): SeriesChunks[] {
  const { nums, bytes, strings } = p;
  const out: SeriesChunks[] = [];
  let i = 0;
  let byteOffset = 0;
  let stringOffset = 0;
  const next = (): number => {
    if (i >= nums.length) throw new Error('packed series end early');
    return nums[i++]!;
  };
  for (let k = 0; k < p.count; k++) {
    next(); // the source: a select's answer holds only the head's series, a decoded write only its own
    const ref = next();
    const labelCount = next();
    let labels: Labels;
    if (labelCount < 0) {
      if (cache === undefined) throw new Error('packed series refer to cached labels, but there is no label cache');
      labels = cache.get(ref);
    } else {
      // The packer wrote the names and values in the label set's own (sorted) order.
      labels = Labels.fromSortedFlat(strings.slice(stringOffset, stringOffset + 2 * labelCount));
      stringOffset += 2 * labelCount;
      if (ref !== 0 && cache !== undefined) cache.set(ref, labels);
    }
    const chunkCount = next();
    const meta = i;
    if (meta + 3 * chunkCount > nums.length) throw new Error('packed series end early');
    const byteStart = byteOffset;
    for (let j = 0; j < chunkCount; j++) byteOffset += nums[meta + 3 * j]!;
    if (byteOffset > bytes.length) throw new Error('packed chunks run past their bytes');
    i += 3 * chunkCount;
    const deletedCount = next();
    const deleted: number[] = deletedCount === 0 ? NONE_DELETED : [];
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
    out.push(new PackedSeriesChunks(labels, nums, meta, chunkCount, bytes, byteStart, deleted, ooo, ref !== 0 && resumes !== undefined ? ref : undefined, resumes));
  }
  return out;
}

const NONE_DELETED: number[] = [];

/** One series of a packing read in place: chunk times from the numbers, chunk views made when asked for. */
class PackedSeriesChunks implements SeriesChunks {
  constructor(
    readonly labels: Labels,
    private readonly nums: Float64Array,
    /** Where in `nums` the first chunk's (byte length, min time, max time) are. */
    private readonly meta: number,
    readonly chunkCount: number,
    private readonly bytes: Uint8Array,
    private readonly byteStart: number,
    readonly deleted: readonly number[],
    readonly ooo: SeriesChunks['ooo'],
    readonly headRef: number | undefined,
    readonly decodeResumes: DecodeResumes | undefined,
  ) {}

  get stableChunks(): number {
    return this.chunkCount;
  }

  minTime(i: number): number {
    return this.nums[this.meta + 3 * i + 1]!;
  }

  maxTime(i: number): number {
    return this.nums[this.meta + 3 * i + 2]!;
  }

  chunk(i: number): Uint8Array {
    let at = this.byteStart;
    for (let j = 0; j < i; j++) at += this.nums[this.meta + 3 * j]!;
    return this.bytes.subarray(at, at + this.nums[this.meta + 3 * i]!);
  }
}
