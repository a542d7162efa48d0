import { closeSync, fsyncSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32c } from '@pyrometer/codec';
import type { StorageError } from '@pyrometer/storage';
import { EncodeBuffer } from '../encoding/encode-buffer.js';
import { uvarintAt, uvarintSize } from '../encoding/varint.js';
import { corruptionError } from '../errors.js';
import { syncDir } from '../fs-util.js';
import type { PageCache } from '../io/page-cache.js';
import { PositionalFile } from '../io/positional-file.js';
import { CHUNK_FIXED_SIZE, HEAD_CHUNKS_HEADER_SIZE, HEAD_CHUNKS_MAGIC, OOO_ENCODING_FLAG, headChunkFileName, scanHeadChunkFiles, type MappedChunk } from './head-chunk-scan.js';

/** A head chunk file holds at most this much (Prometheus's MaxHeadChunkFileSize). */
export const HEAD_CHUNK_FILE_SIZE = 128 * 1024 * 1024;
/** Chunks buffered in memory before they are written, if no flush came first (Prometheus's default write buffer). */
const WRITE_BUFFER_BYTES = 4 * 1024 * 1024;
const SEQ = 4294967296;

/** What opening the `chunks_head/` directory found. */
export interface OpenedHeadChunks {
  readonly files: HeadChunkFiles;
  /** Every intact chunk, in file order (so per series in time order). */
  readonly chunks: readonly MappedChunk[];
  /** What was cut off or deleted because it was torn or corrupt, if anything. */
  readonly repaired: string | undefined;
}

interface ChunkFile {
  readonly seq: number;
  readonly reader: PositionalFile;
  /** The newest sample time of its chunks (-Infinity while it has none). */
  maxt: number;
  /** One bit per possible chunk start (offset / {@link MIN_CHUNK_ENTRY}): set once its CRC matched. Made at the first read. */
  verified?: Uint8Array;
}

/** The fewest bytes a chunk takes in a file (no data): no two chunks start within this distance. */
const MIN_CHUNK_ENTRY = CHUNK_FIXED_SIZE + 1 + 4;

/**
 * The head's full chunks on disk in `chunks_head/`, in Prometheus's head chunk format (see
 * docs/format.md): files `000001`, `000002`, … of up to 128 MiB, each chunk with its series ref,
 * time range and CRC32C, so the head keeps only its open chunks in memory and a restart reloads
 * the rest without re-encoding the WAL. Chunks are appended to the newest file through a write
 * buffer (written by `flush`, which the head calls once per commit, or when it fills) and are
 * readable at once (from the buffer until it is written); files are read by position
 * through the page cache. The files only repeat what the WAL holds: a torn or lost tail costs
 * nothing but replay time. Synchronous, one owner (the head).
 */
export class HeadChunkFiles {
  private readonly buffer = new EncodeBuffer(64 * 1024);
  private current: ChunkFile | undefined;
  private writeFd = -1;
  /** Bytes of the current file on disk; the buffer holds what comes after. */
  private flushed = 0;

  private constructor(
    readonly dir: string,
    private readonly cache: PageCache,
    private readonly files: ChunkFile[],
    private lastSeq: number,
    private readonly fileSize: number,
  ) {}

  /**
   * Opens `dir` (created if missing): checks every file and chunk, cuts a torn or corrupt tail off
   * (and deletes any file after it, whose chunks would leave a gap), and lists the intact chunks.
   * Writing starts in a new file, as Prometheus does after a restart.
   */
  static open(dir: string, cache: PageCache, options: { fileSize?: number } = {}): OpenedHeadChunks {
    mkdirSync(dir, { recursive: true });
    const scan = scanHeadChunkFiles(dir, cache);
    const files = scan.files.map((f) => ({ seq: f.seq, reader: f.reader, maxt: f.maxt }));
    const lastSeq = files.at(-1)?.seq ?? scan.lastSeq;
    return { files: new HeadChunkFiles(dir, cache, files, lastSeq, options.fileSize ?? HEAD_CHUNK_FILE_SIZE), chunks: scan.chunks, repaired: scan.repaired };
  }

  /**
   * Appends a chunk of series `seriesRef` with samples in [mint, maxt] (`ooo`: an out-of-order
   * chunk) and returns its reference (file sequence << 32 | offset). Throws when writing fails.
   */
  write(seriesRef: number, mint: number, maxt: number, data: Uint8Array, ooo = false): number {
    const entry = CHUNK_FIXED_SIZE + uvarintSize(data.length) + data.length + 4;
    if (this.current === undefined || (this.flushed + this.buffer.length + entry > this.fileSize && this.flushed + this.buffer.length > HEAD_CHUNKS_HEADER_SIZE)) this.cut();
    const file = this.current!;
    const ref = file.seq * SEQ + this.flushed + this.buffer.length;
    const b = this.buffer;
    const start = b.length;
    b.putBE64(seriesRef);
    b.putBE64(mint);
    b.putBE64(maxt);
    b.putByte(ooo ? 1 | OOO_ENCODING_FLAG : 1);
    b.putUvarint(data.length);
    b.putBytes(data);
    b.putBE32(crc32c(b.bytes(), 0, start, b.length));
    if (maxt > file.maxt) file.maxt = maxt;
    if (b.length >= WRITE_BUFFER_BYTES) this.flush();
    return ref;
  }

