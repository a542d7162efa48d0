import { CodecError } from './codec-error.js';
import { decodeUtf8 } from './utf8.js';

// The protobuf wire format as the project's messages need it (client_model's MetricFamily,
// prompb's remote read/write): varints (uint64 and two's-complement int64 as JS numbers, exact up
// to 2^53), doubles, and length-delimited fields. Messages are coded by hand on top of these.

export const WireType = { Varint: 0, Fixed64: 1, Bytes: 2, Fixed32: 5 } as const;

const TWO32 = 4294967296;

/**
 * Reads fields from one message (or from a delimited stream, with `length`). Every read is bounds
 * checked and throws a {@link CodecError} naming the byte offset.
 */
export class ProtoReader {
  pos: number;
  private readonly view: DataView;

  constructor(
    readonly b: Uint8Array,
    start = 0,
    readonly end = b.length,
  ) {
    this.pos = start;
    this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }

  done(): boolean {
    return this.pos >= this.end;
  }

  private fail(what: string): never {
    throw new CodecError('protobuf', `invalid protobuf at byte ${this.pos}: ${what}`);
  }

  /** An unsigned varint; values above 2^64 are an error, above 2^53 lose precision. */
  varint(): number {
    this.varintWords();
    return (this.hi >>> 0) * TWO32 + (this.lo >>> 0);
  }

  /** An unsigned 64-bit varint, exactly (`uint64` hashes and ids that exceed 2^53). */
  uint64(): bigint {
    this.varintWords();
    return (BigInt(this.hi >>> 0) << 32n) | BigInt(this.lo >>> 0);
  }

  /** A two's-complement int64 varint (`int64` fields such as timestamp_ms). */
  int64(): number {
    this.varintWords();
    return (this.hi | 0) * TWO32 + (this.lo >>> 0);
  }

  // The last varint's low and high 32-bit words, so unsigned and signed reads share one decoder.
  private lo = 0;
  private hi = 0;

  private varintWords(): void {
    let lo = 0;
    let hi = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (this.pos >= this.end) this.fail('truncated varint');
      const c = this.b[this.pos++]!;
      const bits = c & 0x7f;
      if (shift < 28) lo |= bits << shift;
      else if (shift === 28) {
        lo |= (bits & 0x0f) << 28;
        hi |= bits >> 4;
      } else hi |= bits << (shift - 32);
      if ((c & 0x80) === 0) {
        this.lo = lo;
        this.hi = hi;
        return;
      }
    }
    this.fail('varint longer than 10 bytes');
  }

  /**
   * The raw 64 bits of a `double`/`fixed64` field as [hi, lo] 32-bit words, for callers that must
   * see NaN payloads (the staleness marker) without trusting the engine to keep them.
   */
  fixed64Words(): [hi: number, lo: number] {
    if (this.pos + 8 > this.end) this.fail('truncated fixed64');
    const lo = this.view.getUint32(this.pos, true);
    const hi = this.view.getUint32(this.pos + 4, true);
    this.pos += 8;
    return [hi, lo];
  }

  double(): number {
    if (this.pos + 8 > this.end) this.fail('truncated double');
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** A length prefix, checked against the end. */
  length(): number {
    const n = this.varint();
    if (n > this.end - this.pos) this.fail(`length ${n} runs past the end`);
    return n;
  }

  /** A string field; invalid UTF-8 bytes come out as lone surrogates (see {@link decodeUtf8}), so validators can refuse them. */
  string(): string {
    const n = this.length();
    const s = decodeUtf8(this.b, this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  /**
   * A `{string name = 1; string value = 2}` message — the label pair of client_model and prompb —
   * read from this reader to its end (unknown fields skipped).
   */
  stringPair(): [string, string] {
    let name = '';
    let value = '';
    while (!this.done()) {
      const [field, wire] = this.tag();
      if (field === 1 && wire === WireType.Bytes) name = this.string();
      else if (field === 2 && wire === WireType.Bytes) value = this.string();
      else this.skip(wire);
    }
    return [name, value];
  }

  /** The next length-delimited field's bytes (a view, not a copy). */
  bytes(): Uint8Array {
    const n = this.length();
    const out = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** A sub-reader over the next length-delimited field. */
  message(): ProtoReader {
    const n = this.length();
    const sub = new ProtoReader(this.b, this.pos, this.pos + n);
    sub.pos = this.pos;
    this.pos += n;
    return sub;
  }

  /** Field number and wire type of the next field. */
  tag(): [field: number, wire: number] {
    const t = this.varint();
    const field = Math.floor(t / 8);
    if (field === 0) this.fail('field number 0');
    return [field, t % 8];
  }

  skip(wire: number): void {
    if (wire === WireType.Varint) this.varint();
    else if (wire === WireType.Fixed64) this.advance(8);
    else if (wire === WireType.Bytes) this.advance(this.length());
    else if (wire === WireType.Fixed32) this.advance(4);
    else this.fail(`unsupported wire type ${wire}`);
  }

  private advance(n: number): void {
    if (this.pos + n > this.end) this.fail('truncated field');
    this.pos += n;
  }

  expect(wire: number, want: number, field: string): void {
    if (wire !== want) this.fail(`field ${field} has wire type ${wire}, want ${want}`);
  }
}

/** Appends protobuf fields to a growing buffer; `finish` returns the bytes written so far. */
export class ProtoWriter {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  len = 0;

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** A non-negative integer below 2^53, or a negative int64 (10-byte two's complement). */
  varint(v: number): void {
    this.ensure(10);
    if (v < 0) {
      let lo = Number(BigInt.asUintN(32, BigInt(v))) >>> 0;
      let hi = Number(BigInt.asUintN(32, BigInt(v) >> 32n)) >>> 0;
      for (let i = 0; i < 9; i++) {
        this.buf[this.len++] = (lo & 0x7f) | 0x80;
        lo = (lo >>> 7) | ((hi & 0x7f) << 25);
        hi >>>= 7;
      }
      this.buf[this.len++] = lo & 0x01;
      return;
    }
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.len++] = v;
  }

  /** An unsigned 64-bit varint from a bigint in [0, 2^64). */
  uint64(v: bigint): void {
    this.ensure(10);
    while (v >= 0x80n) {
      this.buf[this.len++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.len++] = Number(v);
  }

  tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  double(field: number, v: number): void {
    this.tag(field, WireType.Fixed64);
    this.ensure(8);
    this.view.setFloat64(this.len, v, true);
    this.len += 8;
  }

  /** A `double` field written from its raw [hi, lo] words (keeps NaN payloads such as the staleness marker). */
  fixed64Words(field: number, hi: number, lo: number): void {
    this.tag(field, WireType.Fixed64);
    this.ensure(8);
    this.view.setUint32(this.len, lo, true);
    this.view.setUint32(this.len + 4, hi, true);
    this.len += 8;
  }

  bytes(field: number, data: Uint8Array): void {
    this.tag(field, WireType.Bytes);
    this.delimited(data);
  }

  /** `data` behind its varint length, without a tag (one record of a delimited stream). */
  delimited(data: Uint8Array): void {
    this.varint(data.length);
    this.ensure(data.length);
    this.buf.set(data, this.len);
    this.len += data.length;
  }

  string(field: number, s: string): void {
    this.bytes(field, Buffer.from(s, 'utf8'));
  }

  /** A `{string name = 1; string value = 2}` label pair as a length-delimited field. */
  stringPair(field: number, name: string, value: string): void {
    const pair = new ProtoWriter();
    pair.string(1, name);
    pair.string(2, value);
    this.bytes(field, pair.finish());
  }

  finish(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}
