export { Counter, FunctionMetric, Gauge, Histogram, type Collector, type CounterChild, type GaugeChild, type HistogramChild } from './instruments.js';
export { createLogger, LOG_LEVELS, parseLogLevel, silentLogger, type LogFields, type Logger, type LoggerOptions, type LogLevel } from './logger.js';
export { DEFAULT_BUCKETS, type HistogramOptions, type MetricOptions } from './metric-options.js';
export { registerProcessMetrics } from './process-metrics.js';
export { MetricsRegistry } from './registry.js';
