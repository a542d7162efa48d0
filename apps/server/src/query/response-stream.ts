import { gzipSync } from 'node:zlib';
import { type JsonBytes, JsonBytesPool } from '@pyrometer/http-api';
import { queryStopped, type CancelSignal } from '@pyrometer/promql';
import { GZIP_MIN_BYTES, GZIP_OPTIONS } from '../web/response.js';
import type { FromWorker, HttpHead } from './protocol.js';

/**
 * An answer of fewer bytes than this travels whole in one message, gzip-compressed here when the client
 * accepts it, and the main thread only writes it out; a longer one is streamed, and the main
 * thread compresses the stream off its event loop. Streaming costs a message per piece and
 * asynchronous compression on the main thread, which made 94–107 KB answers ~15% slower than whole
 * ones; sending answers up to 1 MiB whole was slower for 700 KB ones, whose compression the
 * stream overlaps with encoding (server README, "Small queries" and "Fixed cost per query").
 */
const WHOLE_BYTES = 256 * 1024;
/**
 * Bytes of encoded text per streamed piece. Each message costs both threads a fixed
 * 40–50 µs (measured on this shared machine, whatever its size), so larger pieces mean fewer of
 * them; at most about WINDOW × 256 KiB is unwritten per answer.
 */
const CHUNK_BYTES = 256 * 1024;
/** Messages in flight before the stream waits for the main thread to write some out. */
const WINDOW = 4;
/**
 * Bytes first reserved for an answer's buffer (it doubles as needed): most answers are small, and
 * a larger first reservation was zero-filled for every one of them.
 */
const FIRST_RESERVED_BYTES = 16 * 1024;
/** The writer answers are gathered into, kept between answers (a worker's answers mostly run one at a time). */
const answerWriters = new JsonBytesPool(FIRST_RESERVED_BYTES);

/** Posts a message to the main thread, transferring the listed buffers. */
export type PostToMain = (message: FromWorker, transfer: ArrayBuffer[]) => void;

/**
 * The body of one HTTP answer, written from a worker in pieces: an answer under {@link WHOLE_BYTES}
 * travels whole in the head message, gzip-compressed here when `gzip` (the client accepts it) and
 * worth it. A longer one is gathered into a first chunk of that size, then ~256 KiB ones, encoded and
 * transferred to the main thread, which compresses and writes them to the socket. At most
 * {@link WINDOW} chunks are unwritten at a time (the main thread's `credit` says one was written),
 * so a slow client slows the encoder instead of filling memory. Between chunks the stream checks
 * `signal` and stops with its error (canceled, or the heap guard's).
 */
export class ResponseStream {
  private sent = 0;
  private written = 0;
  private wake: (() => void) | undefined;

  constructor(
    private readonly id: number,
    private readonly post: PostToMain,
    private readonly signal: CancelSignal,
    private readonly gzip: boolean,
  ) {}

  /** The main thread wrote one chunk out (or gave up on the answer). */
  credit(): void {
    this.written++;
    this.wake?.();
  }

  /**
   * Sends a status, a content type and the body made of `pieces` (text, or UTF-8 bytes, each copied
   * before the next piece is asked for), in order.
   */
  async send(status: number, contentType: string, pieces: Iterable<string | Uint8Array>): Promise<void> {
    const head: Omit<HttpHead, 'complete'> = { status, contentType };
    const out = answerWriters.borrow();
    try {
      let started = false;
      for (const piece of pieces) {
        if (typeof piece === 'string') out.text(piece);
        else out.bytes(piece);
        if (out.length < (started ? CHUNK_BYTES : WHOLE_BYTES)) continue;
        await this.flush(out, started ? undefined : head, false);
        started = true;
      }
      if (!started) {
        const { body, contentEncoding } = wholeBody(out, this.gzip);
        this.post({ type: 'head', id: this.id, head: { ...head, complete: true, ...(contentEncoding === undefined ? {} : { contentEncoding }) }, body }, [body]);
      } else await this.flush(out, undefined, true);
    } finally {
      answerWriters.release(out);
    }
  }

  /** Sends what `out` holds as the head (with `head`) or the next chunk; the last chunk says so, even when empty (the pool reads it as the task's last answer). */
  private async flush(out: JsonBytes, head: Omit<HttpHead, 'complete'> | undefined, last: boolean): Promise<void> {
    this.checkCanceled();
    while (this.sent - this.written >= WINDOW) {
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.checkCanceled();
    }
    const body = out.take().buffer as ArrayBuffer;
    this.post(head === undefined ? { type: 'chunk', id: this.id, body, last } : { type: 'head', id: this.id, head: { ...head, complete: false }, body }, [body]);
    this.sent++;
  }

  private checkCanceled(): void {
    if (this.signal.aborted) throw queryStopped(this.signal.reason, 'result encoding');
  }
}

/**
 * A whole answer's body (what `out` holds) as it travels, in a buffer of its own: gzip-compressed
 * when the client accepts it and it is worth it (compressed from `out`'s buffer, not a copy of it).
 */
function wholeBody(out: JsonBytes, gzip: boolean): { body: ArrayBuffer; contentEncoding?: 'gzip' } {
  if (!gzip || out.length < GZIP_MIN_BYTES) return { body: out.take().buffer as ArrayBuffer };
  const packed = gzipSync(out.view(), GZIP_OPTIONS);
  // gzipSync's Buffer may lie in a pooled slab, which cannot be transferred: its bytes are copied out.
  return { body: packed.buffer.slice(packed.byteOffset, packed.byteOffset + packed.length) as ArrayBuffer, contentEncoding: 'gzip' };
}
