// Public surface of the on-disk formats, imported by the engine as '../format/index.js'.
// Every export carries its contract comment at its definition.
export { ChunkEncoding, MAX_XOR_SAMPLES, XorAppender, XorChunk } from './chunkenc/xor-chunk.js';
export { XorEncoders } from './chunkenc/xor-encoders.js';
export { XorIterator } from './chunkenc/xor-iterator.js';
export { RESUME_POINT_LENGTH } from './chunkenc/xor-decoder.js';
export { ByteSlab } from './chunkenc/byte-slab.js';
export { DecodeBuffer } from './encoding/decode-buffer.js';
export { EncodeBuffer } from './encoding/encode-buffer.js';
export { checkpointName, listCheckpoints, writeCheckpoint, type CheckpointDir } from './wal/checkpoint.js';
export {
  decodeSamples,
  decodeSamplesInto,
  decodeSeries,
  decodeTombstones,
  encodeSampleColumns,
  encodeSamples,
  encodeSeries,
  encodeTombstones,
  recordType,
  RecordType,
  WalSampleColumns,
  type WalSample,
  type WalSampleVisitor,
  type WalSeries,
  type WalTombstone,
} from './wal/records.js';
export { repairWal } from './wal/repair.js';
export { defaultSegmentWriterOptions, SegmentWriter, type SegmentWriterOptions } from './wal/segment-writer.js';
export { listSegments, segmentName, WAL_DEFAULT_SEGMENT_SIZE, WAL_PAGE_SIZE, type SegmentFile } from './wal/segments.js';
export { SegmentDecoder, type SegmentCorruption } from './wal/segment-decoder.js';
export { readSegment, readSegmentFile, readWal, WAL_READ_PIECE_SIZE, type WalCorruption, type WalReadOptions, type WalReadResult, type WalRecordVisitor } from './wal/wal-reader.js';
export { BlockReader, openBlock, type BlockFiles } from './block/block-reader.js';
export { DEFAULT_PAGE_SIZE, PageCache } from './io/page-cache.js';
export { PositionalFile, type FileHandle } from './io/positional-file.js';
export { BlockWriter, writeBlock, type BlockChunk, type BlockSeries, type BlockWriterOptions, type WriteBlockOptions } from './block/block-writer.js';
export { type StoredChunk } from './chunks/chunk-reader.js';
export { chunkRef } from './chunks/chunk-writer.js';
export { ChunkMetaSink, type IndexSeriesEntry } from './index/index-reader.js';
export { type ChunkMeta } from './index/index-writer.js';
export { readMetaFile, writeMetaFile, type BlockDesc, type BlockMeta } from './meta.js';
export { writeBlockTombstones, type Interval, type Tombstones } from './tombstones.js';
export { defaultUlidGeneratorOptions, UlidGenerator, ulidTime, type UlidGeneratorOptions } from './ulid.js';
export { HEAD_CHUNK_FILE_SIZE, HeadChunkFiles, headChunksDir, type OpenedHeadChunks } from './head-chunks/head-chunk-files.js';
export { type MappedChunk } from './head-chunks/head-chunk-scan.js';
