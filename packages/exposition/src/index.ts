export { CONTENT_TYPES, ExpositionFormat, formatFromContentType } from './content-type.js';
export { ExpositionError, ExpositionErrorCode } from './exposition-error.js';
export { MetricType, type Bucket, type Metric, type MetricFamily, type Quantile } from './metric-family.js';
export { EntryType, ExpositionParser, type Exemplar, type SeriesSuffix } from './parser.js';
export { parseFamilies } from './families.js';
export { decodeDelimited, encodeDelimited } from './protobuf.js';
export { writeOpenMetrics } from './openmetrics-writer.js';
export { writeText } from './text-writer.js';
