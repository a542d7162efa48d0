import { formatApiValue } from '@pyrometer/model';

const encoder = new TextEncoder();
/** Texts up to this long are copied byte by byte while ASCII (a call into `TextEncoder` costs more for them). */
const SHORT_TEXT = 32;
const QUOTE = 0x22;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const ZERO = 0x30;
/** Sample values below this (in magnitude) that are integers are written digit by digit: the API's float format prints them so. */
const DIRECT_INTEGER_LIMIT = 1e15;
const INT32_MAX = 0x7fffffff;
/** Room for `"]` after the longest value text the API format writes (`-1.2345678901234567e-300`). */
const PAIR_TAIL_BYTES = 32;

/**
 * A growing buffer of UTF-8 bytes that a large JSON answer is written into piece by piece, so it
 * is never joined into one JavaScript string and then encoded again. Sample pairs, most of a range
 * query's answer, are written byte by byte: an opening (`[<ts>,"`) encoded once per step, then
 * the value, integers digit by digit.
 */
export class JsonBytes {
  private buf: Uint8Array;
  private used = 0;

  /** `capacity`: the bytes first reserved (the buffer doubles as needed). */
  constructor(capacity = 64 * 1024) {
    this.buf = new Uint8Array(capacity);
  }

  /** Bytes the buffer holds before it must grow. */
  get capacity(): number {
    return this.buf.length;
  }

  /** Bytes written since the last {@link take}. */
  get length(): number {
    return this.used;
  }

  /** Appends `s` as UTF-8 (lone surrogates become U+FFFD, as `TextEncoder` writes them). */
  text(s: string): void {
    const n = s.length;
    if (n > SHORT_TEXT) return this.encode(s);
    this.reserve(n);
    const buf = this.buf;
    let at = this.used;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        this.used = at;
        return this.encode(s.slice(i));
      }
      buf[at++] = c;
    }
    this.used = at;
  }

  /** Appends `bytes` as they are. */
  bytes(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.used);
    this.used += bytes.length;
  }

  /**
   * Appends a copy of bytes already written: those at [from, to) of what was written since the
   * last {@link take} or {@link view} (offsets as {@link length} read then). An answer repeats a
   * run of text this way instead of encoding it again.
   */
  repeat(from: number, to: number): void {
    if (!(0 <= from && from <= to && to <= this.used)) throw new RangeError(`repeat(${from}, ${to}) is outside the ${this.used} bytes written`);
    this.reserve(to - from);
    this.buf.copyWithin(this.used, from, to);
    this.used += to - from;
  }

  /**
   * Appends the rest of a float sample pair after its `opening` (the UTF-8 of `[<timestamp>,"`):
   * the value in the API's format (`formatApiValue`) and `"]`.
   */
  samplePair(opening: Uint8Array, value: number): void {
    this.reserve(opening.length + PAIR_TAIL_BYTES);
    const buf = this.buf;
    let at = this.used;
    for (let i = 0; i < opening.length; i++) buf[at++] = opening[i]!;
    if (Number.isInteger(value) && Math.abs(value) < DIRECT_INTEGER_LIMIT && !Object.is(value, -0)) at = writeInteger(buf, at, value);
    else {
      const text = formatApiValue(value);
      // ASCII only: digits, sign, point, exponent, NaN, Inf.
      for (let i = 0; i < text.length; i++) buf[at++] = text.charCodeAt(i);
    }
    buf[at++] = QUOTE;
    buf[at++] = CLOSE_BRACKET;
    this.used = at;
  }

  /** The bytes written since the last call, in an ArrayBuffer exactly their size (transferable); the writer starts empty again. */
  take(): Uint8Array {
    const out = this.buf.slice(0, this.used);
    this.used = 0;
    return out;
  }

  /**
   * The bytes written since the last call, as a view of the writer's own buffer (no copy); the
   * writer starts empty again, so the view is valid only until the next write.
   */
  view(): Uint8Array {
    const out = this.buf.subarray(0, this.used);
    this.used = 0;
    return out;
  }

  private encode(s: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 code unit.
    this.reserve(s.length * 3);
    this.used += encoder.encodeInto(s, this.buf.subarray(this.used)).written;
  }

  private reserve(more: number): void {
    const need = this.used + more;
    if (need <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(need, this.buf.length * 2));
    grown.set(this.buf.subarray(0, this.used));
    this.buf = grown;
  }
}

/** Writes the decimal digits of integer `value` (|value| < 1e15) at `at`; returns the index after them. */
function writeInteger(buf: Uint8Array, at: number, value: number): number {
  let n = value;
  if (n < 0) {
    buf[at++] = MINUS;
    n = -n;
  }
  if (n < 10) {
    buf[at] = ZERO + n;
    return at + 1;
  }
  let digits = 1;
  for (let p = 10; p <= n; p *= 10) digits++;
  const end = at + digits;
  let i = end;
  // Small integers in 32-bit arithmetic (V8 keeps them untagged); larger ones as doubles.
  for (; n > INT32_MAX; n = Math.floor(n / 10)) buf[--i] = ZERO + (n % 10);
  do {
    const q = (n / 10) | 0;
    buf[--i] = ZERO + n - q * 10;
    n = q;
  } while (n > 0);
  return end;
}

/** A writer grown past this many bytes is not kept by a {@link JsonBytesPool} (its memory goes back). */
const MAX_KEPT_BYTES = 1024 * 1024;

/**
 * One {@link JsonBytes} kept for reuse, so an answer's bytes are not written into freshly
 * allocated (and zero-filled) buffers every time: {@link borrow} hands it out while it is free,
 * else a new writer; {@link release} takes it back. Not thread-safe (one per thread).
 */
export class JsonBytesPool {
  private free: JsonBytes | undefined;

  /** `capacity`: the bytes first reserved by each writer the pool creates. */
  constructor(private readonly capacity: number) {}

  /** An empty writer, the kept one when no caller holds it. */
  borrow(): JsonBytes {
    const out = this.free ?? new JsonBytes(this.capacity);
    this.free = undefined;
    out.view();
    return out;
  }

  /** Gives `out` back (keeping at most one, of at most 1 MiB); the caller must not use it or views of it afterwards. */
  release(out: JsonBytes): void {
    if (out.capacity <= MAX_KEPT_BYTES) this.free ??= out;
  }
}
