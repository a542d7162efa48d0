// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), slicing-by-8. Tables are computed once at
// module load; they are constants, not state.
const POLY = 0x82f63b78;
const TABLES = buildTables();

function buildTables(): Uint32Array {
  const t = new Uint32Array(8 * 256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t[i] = c >>> 0;
  }
  for (let i = 0; i < 256; i++) {
    for (let s = 1; s < 8; s++) {
      const prev = t[(s - 1) * 256 + i]!;
      t[s * 256 + i] = (prev >>> 8) ^ t[prev & 0xff]!;
    }
  }
  return t;
}

/**
 * The CRC-32C of `data[start, end)` as an unsigned 32-bit integer, continuing from `crc` (the
 * result of a previous call over the preceding bytes; 0 to start). Matches Go's
 * `crc32.Checksum(data, crc32.MakeTable(crc32.Castagnoli))`, which Prometheus uses everywhere.
 */
export function crc32c(data: Uint8Array, crc = 0, start = 0, end = data.length): number {
  const t = TABLES;
  const blocksEnd = end - start >= 8 ? end - ((end - start) & 7) : start;
  let c = crcBlocks(data, ~crc >>> 0, start, blocksEnd);
  for (let i = blocksEnd; i < end; i++) c = t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/**
 * The slicing-by-8 steps over `data[start, end)` (a multiple of 8 bytes) from the running,
 * uncomplemented CRC `c`. A function of its own, returning as its loop ends: V8 compiles a long
 * first call's loop on stack (OSR) with feedback for nothing after it, and OSR code is not thrown
 * away when it deoptimizes after its loop, so the byte loop that followed in `crc32c` deoptimized
 * on every call that entered it (server README, "The main thread's share of a small query").
 */
function crcBlocks(data: Uint8Array, c: number, start: number, end: number): number {
  const t = TABLES;
  // Indexing below stays within `end` by the loop bound, so the index checks are safe to skip.
  for (let i = start; i < end; i += 8) {
    const a = (c ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24))) >>> 0;
    c =
      t[7 * 256 + (a & 0xff)]! ^
      t[6 * 256 + ((a >>> 8) & 0xff)]! ^
      t[5 * 256 + ((a >>> 16) & 0xff)]! ^
      t[4 * 256 + (a >>> 24)]! ^
      t[3 * 256 + data[i + 4]!]! ^
      t[2 * 256 + data[i + 5]!]! ^
      t[256 + data[i + 6]!]! ^
      t[data[i + 7]!]!;
  }
  return c;
}
