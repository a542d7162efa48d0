export { MetricType, type Bucket, type Metric, type MetricFamily, type Quantile } from './metric-family.js';
