import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { crc32c } from '@pyrometer/codec';
import { corruptionError } from '../errors.js';
import type { PageCache, PagedFile } from './page-cache.js';

/** An open file as a reader elsewhere in the process can attach to it: its descriptor and size. */
export interface FileHandle {
  readonly path: string;
  readonly fd: number;
  readonly size: number;
}

/**
 * An immutable file (a block's index or chunk segment) read by position through a shared
 * {@link PageCache}: nothing of the file is held beyond the cached pages. `read` returns a view
 * into a cached page when the range lies in one page (valid for as long as it is held; never
 * modify it), else a fresh copy. A file opened with {@link open} owns its descriptor and closes
 * it in `close`; one made with {@link attach} (another thread's descriptor) never closes it, and
 * must not be read once the owner closed it. Reads past the end throw a `corruption` StorageError.
 */
export class PositionalFile implements FileHandle, PagedFile {
  private readonly pages = new Map<number, Buffer>();
  private closed = false;

  private constructor(
    readonly path: string,
    readonly fd: number,
    private bytes: number,
    private readonly owned: boolean,
    private readonly cache: PageCache,
  ) {}

  /** The file's size in bytes (as opened, or as last {@link extend}ed). */
  get size(): number {
    return this.bytes;
  }

  /**
   * For a file its owner appends to: bytes up to `size` may be read from now on. The page that
   * held the old end is dropped from the cache, since it was read short.
   */
  extend(size: number): void {
    if (size <= this.bytes) return;
    this.pages.delete(Math.floor(this.bytes / this.cache.pageSize));
    this.bytes = size;
  }

  /** Opens `path` read-only; the descriptor stays open (and the file readable, even once deleted) until `close`. */
  static open(path: string, cache: PageCache): PositionalFile {
    const fd = openSync(path, 'r');
    try {
      return new PositionalFile(path, fd, fstatSync(fd).size, true, cache);
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  /** Reads through a descriptor another reader in this process owns (see the class contract). */
  static attach(handle: FileHandle, cache: PageCache): PositionalFile {
    return new PositionalFile(handle.path, handle.fd, handle.size, false, cache);
  }

  /** The handle another thread attaches with. */
  handle(): FileHandle {
    return { path: this.path, fd: this.fd, size: this.size };
  }

  /** Bytes [offset, offset + length). */
  read(offset: number, length: number): Buffer {
    const end = offset + length;
    if (offset < 0 || length < 0 || end > this.size) throw corruptionError(`file ${this.path}`, offset, `read of ${length} bytes runs past the end of the file (${this.size} bytes)`);
    const pageSize = this.cache.pageSize;
    const page = Math.floor(offset / pageSize);
    const base = page * pageSize;
    if (end <= base + pageSize) return this.page(page).subarray(offset - base, end - base);
    return this.copy(offset, length);
  }

  /** The cached page (its first byte at `n * pageSize`), read when it is not cached. */
  page(n: number): Buffer {
    const cached = this.pages.get(n);
    if (cached !== undefined) return cached;
    const pageSize = this.cache.pageSize;
    const buf = Buffer.allocUnsafeSlow(Math.min(pageSize, this.size - n * pageSize));
    this.readInto(buf, n * pageSize);
    this.pages.set(n, buf);
    this.cache.added(this, n, buf.length);
    return buf;
  }

  /** The page size of this file's cache. */
  get pageSize(): number {
    return this.cache.pageSize;
  }

  /** @internal The cache drops a page. */
  dropPage(n: number): void {
    this.pages.delete(n);
  }

  /** Bytes [offset, offset + length) as a fresh copy (for ranges that span pages). */
  copy(offset: number, length: number): Buffer {
    const out = Buffer.allocUnsafe(length);
    this.readInto(out, offset);
    return out;
  }

  /** The CRC32C of bytes [start, end), read page by page. */
  crc32c(start: number, end: number): number {
    const pageSize = this.cache.pageSize;
    let crc = 0;
    for (let pos = start; pos < end; ) {
      const next = Math.min(end, (Math.floor(pos / pageSize) + 1) * pageSize);
      crc = crc32c(this.read(pos, next - pos), crc);
      pos = next;
    }
    return crc;
  }

  /** Closes the descriptor if this reader owns it. Idempotent. */
  close(): void {
    if (this.owned && !this.closed) closeSync(this.fd);
    this.closed = true;
    this.pages.clear();
  }

  private readInto(buf: Buffer, position: number): void {
    if (this.closed) throw corruptionError(`file ${this.path}`, position, 'read after close');
    let done = 0;
    while (done < buf.length) {
      const n = readSync(this.fd, buf, done, buf.length - done, position + done);
      if (n === 0) throw corruptionError(`file ${this.path}`, position + done, 'file ended early (truncated since it was opened)');
      done += n;
    }
  }
}
