export { Tsdb } from './db/db.js';
export type { ReplayResult } from './db/head-wal.js';
export { defaultOptions, exponentialBlockRanges, type TsdbOptions } from './db/options.js';
export type { BlockMeta } from './format/index.js';
export type { HeadStats } from './head/head.js';
export type { HeadStatus, NameValue } from './head/head-status.js';
export { WalTail, type WalPosition, type WalTailHandler, type WalTailOptions, type WalTailStats } from './wal-tail/wal-tail.js';
