export { errorJson, successEnvelope, successJson, type Annotations } from './envelope.js';
export { ApiError, ErrorType, statusOf } from './error-type.js';
export { JsonBytes, JsonBytesPool } from './json-bytes.js';
export { jsonString, labelsJson, samplePairJson, secondsFloatJson, timeJson, timestampJson } from './json.js';
export { limitParam, MAX_TIME_MS, MIN_TIME_MS, parseDurationParam, parseTimeParam, timeParam } from './params.js';
export type {
  ActiveTarget,
  AlertingRule,
  AlertmanagersData,
  AlertsData,
  AlertState,
  ApiEnvelope,
  AstNode,
  BuildInfoData,
  DroppedTarget,
  HistogramValue,
  InstantSample,
  LabelSet,
  NameCount,
  QueryData,
  RangeSeries,
  RecordingRule,
  RelabelStepsData,
  Rule,
  RuleAlert,
  RuleGroup,
  RuleHealth,
  RulesData,
  RuntimeInfoData,
  SamplePair,
  TargetHealth,
  TargetsData,
  TsdbStatusData,
} from './wire-types.js';
export type { AmAlert, AmAlertGroup, AmAlertState, AmMatcher, AmPostableSilence, AmSilence, AmSilenceState, AmStatus } from './alertmanager-v2-types.js';
