import { gzipSync } from 'node:zlib';
import { PromQLError, type CancelSignal } from '@pyrometer/promql';
import { GZIP_MIN_BYTES, GZIP_OPTIONS } from '../web/response.js';
import type { FromWorker, HttpHead } from './protocol.js';

/**
 * An answer shorter than this travels whole in one message, gzip-compressed here when the client
 * accepts it, and the main thread only writes it out; a longer one is streamed, and the main
 * thread compresses the stream off its event loop. Streaming costs a message per piece and
 * asynchronous compression on the main thread, which made 94–107 KB answers ~15% slower than whole
 * ones; sending answers up to 1 MiB whole was slower for 700 KB ones, whose compression the
 * stream overlaps with encoding (server README, "Small queries" and "Fixed cost per query").
 */
const WHOLE_CHARS = 256 * 1024;
/**
 * Characters of encoded text per streamed piece. Each message costs both threads a fixed
 * 40–50 µs (measured on this shared machine, whatever its size), so larger pieces mean fewer of
 * them; at most WINDOW × 256 KiB (× 3 bytes per character at worst) is unwritten per answer.
 */
const CHUNK_CHARS = 256 * 1024;
/** Messages in flight before the stream waits for the main thread to write some out. */
const WINDOW = 4;

/** Posts a message to the main thread, transferring the listed buffers. */
export type PostToMain = (message: FromWorker, transfer: ArrayBuffer[]) => void;

/**
 * The body of one HTTP answer, written from a worker in pieces: an answer under {@link WHOLE_CHARS}
 * travels whole in the head message, gzip-compressed here when `gzip` (the client accepts it) and
 * worth it. A longer one is gathered into a first chunk of that size, then ~256 KiB ones, encoded and
 * transferred to the main thread, which compresses and writes them to the socket. At most
 * {@link WINDOW} chunks are unwritten at a time (the main thread's `credit` says one was written),
 * so a slow client slows the encoder instead of filling memory. Between chunks the stream checks
 * `signal` and stops with a canceled error.
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

  /** Sends a status, a content type and the body made of `pieces`, in order. */
  async send(status: number, contentType: string, pieces: Iterable<string>): Promise<void> {
    const head: Omit<HttpHead, 'complete'> = { status, contentType };
    let text = '';
    let started = false;
    for (const piece of pieces) {
      text += piece;
      if (text.length < (started ? CHUNK_CHARS : WHOLE_CHARS)) continue;
      await this.flush(text, started ? undefined : head, false);
      started = true;
      text = '';
    }
    if (!started) {
      const { body, contentEncoding } = wholeBody(text, this.gzip);
      this.post({ type: 'head', id: this.id, head: { ...head, complete: true, ...(contentEncoding === undefined ? {} : { contentEncoding }) }, body }, [body]);
    } else await this.flush(text, undefined, true);
  }

  /** Sends `text` as the head (with `head`) or the next chunk; the last chunk says so, even when empty (the pool reads it as the task's last answer). */
  private async flush(text: string, head: Omit<HttpHead, 'complete'> | undefined, last: boolean): Promise<void> {
    this.checkCanceled();
    while (this.sent - this.written >= WINDOW) {
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.checkCanceled();
    }
    const body = encode(text);
    this.post(head === undefined ? { type: 'chunk', id: this.id, body, last } : { type: 'head', id: this.id, head: { ...head, complete: false }, body }, [body]);
    this.sent++;
  }

  private checkCanceled(): void {
    if (this.signal.aborted) throw new PromQLError('canceled', 'query was canceled in result encoding');
  }
}

const encoder = new TextEncoder();

/** The UTF-8 bytes of `text` in a buffer of their own (transferable, never a pooled slab). */
function encode(text: string): ArrayBuffer {
  return encoder.encode(text).buffer as ArrayBuffer;
}

/** A whole answer's body as it travels: gzip-compressed when the client accepts it and it is worth it. */
function wholeBody(text: string, gzip: boolean): { body: ArrayBuffer; contentEncoding?: 'gzip' } {
  const bytes = encoder.encode(text);
  if (!gzip || bytes.length < GZIP_MIN_BYTES) return { body: bytes.buffer as ArrayBuffer };
  const packed = gzipSync(bytes, GZIP_OPTIONS);
  // gzipSync's Buffer may lie in a pooled slab, which cannot be transferred: its bytes are copied out.
  return { body: packed.buffer.slice(packed.byteOffset, packed.byteOffset + packed.length) as ArrayBuffer, contentEncoding: 'gzip' };
}