  /**
   * The data of the chunk at `ref`, checked against its CRC32C at its first read (a chunk's bytes
   * never change: re-checking at every query cost a select of 20k series ~10 ms on the ingestion
   * thread). Throws a `corruption` StorageError.
   */
  chunk(ref: number): Uint8Array {
    const seq = Math.floor(ref / SEQ);
    const offset = ref % SEQ;
    let bytes: Uint8Array;
    let at: number;
    let file: ChunkFile | undefined;
    if (this.current?.seq === seq && offset >= this.flushed) {
      file = this.current;
      bytes = this.buffer.bytes();
      at = offset - this.flushed;
    } else {
      file = this.files.find((f) => f.seq === seq);
      if (file === undefined) throw this.corrupt(seq, offset, `reference ${ref} names a file that does not exist`);
      const reader = file.reader;
      const headLen = Math.min(CHUNK_FIXED_SIZE + 5, reader.size - offset);
      const len = headLen <= CHUNK_FIXED_SIZE ? -1 : uvarintAt(reader.read(offset, headLen), CHUNK_FIXED_SIZE);
      if (len < 0) throw this.corrupt(seq, offset, 'chunk header runs past the end of the file');
      const total = CHUNK_FIXED_SIZE + uvarintSize(len) + len + 4;
      if (offset + total > reader.size) throw this.corrupt(seq, offset, `chunk of ${len} bytes runs past the end of the file`);
      bytes = reader.read(offset, total);
      at = 0;
    }
    const len = uvarintAt(bytes, at + CHUNK_FIXED_SIZE);
    if (len < 0) throw this.corrupt(seq, offset, 'bad chunk length');
    const dataStart = at + CHUNK_FIXED_SIZE + uvarintSize(len);
    const end = dataStart + len;
    if (end + 4 > bytes.length) throw this.corrupt(seq, offset, `chunk of ${len} bytes runs past the end of the file`);
    const bit = Math.floor(offset / MIN_CHUNK_ENTRY);
    const verified = (file.verified ??= new Uint8Array(Math.ceil(Math.max(this.fileSize, file.reader.size) / MIN_CHUNK_ENTRY / 8) + 1));
    if (bit >>> 3 >= verified.length || (verified[bit >>> 3]! & (1 << (bit & 7))) === 0) {
      const stored = ((bytes[end]! << 24) | (bytes[end + 1]! << 16) | (bytes[end + 2]! << 8) | bytes[end + 3]!) >>> 0;
      const actual = crc32c(bytes, 0, at, end);
      if (stored !== actual) throw this.corrupt(seq, offset, `chunk checksum mismatch: stored ${stored.toString(16)}, computed ${actual.toString(16)}`);
      if (bit >>> 3 < verified.length) verified[bit >>> 3]! |= 1 << (bit & 7);
    }
    return bytes.subarray(dataStart, end);
  }

  /** The error for a bad chunk at `offset` of file `seq` (its name is built only then: a query reads thousands of chunks). */
  private corrupt(seq: number, offset: number, detail: string): StorageError {
    return corruptionError(`head chunk file ${headChunkFileName(this.dir, seq)}`, offset, detail);
  }

  /** Writes the buffered chunks to the current file (into the OS page cache; `close` fsyncs). */
  flush(): void {
    const b = this.buffer;
    if (b.length === 0 || this.current === undefined) return;
    const bytes = b.bytes();
    let pos = 0;
    while (pos < bytes.length) pos += writeSync(this.writeFd, bytes, pos, bytes.length - pos);
    this.flushed += bytes.length;
    this.current.reader.extend(this.flushed);
    b.reset();
  }

  /**
   * Deletes the oldest files whose chunks all end before `mint` (ms), as the head drops them
   * after cutting a block, and starts a new file if the current one has chunks, so that it can
   * be deleted in turn later.
   */
  truncateBefore(mint: number): void {
    if (this.current !== undefined && this.flushed + this.buffer.length > HEAD_CHUNKS_HEADER_SIZE) this.cut();
    while (this.files.length > 0 && this.files[0] !== this.current && this.files[0]!.maxt < mint) {
      const f = this.files.shift()!;
      f.reader.close();
      rmSync(headChunkFileName(this.dir, f.seq), { force: true });
    }
  }

  /** Flushes, fsyncs and closes every file. Idempotent. */
  close(): void {
    this.finishCurrent();
    for (const f of this.files) f.reader.close();
    this.files.length = 0;
  }

  /** Deletes every chunk file (when nothing can refer to them: no WAL to replay). */
  removeAll(): void {
    this.close();
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
  }

  /** Bytes of all chunk files, buffered chunks included. */
  get size(): number {
    return this.files.reduce((n, f) => n + f.reader.size, 0) + this.buffer.length;
  }

  private cut(): void {
    this.finishCurrent();
    const seq = ++this.lastSeq;
    const path = headChunkFileName(this.dir, seq);
    const fd = openSync(path, 'wx');
    const header = Buffer.alloc(HEAD_CHUNKS_HEADER_SIZE);
    header.writeUInt32BE(HEAD_CHUNKS_MAGIC, 0);
    header[4] = 1;
    writeSync(fd, header);
    syncDir(this.dir);
    this.writeFd = fd;
    this.flushed = HEAD_CHUNKS_HEADER_SIZE;
    this.current = { seq, reader: PositionalFile.open(path, this.cache), maxt: -Infinity };
    this.files.push(this.current);
  }

  private finishCurrent(): void {
    if (this.current === undefined) return;
    this.flush();
    fsyncSync(this.writeFd);
    closeSync(this.writeFd);
    this.writeFd = -1;
    this.current = undefined;
  }
}

/** The directory of a data directory's head chunks. */
export function headChunksDir(dataDir: string): string {
  return join(dataDir, 'chunks_head');
}
