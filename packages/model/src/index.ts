export { ManualClock, systemClock, type Clock, type TimerHandle } from './clock.js';
export { compareUtf8 } from './compare.js';
export { formatDuration, parseDuration, parseDurationOrSeconds } from './duration.js';
export { ModelError, type ModelErrorCode } from './errors.js';
export { formatApiValue, formatExpositionValue, formatGoFloat, formatOpenMetricsFloat, type GoFloatFormat } from './go-float.js';
export { parseGoFloat } from './go-float-parse.js';
export { goQuote } from './go-quote.js';
export { isLegacyLabelName, isLegacyMetricName, isValidLabelName, isValidMetricName, isValidUtf8, METRIC_NAME_LABEL } from './label-names.js';
export { Labels, LabelsBuilder } from './labels.js';
export { Matcher, MatchType, matchesAll } from './matcher.js';
export { AnchoredRegex, quoteMeta, RegexSyntaxError } from './regex.js';
export { defaultRelabelConfig, RelabelAction, validateRelabelConfig, type RelabelConfig, type RelabelValidationOptions } from './relabel/config.js';
export { expandTemplate, type RegexMatch } from './relabel/expand.js';
export { compileRelabelConfig, hashMod, relabel, relabelBuilder, relabelSteps, RelabelRule, type RelabelStep } from './relabel/relabel.js';
export {
  floatFromWords,
  isStaleAt,
  isStaleBytes,
  isStaleNaNWords,
  NORMAL_NAN_HI,
  NORMAL_NAN_LO,
  readSampleValue,
  sampleHiWord,
  sampleLoWord,
  STALE_NAN_HI,
  STALE_NAN_LO,
  writeSampleValue,
  writeSampleValueBytes,
} from './stale.js';
export * from './histogram/index.js';
