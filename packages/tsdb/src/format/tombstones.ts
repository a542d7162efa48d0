import { renameSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { corruptionError } from './errors.js';
import { crc32c } from '@pyrometer/codec';
import { DecodeBuffer } from './encoding/decode-buffer.js';
import { EncodeBuffer } from './encoding/encode-buffer.js';
import { syncDir, writeFileDurably } from './fs-util.js';

/** First 4 bytes of a block's `tombstones` file; the version byte after it is 1. */
export const TOMBSTONES_MAGIC = 0x0130ba30;

/** A deleted time range [mint, maxt] (ms, both inclusive). */
export interface Interval {
  mint: number;
  maxt: number;
}

/** Deleted ranges per series ref (the index's series reference). */
export type Tombstones = ReadonlyMap<number, readonly Interval[]>;

/**
 * Encodes a tombstones file: magic, version 1, then per interval uvarint(ref), varint(mint),
 * varint(maxt), then the CRC32C of those entries. Refs are written in ascending order.
 */
export function encodeTombstonesFile(tombstones: Tombstones): Uint8Array {
  const b = new EncodeBuffer(64);
  b.putBE32(TOMBSTONES_MAGIC);
  b.putByte(1);
  const start = b.length;
  for (const ref of [...tombstones.keys()].sort((x, y) => x - y)) {
    for (const iv of tombstones.get(ref)!) {
      b.putUvarint(ref);
      b.putVarint(iv.mint);
      b.putVarint(iv.maxt);
    }
  }
  b.putBE32(crc32c(b.bytes(), 0, start, b.length));
  return b.bytes();
}

/**
 * Replaces the `tombstones` file of the block in `blockDir` atomically (written to
 * `tombstones.tmp`, fsynced, renamed, directory fsynced), as Prometheus does after a delete.
 * Refs are the block index's series refs (from `BlockReader.postings`).
 */
export function writeBlockTombstones(blockDir: string, tombstones: Tombstones): void {
  const path = join(blockDir, 'tombstones');
  const tmp = `${path}.tmp`;
  rmSync(tmp, { force: true });
  writeFileDurably(tmp, encodeTombstonesFile(tombstones));
  renameSync(tmp, path);
  syncDir(blockDir);
}

/** Decodes a tombstones file; throws a `corruption` StorageError naming the file and offset. */
export function decodeTombstonesFile(buf: Uint8Array, path: string): Map<number, Interval[]> {
  const what = `tombstones ${path}`;
  const d = new DecodeBuffer(buf, what);
  if (buf.length < 9) d.fail(`${buf.length} bytes is too short for a tombstones file`);
  const magic = d.be32();
  if (magic !== TOMBSTONES_MAGIC) throw corruptionError(what, 0, `bad magic ${magic.toString(16)}`);
  const version = d.byte();
  if (version !== 1) throw corruptionError(what, 4, `unsupported version ${version}`);
  const end = buf.length - 4;
  const stored = new DecodeBuffer(buf.subarray(end), what, end).be32();
  const actual = crc32c(buf, 0, 5, end);
  if (stored !== actual) throw corruptionError(what, 5, `checksum mismatch: stored ${stored.toString(16)}, computed ${actual.toString(16)}`);
  const body = new DecodeBuffer(buf.subarray(5, end), what, 5);
  const out = new Map<number, Interval[]>();
  while (body.remaining > 0) {
    const ref = body.uvarint();
    const iv = { mint: body.varint(), maxt: body.varint() };
    const list = out.get(ref);
    if (list === undefined) out.set(ref, [iv]);
    else list.push(iv);
  }
  return out;
}

/** Reads a block's tombstones file. */
export async function readTombstonesFile(path: string): Promise<Map<number, Interval[]>> {
  return decodeTombstonesFile(await readFile(path), path);
}
