export { PushgatewayError, type PushgatewayErrorCode } from './errors.js';
export { decodeBase64Value, groupingKeyOf, parseGroupingPath, type GroupingLabels } from './grouping-key.js';
export { createPushgatewayHandler, defaultHttpOptions, type PushgatewayHandler, type PushgatewayHttpOptions } from './http/server.js';
export { parseGroupSelector } from './http/matcher-param.js';
export { defaultMemoryStoreOptions, MemoryStore, type MemoryStoreOptions } from './memory-store.js';
export { defaultRedisStoreOptions, RedisStore, type RedisStoreOptions } from './redis-store.js';
export type { GroupSnapshot, MetricStore, StoredFamily, WriteRequest, WriteResult } from './store.js';
