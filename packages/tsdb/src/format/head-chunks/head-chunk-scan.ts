import { readdirSync, rmSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { crc32c } from '@pyrometer/codec';
import { uvarintAt, uvarintSize } from '../encoding/varint.js';
import type { PageCache } from '../io/page-cache.js';
import { PositionalFile } from '../io/positional-file.js';

/** First 4 bytes of a head chunk file; version 1 and 3 bytes of padding follow. */
export const HEAD_CHUNKS_MAGIC = 0x0130bc91;
export const HEAD_CHUNKS_HEADER_SIZE = 8;
/** A chunk's bytes before its length: series ref, mint, maxt (8 bytes each) and the encoding. */
export const CHUNK_FIXED_SIZE = 25;
/** The encoding's high bit marks an out-of-order chunk. */
export const OOO_ENCODING_FLAG = 0x80;
const SEQ = 4294967296;

/** A chunk found in `chunks_head/`: its series, reference, time range and sample count. */
export interface MappedChunk {
  readonly seriesRef: number;
  readonly ref: number;
  readonly mint: number;
  readonly maxt: number;
  readonly samples: number;
  readonly ooo: boolean;
}

/** The path of head chunk file `seq` (1 is `000001`). */
export function headChunkFileName(dir: string, seq: number): string {
  return join(dir, String(seq).padStart(6, '0'));
}

interface ScannedFile {
  seq: number;
  reader: PositionalFile;
  maxt: number;
}

/**
 * Reads every head chunk file of `dir` in sequence order and checks each chunk (header, length,
 * CRC32C). Where a chunk is torn or corrupt, the file is cut before it and every later file is
 * deleted (a later chunk of a series would leave a gap the WAL replay would not fill); a missing
 * file in the sequence deletes the files after the gap; an empty last file (a crash right after it
 * was created) is deleted. A zero-filled tail (Prometheus preallocates its files) ends a file.
 */
export function scanHeadChunkFiles(dir: string, cache: PageCache): { files: ScannedFile[]; chunks: MappedChunk[]; repaired: string | undefined; lastSeq: number } {
  const seqs = readdirSync(dir)
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .sort((a, b) => a - b);
  const files: ScannedFile[] = [];
  const chunks: MappedChunk[] = [];
  let repaired: string | undefined;
  const lastSeq = seqs.at(-1) ?? 0;
  for (let i = 0; i < seqs.length; i++) {
    const seq = seqs[i]!;
    const path = headChunkFileName(dir, seq);
    const problem = i > 0 && seq !== seqs[i - 1]! + 1 ? `file ${path} follows a missing file ${headChunkFileName(dir, seqs[i - 1]! + 1)}` : scanFile(path, seq, cache, files, chunks);
    if (problem === undefined) continue;
    repaired = problem;
    for (const later of seqs.slice(i + 1)) rmSync(headChunkFileName(dir, later), { force: true });
    if (i > 0 && seq !== seqs[i - 1]! + 1) rmSync(path, { force: true });
    break;
  }
  return { files, chunks, repaired, lastSeq };
}

/** Scans one file into `files` and `chunks`; returns what was wrong (after repairing it), if anything. */
function scanFile(path: string, seq: number, cache: PageCache, files: ScannedFile[], chunks: MappedChunk[]): string | undefined {
  const size = statSync(path).size;
  if (size < HEAD_CHUNKS_HEADER_SIZE) {
    rmSync(path, { force: true });
    return size === 0 ? undefined : `file ${path} of ${size} bytes is shorter than its header; deleted`;
  }
  const reader = PositionalFile.open(path, cache);
  const head = reader.read(0, HEAD_CHUNKS_HEADER_SIZE);
  if (head.readUInt32BE(0) !== HEAD_CHUNKS_MAGIC || head[4] !== 1) {
    reader.close();
    rmSync(path, { force: true });
    return `file ${path} has a bad header (magic ${head.readUInt32BE(0).toString(16)}, version ${head[4]}); deleted`;
  }
  const file: ScannedFile = { seq, reader, maxt: -Infinity };
  files.push(file);
  let offset = HEAD_CHUNKS_HEADER_SIZE;
  while (offset < size) {
    const problem = checkChunk(reader, offset, size);
    if (problem === 'end') break;
    if (typeof problem === 'string') {
      reader.close();
      truncateSync(path, offset);
      files[files.length - 1] = { seq, reader: PositionalFile.open(path, cache), maxt: file.maxt };
      return `file ${path} at offset ${offset}: ${problem}; cut off there`;
    }
    const { size: chunkSize, ...found } = problem;
    chunks.push({ ...found, ref: seq * SEQ + offset });
    if (found.maxt > file.maxt) file.maxt = found.maxt;
    offset += chunkSize;
  }
  return undefined;
}

/** The chunk at `offset`, 'end' at a zero-filled tail, or what is wrong with it. */
function checkChunk(reader: PositionalFile, offset: number, size: number): (Omit<MappedChunk, 'ref'> & { size: number }) | 'end' | string {
  const available = Math.min(CHUNK_FIXED_SIZE + 5, size - offset);
  const head = reader.read(offset, available);
  if (head.every((b) => b === 0)) return 'end';
  if (available <= CHUNK_FIXED_SIZE) return 'chunk header runs past the end of the file';
  const len = uvarintAt(head, CHUNK_FIXED_SIZE);
  if (len < 0) return 'bad chunk length';
  const dataStart = CHUNK_FIXED_SIZE + uvarintSize(len);
  const total = dataStart + len + 4;
  if (offset + total > size) return `chunk of ${len} bytes runs past the end of the file`;
  const bytes = reader.read(offset, total);
  const stored = bytes.readUInt32BE(total - 4);
  const actual = crc32c(bytes, 0, 0, total - 4);
  if (stored !== actual) return `chunk checksum mismatch: stored ${stored.toString(16)}, computed ${actual.toString(16)}`;
  const encoding = bytes[24]!;
  return {
    seriesRef: int64At(bytes, 0),
    mint: int64At(bytes, 8),
    maxt: int64At(bytes, 16),
    samples: len >= 2 ? bytes.readUInt16BE(dataStart) : 0,
    ooo: (encoding & OOO_ENCODING_FLAG) !== 0,
    size: total,
  };
}

/** A big-endian two's complement int64 (exact within ±2^53). */
function int64At(b: Buffer, at: number): number {
  return b.readInt32BE(at) * 4294967296 + b.readUInt32BE(at + 4);
}
