export { decodeReadRequest, decodeReadResponse, decodeWriteRequest, encodeReadResponse, encodeWriteRequest, type ReadQuery, type ReadRequest, type RemoteMetadata, type RemoteSample, type RemoteSeries, type WriteRequest } from './prompb.js';
export { serveRemoteRead, type ReadAnswer } from './read-handler.js';
export { appendRemoteWrite, decodeRemoteWrite, receiveRemoteWrite, type RemoteAnswer, type WriteReceiverStats } from './write-handler.js';
export { QueueManager, type QueueOptions, type QueueStats, type SettledListener } from './queue-manager.js';
export { registerQueueMetrics } from './remote-metrics.js';
export { RemoteWriteStorage, type RemoteWriteStorageOptions } from './remote-write-storage.js';
export { WriteDestination, type DestinationStats, type WriteDestinationOptions } from './write-destination.js';
export type { WalPosition, WalReader, WalRecordHandler, WalSource } from './wal-source.js';
