import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { EncodeBuffer } from '../encoding/encode-buffer.js';

/** Bytes buffered before they are written. */
const BUFFER_BYTES = 1024 * 1024;

/**
 * Writes a new file front to back through a 1 MiB buffer, counting the bytes written so far
 * (`offset`), so a writer of a large structure (an index, a chunk segment) holds one buffer of it,
 * not all of it. `close` writes the rest, fsyncs and closes. One owner, synchronous.
 */
export class FileAppender {
  private readonly buf = new EncodeBuffer(64 * 1024);
  private readonly fd: number;
  private written = 0;

  /** Creates `path`, which must not exist. */
  constructor(readonly path: string) {
    this.fd = openSync(path, 'wx');
  }

  /** Bytes appended so far (the offset of the next byte). */
  get offset(): number {
    return this.written + this.buf.length;
  }

  /** The buffer the next bytes go to (for writers that encode in place); call {@link appended} after. */
  get buffer(): EncodeBuffer {
    return this.buf;
  }

  append(bytes: Uint8Array): void {
    this.buf.putBytes(bytes);
    this.appended();
  }

  /** Appends zero bytes until the offset is a multiple of `alignment`. */
  padTo(alignment: number): void {
    const pad = (alignment - (this.offset % alignment)) % alignment;
    for (let i = 0; i < pad; i++) this.buf.putByte(0);
    this.appended();
  }

  /** Writes the buffer out once it is full. */
  appended(): void {
    if (this.buf.length >= BUFFER_BYTES) this.flush();
  }

  /** Writes the rest, fsyncs and closes the file. */
  close(): void {
    this.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
  }

  /** Closes the file without writing the rest (after a failure). */
  abandon(): void {
    closeSync(this.fd);
  }

  private flush(): void {
    const bytes = this.buf.bytes();
    let pos = 0;
    while (pos < bytes.length) pos += writeSync(this.fd, bytes, pos, bytes.length - pos);
    this.written += bytes.length;
    this.buf.reset();
  }
}
