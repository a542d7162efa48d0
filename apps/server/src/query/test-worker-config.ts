import type { WorkerConfig } from './protocol.js';

/** The settings the pool's tests start workers with: generous limits, no warm-up, niced as in production. */
export const TEST_WORKER_CONFIG: Omit<WorkerConfig, 'cancelCell'> = {
  engine: { timeout: 120_000, maxSamples: 50_000_000, lookbackDelta: 300_000, enableDelayedNameRemoval: false, experimental: { functions: false, durationExpr: false, extendedRangeSelectors: false } },
  limits: { maxQueryLength: 0, maxRegexLength: 0 },
  blockCacheBytes: 1 << 20,
  userAgent: 'test',
  remoteRead: { configs: [], externalLabels: {} },
  niceness: 10,
  warmUp: false,
};
