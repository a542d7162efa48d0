export { decodeReadRequest, decodeReadResponse, decodeWriteRequest, encodeReadResponse, encodeWriteRequest, type ReadQuery, type ReadRequest, type RemoteMetadata, type RemoteSample, type ReceivedSeries, type RemoteSeries, type WriteRequest } from './prompb.js';
export { serveRemoteRead, type ReadAnswer } from './read-handler.js';
export { decodeRemoteWrite, RemoteWriteReceiver, type ReceivedMetadata, type RemoteAnswer, type WriteReceiverOptions } from './write-handler.js';
export { QueueManager, type QueueOptions, type QueueStats, type SettledListener } from './queue-manager.js';
export { registerQueueMetrics } from './remote-metrics.js';
export { RemoteWriteStorage, type RemoteWriteStorageOptions } from './remote-write-storage.js';
export { WriteDestination, type DestinationStats, type WriteDestinationOptions } from './write-destination.js';
export type { WalPosition, WalReader, WalRecordHandler, WalSource } from './wal-source.js';
