export { decodeReadRequest, decodeReadResponse, decodeWriteRequest, encodeReadResponse, encodeWriteRequest, type ReadQuery, type ReadRequest, type RemoteMetadata, type RemoteSample, type RemoteSeries, type WriteRequest } from './prompb.js';
export { serveRemoteRead, type ReadAnswer } from './read-handler.js';
export { receiveRemoteWrite, type RemoteAnswer, type WriteReceiverStats } from './write-handler.js';
export { QueueManager, registerQueueMetrics, type QueueOptions, type QueueStats } from './queue-manager.js';
export { RemoteWriteStorage } from './remote-write-storage.js';
