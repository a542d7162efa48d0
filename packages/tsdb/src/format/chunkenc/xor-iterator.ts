import { floatFromWords, isStaleNaNWords } from '@pyrometer/model';
import type { SampleIterator, StorageError } from '@pyrometer/storage';
import { notAHistogram, ValueType } from '@pyrometer/storage';
import { corruptionError } from '../errors.js';
import { BitReader } from './bit-reader.js';

/**
 * Decodes an XOR chunk sample by sample. Implements the storage seam's synchronous,
 * allocation-free {@link SampleIterator}; `reset` points it at another chunk so one iterator can
 * walk many. It reads the sample count once at `reset`, so it may walk a chunk that is still being
 * appended to and sees the samples present at that moment. Corrupt data ends the iteration early
 * and is reported by {@link err} (a `corruption` StorageError naming the bit offset).
 */
export class XorIterator implements SampleIterator {
  private readonly br = new BitReader();
  private numTotal = 0;
  private numRead = 0;
  private exhausted = false;
  private error: StorageError | undefined = undefined;
  private t = 0;
  private tDelta = 0;
  private vHi = 0;
  private vLo = 0;
  private leading = 0;
  private trailing = 0;

  /** Starts over on `data` (chunk data only: the uint16 count and the bit stream). */
  reset(data: Uint8Array): void {
    this.numTotal = data.length >= 2 ? (data[0]! << 8) | data[1]! : 0;
    this.numRead = 0;
    this.exhausted = false;
    this.error = data.length >= 2 ? undefined : corruptionError('XOR chunk', 0, `${data.length} bytes is shorter than the 2-byte header`);
    this.br.reset(data, 16);
    this.t = 0;
    this.tDelta = 0;
    this.vHi = 0;
    this.vLo = 0;
    this.leading = 0;
    this.trailing = 0;
  }

  next(): ValueType {
    if (this.exhausted || this.error !== undefined || this.numRead === this.numTotal) {
      this.exhausted = true;
      return ValueType.None;
    }
    const br = this.br;
    const start = br.pos;
    if (this.numRead === 0) {
      const u = readUvarint(br);
      this.t = u % 2 === 0 ? u / 2 : -(u + 1) / 2;
      // Words are kept as signed int32 so they stay small integers in V8 (no heap numbers).
      this.vHi = br.readBits(32) | 0;
      this.vLo = br.readBits(32) | 0;
    } else {
      if (this.numRead === 1) {
        this.tDelta = readUvarint(br);
      } else {
        this.tDelta += readDod(br);
      }
      this.t += this.tDelta;
      this.readValue();
    }
    if (br.overrun) {
      this.error = corruptionError('XOR chunk', start >>> 3, `sample ${this.numRead} of ${this.numTotal} runs past the end of the data (bit ${start})`);
      this.exhausted = true;
      return ValueType.None;
    }
    this.numRead++;
    return ValueType.Float;
  }

  seek(t: number): ValueType {
    if (this.exhausted) return ValueType.None;
    while (this.numRead === 0 || this.t < t) {
      if (this.next() === ValueType.None) return ValueType.None;
    }
    return ValueType.Float;
  }

  atT(): number {
    return this.t;
  }

  atF(): number {
    return floatFromWords(this.vHi, this.vLo);
  }

  atStale(): boolean {
    return isStaleNaNWords(this.vHi, this.vLo);
  }

  atHistogram(): never {
    return notAHistogram();
  }

  atFloatHistogram(): never {
    return notAHistogram();
  }

  /** The corruption that ended the iteration early, if any. */
  err(): StorageError | undefined {
    return this.error;
  }

  /** @internal Encoder state for resuming appends after the last sample. */
  bitPosition(): number {
    return this.br.pos;
  }
  /** @internal */
  tDeltaForAppend(): number {
    return this.tDelta;
  }
  /** @internal */
  valueHi(): number {
    return this.vHi;
  }
  /** @internal */
  valueLo(): number {
    return this.vLo;
  }
  /** @internal */
  leadingForAppend(): number {
    return this.numTotal === 1 ? 0xff : this.leading;
  }
  /** @internal */
  trailingForAppend(): number {
    return this.trailing;
  }

  private readValue(): void {
    const br = this.br;
    if (br.readBit() === 0) return;
    let mbits: number;
    if (br.readBit() === 0) {
      mbits = 64 - this.leading - this.trailing;
    } else {
      this.leading = br.readBits(5);
      mbits = br.readBits(6);
      if (mbits === 0) mbits = 64;
      this.trailing = 64 - this.leading - mbits;
    }
    let hi = 0;
    let lo: number;
    if (mbits > 32) {
      hi = br.readBits(mbits - 32);
      lo = br.readBits(32) | 0;
    } else {
      lo = br.readBits(mbits) | 0;
    }
    const tr = this.trailing;
    if (tr >= 32) {
      hi = lo << (tr - 32);
      lo = 0;
    } else if (tr > 0) {
      hi = (hi << tr) | (lo >>> (32 - tr));
      lo = lo << tr;
    }
    this.vHi ^= hi;
    this.vLo ^= lo;
  }
}

function readUvarint(br: BitReader): number {
  let u = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    const b = br.readBits(8);
    u += (b & 0x7f) * mul;
    if (b < 0x80) return u;
    mul *= 0x80;
  }
  br.overrun = true;
  return 0;
}

function readDod(br: BitReader): number {
  if (br.readBit() === 0) return 0;
  // Prefix 10 → 14 bits, 110 → 17, 1110 → 20, 1111 → 64.
  let ones = 1;
  while (ones < 4 && br.readBit() === 1) ones++;
  if (ones === 4) {
    const hi = br.readBits(32);
    const lo = br.readBits(32);
    return (hi | 0) * 4294967296 + lo;
  }
  const sz = ones === 1 ? 14 : ones === 2 ? 17 : 20;
  const bits = br.readBits(sz);
  const half = 1 << (sz - 1);
  return bits > half ? bits - (1 << sz) : bits;
}
